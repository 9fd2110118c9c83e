"""Reading order of line fragments on a page: column by column, top to bottom.

Columns are found from gutters: vertical strips that no narrow fragment crosses. Fragments
that span a gutter (a title across both columns) interrupt the column flow, so the text above
them is read before them and the text below after them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.layout.glyphs import Fragment

MIN_GUTTER = 5.0  # points; narrower white strips are just gaps between words or cells
MIN_COLUMN_SHARE = 0.15  # each side of a gutter holds at least this share of the glyphs


def find_gutters(fragments: Sequence[Fragment], left: float, right: float) -> list[float]:
    """x positions (the middles of white strips) that separate columns of text."""
    width = right - left
    if width <= 0 or len(fragments) < 6:
        return []
    narrow = [f for f in fragments if f.bbox.width < 0.6 * width]
    if len(narrow) < 6:
        return []
    steps = int(width) + 1
    covered = [0] * steps
    for fragment in narrow:
        box = fragment.bbox
        for x in range(int(box.x0 - left), min(steps, int(box.x1 - left) + 1)):
            covered[x] += len(fragment.glyphs)
    total = sum(len(f.glyphs) for f in fragments)
    gutters = []
    start = None
    for x in range(steps + 1):
        empty = x < steps and covered[x] == 0
        if empty and start is None:
            start = x
        elif not empty and start is not None:
            if x - start >= MIN_GUTTER and start > 0 and x < steps:
                gutters.append(left + (start + x) / 2)
            start = None
    return [g for g in gutters if _splits_text(fragments, g, total)]


def _splits_text(fragments: Sequence[Fragment], gutter: float, total: int) -> bool:
    left = sum(len(f.glyphs) for f in fragments if f.bbox.x1 < gutter)
    right = sum(len(f.glyphs) for f in fragments if f.bbox.x0 > gutter)
    return min(left, right) >= MIN_COLUMN_SHARE * total


def order_fragments(fragments: Sequence[Fragment]) -> list[Fragment]:
    """Fragments in reading order."""
    if not fragments:
        return []
    left = min(f.bbox.x0 for f in fragments)
    right = max(f.bbox.x1 for f in fragments)
    gutters = find_gutters(fragments, left, right)
    by_top = in_rows(fragments)
    if not gutters:
        return by_top
    ordered: list[Fragment] = []
    band: list[Fragment] = []
    for fragment in by_top:
        box = fragment.bbox
        if any(box.x0 < g < box.x1 for g in gutters):
            ordered.extend(_by_column(band, gutters))
            band = []
            ordered.append(fragment)
        else:
            band.append(fragment)
    ordered.extend(_by_column(band, gutters))
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


def _by_column(band: Sequence[Fragment], gutters: Sequence[float]) -> list[Fragment]:
    def column(fragment: Fragment) -> int:
        return sum(1 for g in gutters if fragment.bbox.x0 > g)

    columns: dict[int, list[Fragment]] = {}
    for fragment in band:
        columns.setdefault(column(fragment), []).append(fragment)
    return [f for index in sorted(columns) for f in in_rows(columns[index])]
