"""Reading order of line fragments on a page: column by column, top to bottom.

Columns are found from gutters: vertical strips that no narrow fragment crosses. Fragments
that span a gutter (a title across both columns) interrupt the column flow, so the text above
them is read before them and the text below after them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.layout import gutters
from bulletin_ocr.layout.glyphs import Fragment, rules_by_level
from bulletin_ocr.model import BBox


def find_gutters(fragments: Sequence[Fragment], left: float, right: float) -> list[float]:
    """x positions that separate columns of fragments; wide fragments (titles across the
    columns) do not count."""
    width = right - left
    narrow = [f for f in fragments if f.bbox.width < 0.6 * width]
    if len(narrow) < 6:
        return []
    return gutters.find_gutters(
        [(f.bbox.x0, f.bbox.x1, len(f.glyphs)) for f in narrow], left, right
    )


def order_fragments(
    fragments: Sequence[Fragment],
    dividers: Sequence[BBox] = (),
    known: Sequence[float] | None = None,
) -> list[Fragment]:
    """Fragments in reading order.

    ``dividers`` are drawn horizontal rules: one across the columns ends the column flow
    above it, like a title across the columns does (a masthead's issuer and date, printed
    at the left and the right of one row, read before the columns below the rule).
    ``known`` are the gutters when the caller found them already.
    """
    if not fragments:
        return []
    left = min(f.bbox.x0 for f in fragments)
    right = max(f.bbox.x1 for f in fragments)
    found = list(known) if known is not None else find_gutters(fragments, left, right)
    by_top = in_rows(fragments)
    if not found:
        return by_top
    across = sorted(
        d.top
        for d in rules_by_level(dividers)
        if any(d.x0 < g < d.x1 for g in found) and d.height < 10
    )
    ordered: list[Fragment] = []
    band: list[Fragment] = []
    for fragment in by_top:
        box = fragment.bbox
        while across and across[0] <= box.top:
            across.pop(0)
            ordered.extend(_by_column(band, found))
            band = []
        if any(box.x0 < g < box.x1 for g in found):
            ordered.extend(_by_column(band, found))
            band = []
            ordered.append(fragment)
        else:
            band.append(fragment)
    ordered.extend(_by_column(band, found))
    return ordered


def in_rows(fragments: Sequence[Fragment]) -> list[Fragment]:
    """Top to bottom, and left to right within a row.

    Fragments whose vertical middles fall inside one another's extent share a row, so a date
    printed at the right of an issuer reads after it even if a slight tilt lifts it higher.
    """
    ordered: list[Fragment] = []
    row: list[Fragment] = []
    for fragment in sorted(fragments, key=lambda f: f.bbox.top):
        box = fragment.bbox
        middle = (box.top + box.bottom) / 2
        if row and not any(r.bbox.top <= middle <= r.bbox.bottom for r in row):
            ordered.extend(sorted(row, key=lambda f: f.bbox.x0))
            row = []
        row.append(fragment)
    ordered.extend(sorted(row, key=lambda f: f.bbox.x0))
    return ordered


def _by_column(band: Sequence[Fragment], found: Sequence[float]) -> list[Fragment]:
    def column(fragment: Fragment) -> int:
        return sum(1 for g in found if fragment.bbox.x0 > g)

    columns: dict[int, list[Fragment]] = {}
    for fragment in band:
        columns.setdefault(column(fragment), []).append(fragment)
    return [f for index in sorted(columns) for f in in_rows(columns[index])]
