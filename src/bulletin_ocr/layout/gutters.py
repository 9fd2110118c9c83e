"""Column gutters: vertical white strips that the text of a page leaves between its columns."""

from __future__ import annotations

from collections.abc import Sequence

MIN_GUTTER = 5.0  # points; narrower white strips are just gaps between words or cells
MIN_COLUMN_SHARE = 0.15  # each side of a gutter holds at least this share of the text
# A gutter may be crossed by a little text (a date at the right of a masthead row, a centred
# page number, a title): at most this share of the text over a typical point of the page.
MAX_CROSSING_SHARE = 0.25

Span = tuple[float, float, int]
"""A piece of text's horizontal extent and weight: (x0, x1, characters)."""


def find_gutters(spans: Sequence[Span], left: float, right: float) -> list[float]:
    """x positions (the middles of white strips) that separate columns of text.

    >>> column = [(0.0, 100.0, 10)] * 10
    >>> find_gutters(column + [(120.0, 220.0, 10)] * 10, 0.0, 220.0)
    [110.5]
    >>> find_gutters(column + [(0.0, 220.0, 20)] * 10, 0.0, 220.0)
    []
    """
    return [(start + end) / 2 for start, end in find_strips(spans, left, right)]


def find_strips(spans: Sequence[Span], left: float, right: float) -> list[tuple[float, float]]:
    """The white strips between columns, as (x0, x1)."""
    width = right - left
    if width <= 0 or len(spans) < 6:
        return []
    steps = int(width) + 1
    covered = [0] * (steps + 1)
    for x0, x1, weight in spans:
        # A difference array: O(spans + width) instead of touching every point of every span.
        start = max(0, int(x0 - left))
        stop = min(steps, int(x1 - left) + 1)
        if stop > start:
            covered[start] += weight
            covered[stop] -= weight
    total = sum(weight for _, _, weight in spans)
    depths = []
    depth = 0
    for x in range(steps):
        depth += covered[x]
        depths.append(depth)
    crossing = MAX_CROSSING_SHARE * sorted(depths)[len(depths) // 2]
    gutters: list[tuple[float, float]] = []
    start_of_strip: int | None = None
    for x in range(steps + 1):
        empty = x < steps and depths[x] <= crossing
        if empty and start_of_strip is None:
            start_of_strip = x
        elif not empty and start_of_strip is not None:
            if x - start_of_strip >= MIN_GUTTER and start_of_strip > 0 and x < steps:
                gutters.append((left + start_of_strip, left + x))
            start_of_strip = None
    return [g for g in gutters if _splits_text(spans, (g[0] + g[1]) / 2, total)]


def _splits_text(spans: Sequence[Span], gutter: float, total: int) -> bool:
    left = sum(weight for _, x1, weight in spans if x1 < gutter)
    right = sum(weight for x0, _, weight in spans if x0 > gutter)
    return min(left, right) >= MIN_COLUMN_SHARE * total
