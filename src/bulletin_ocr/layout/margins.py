"""The body column of a one-column page, measured from where its lines start and end, and the
pieces of a line printed outside it (margin references set beside the text)."""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.layout.glyphs import Fragment
from bulletin_ocr.model import BBox

# Justified lines share their start and end to within a fraction of an em; a column edge is
# where at least this many lines (and a quarter of them) meet.
EDGE_TOLERANCE_EM = 0.5
EDGE_MIN_LINES = 3
# A piece is outside the column when it starts (or ends) this far beyond the edge and stands
# this far from its neighbour inside: punctuation hanging at a line's end stays in the line.
OUTSIDE_EM = 0.4
APART_EM = 0.3


def body_edges(boxes: Sequence[BBox], em: float) -> tuple[float, float] | None:
    """Where most lines of the page start and end: the body column's left and right edges.

    None when no edge is shared by enough lines (a page of short lines, a blank page).

    >>> rows = [BBox(100, 0, 900, 30), BBox(100, 40, 902, 70), BBox(160, 80, 901, 110),
    ...         BBox(101, 120, 400, 150), BBox(20, 120, 80, 150)]
    >>> body_edges(rows, 30.0)
    (100, 901)
    """
    if not boxes:
        return None
    left = _shared_edge([b.x0 for b in boxes], em, lowest=True)
    right = _shared_edge([b.x1 for b in boxes], em, lowest=False)
    if left is None or right is None or right - left < 4 * em:
        return None
    return left, right


def _shared_edge(values: Sequence[float], em: float, *, lowest: bool) -> float | None:
    """The outermost value that enough others lie within a tolerance of (their median)."""
    needed = max(EDGE_MIN_LINES, len(values) // 4)
    tolerance = EDGE_TOLERANCE_EM * em
    for value in sorted(values, reverse=not lowest):
        near = sorted(v for v in values if abs(v - value) <= tolerance)
        if len(near) >= needed:
            return near[len(near) // 2]
    return None


def split_at_body_edges(
    fragments: Sequence[Fragment],
) -> list[Fragment]:
    """Fragments with the pieces printed beyond the body column (``14（Ⅱ）`` set in the
    outer margin on a body line's baseline) split off as fragments of their own, in place."""
    if not fragments:
        return []
    em = sorted(f.size for f in fragments)[len(fragments) // 2]
    edges = body_edges([f.bbox for f in fragments], em)
    if edges is None:
        return list(fragments)
    out: list[Fragment] = []
    for fragment in fragments:
        out.extend(_split(fragment, edges))
    return out


def _split(fragment: Fragment, edges: tuple[float, float]) -> list[Fragment]:
    left, right = edges
    glyphs = fragment.glyphs
    em = fragment.size
    if fragment.bbox.x1 <= left or fragment.bbox.x0 >= right:
        return [fragment]  # wholly in the margin already
    start, end = 0, len(glyphs)
    while end > 1 and glyphs[end - 1].x0 >= right + OUTSIDE_EM * em:
        end -= 1
    if end < len(glyphs) and glyphs[end].x0 - glyphs[end - 1].x1 < APART_EM * em:
        end = len(glyphs)
    while start < end - 1 and glyphs[start].x1 <= left - OUTSIDE_EM * em:
        start += 1
    if start > 0 and glyphs[start].x0 - glyphs[start - 1].x1 < APART_EM * em:
        start = 0
    pieces = [glyphs[:start], glyphs[start:end], glyphs[end:]]
    return [Fragment(list(piece)) for piece in pieces if piece]
