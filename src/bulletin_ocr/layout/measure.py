"""Layout measures in ems: estimated from characters for raw text, from boxes for PDF and OCR."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from bulletin_ocr.model import BBox, Line, Page
from bulletin_ocr.repair.chars import visual_width


def estimate_column_width(lines: Sequence[Line]) -> float:
    """The column width in ems, read off the lines that fill it.

    Most body lines of a bulletin are full, so an upper quantile of the line widths is the
    column; the top few are skipped because digits and Latin text make estimates overshoot.
    """
    widths = sorted(visual_width(line.text) for line in lines if line.text.strip())
    if not widths:
        return 0.0
    return widths[min(len(widths) - 1, int(len(widths) * 0.8))]


def measure_text_lines(lines: Sequence[Line]) -> float:
    """Fill in ``right_gap`` for raw-text lines; return the column width used."""
    column = estimate_column_width(lines)
    for line in lines:
        line.right_gap = max(0.0, column - visual_width(line.text))
    return column


MIN_MATES = 3


def measure_geometry_lines(
    lines: Sequence[Line],
    obstacles: Sequence[BBox] = (),
    frame: BBox | None = None,
    gutters: Sequence[tuple[float, float]] = (),
) -> None:
    """Fill in ``indent`` and ``right_gap`` (ems) for lines with a bounding box.

    A line's column edges are read off the lines that share its situation: they overlap it
    horizontally (so two columns get two sets of edges) and sit beside the same figures in
    ``obstacles`` (text that wraps around an image has a narrower measure there). A line with
    too few such mates to tell is measured against ``frame``, the page's whole text area.
    ``gutters`` are the white strips between the page's columns: a line in one column is
    measured neither against lines across the columns (a footer) nor against the whole frame.
    """
    boxed = [(line, line.bbox) for line in lines if line.bbox is not None]
    situation = {id(line): _beside(box, obstacles) for line, box in boxed}
    for line, box in boxed:
        crossed = _crossed(box, gutters)
        mates = [
            other
            for mate, other in boxed
            if situation[id(mate)] == situation[id(line)]
            and _overlap(box, other) > 0.5
            and _crossed(other, gutters) <= crossed
        ]
        if len(mates) < MIN_MATES and frame is not None:
            mates = [_column_of(box, frame, gutters)]
        em = line.font.size if line.font is not None and line.font.size > 0 else box.height
        left = _shared_edge([b.x0 for b in mates], outermost=min, within=box.x0 + em)
        right = _shared_edge([b.x1 for b in mates], outermost=max, within=box.x1 - em)
        line.indent = max(0.0, (box.x0 - left) / em)
        line.right_gap = max(0.0, (right - box.x1) / em)


def measure_with_columns_before(pages: Sequence[Page]) -> None:
    """Measure again a recognised page that shows no columns of its own against the columns
    of the page before it, when most of its lines stand clear of them: an article that ends
    a few lines into the first column of the last page, above a distribution footer across
    the page, otherwise has its lines measured against the footer's right edge (twelve ems
    short of a column they fill)."""
    before: Page | None = None
    for page in pages:
        if page.source == "ocr" and not page.columns and before is not None:
            boxes = [line.bbox for line in page.lines if line.bbox is not None]
            crossing = [box for box in boxes if _crossed(box, before.columns)]
            if boxes and len(crossing) * 2 <= len(boxes):
                measure_geometry_lines(page.lines, frame=BBox.union(boxes), gutters=before.columns)
                page.columns = list(before.columns)
        if page.source == "ocr" and page.columns:
            before = page


# An edge is where at least this share of a column's lines start or stop: justified lines
# share the column's edges to a point, while a title or footer across both columns of a
# two-column page is a single line that only looks like an edge.
EDGE_SHARE = 0.2


def _shared_edge(
    values: Sequence[float], outermost: Callable[[list[float]], float], within: float
) -> float:
    """The outermost position that enough lines share (within a point), else a quantile.

    A shared position on the wrong side of ``within`` (the line itself, give or take an em)
    is no edge of the line's column: short labels of a chart beside a sidebar line up too.

    >>> _shared_edge([283.0] * 16 + [423.0, 465.0, 148.0, 193.0], outermost=max, within=282.0)
    283.0
    >>> _shared_edge([45.0] * 16 + [106.0, 190.0, 148.0, 193.0], outermost=max, within=100.0)
    190.0
    """
    counts: dict[int, list[float]] = {}
    for value in values:
        counts.setdefault(round(value), []).append(value)
    needed = max(3, EDGE_SHARE * len(values))
    shared = [
        statistics.median(near)
        for key in counts
        if len(near := [v for k in (key - 1, key, key + 1) for v in counts.get(k, [])]) >= needed
    ]
    edge = outermost(shared) if shared else None
    if edge is not None and outermost([edge, within]) == edge:
        return edge
    ordered = sorted(values)
    if outermost is min:
        return ordered[len(ordered) // 10]
    return ordered[min(len(ordered) - 1, len(ordered) * 9 // 10)]


def _crossed(box: BBox, gutters: Sequence[tuple[float, float]]) -> frozenset[int]:
    """Which gutters the box runs across."""
    return frozenset(i for i, (x0, x1) in enumerate(gutters) if box.x0 < x0 and x1 < box.x1)


def _column_of(box: BBox, frame: BBox, gutters: Sequence[tuple[float, float]]) -> BBox:
    """The part of the frame between the gutters on either side of the box."""
    left = max([x1 for _, x1 in gutters if x1 <= box.x0 + 1], default=frame.x0)
    right = min([x0 for x0, _ in gutters if x0 >= box.x1 - 1], default=frame.x1)
    return BBox(left, frame.top, right, frame.bottom)


def _beside(box: BBox, obstacles: Sequence[BBox]) -> frozenset[int]:
    """The figures level with a line (sharing most of its height) but not behind it."""
    level = set()
    for index, obstacle in enumerate(obstacles):
        shared = min(box.bottom, obstacle.bottom) - max(box.top, obstacle.top)
        behind = obstacle.x0 < box.x1 and box.x0 < obstacle.x1
        if shared > 0.5 * box.height and not behind:
            level.add(index)
    return frozenset(level)


def _overlap(a: BBox, b: BBox) -> float:
    """Horizontal overlap as a share of the narrower box."""
    shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    narrower = min(a.width, b.width)
    return shared / narrower if narrower > 0 else 0.0
