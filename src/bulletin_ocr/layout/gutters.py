"""Column gutters: vertical white strips that the text of a page leaves between its columns."""

from __future__ import annotations

from collections.abc import Sequence

MIN_GUTTER = 5.0  # points; narrower white strips are just gaps between words or cells
MIN_COLUMN_SHARE = 0.15  # each side of a gutter holds at least this share of the text
# ... or this share, beside a strip with no glyph in it at all (see _clean_strips).
SHORT_COLUMN_SHARE = 0.05
PAGE_NUMBER_CHARS = 5
MIN_COLUMNS_TEXT = 100  # characters: a page with less shows no columns of its own
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


Strip = tuple[float, float]


def find_strips(
    spans: Sequence[Span],
    left: float,
    right: float,
    known: Sequence[Strip] = (),
    min_width: float = MIN_GUTTER,
) -> list[Strip]:
    """The white strips between columns, as (x0, x1).

    ``known`` are the strips of the pages before: a page whose second column holds only a
    line or two (the end of an article, the last page) still has its columns where the
    previous pages had them, as long as no text crosses them. ``min_width`` is the narrowest
    gutter, in the spans' units.

    >>> column = [(0.0, 100.0, 10)] * 10
    >>> find_strips(column + [(120.0, 200.0, 5)], 0.0, 200.0, known=[(101.0, 119.0)])
    [(101.0, 119.0)]
    >>> find_strips(column + [(0.0, 200.0, 100)], 0.0, 200.0, known=[(101.0, 119.0)])
    []
    """
    width = right - left
    if width <= 0 or len(spans) < 6:
        return []
    total = sum(weight for _, _, weight in spans)
    if total < MIN_COLUMNS_TEXT and not known:
        return []  # what the end comes to, without measuring every point (a table's cells)
    steps = int(width) + 1
    covered = [0] * (steps + 1)
    for x0, x1, weight in spans:
        # A difference array: O(spans + width) instead of touching every point of every span.
        start = max(0, int(x0 - left))
        stop = min(steps, int(x1 - left) + 1)
        if stop > start:
            covered[start] += weight
            covered[stop] -= weight
    depths = []
    depth = 0
    for x in range(steps):
        depth += covered[x]
        depths.append(depth)
    inked = sorted(d for d in depths if d > 0) or [0]
    crossing = MAX_CROSSING_SHARE * inked[len(inked) // 2]
    gutters: list[tuple[float, float]] = []
    start_of_strip: int | None = None
    for x in range(steps + 1):
        empty = x < steps and depths[x] <= crossing
        if empty and start_of_strip is None:
            start_of_strip = x
        elif not empty and start_of_strip is not None:
            if x - start_of_strip >= min_width and start_of_strip > 0 and x < steps:
                start, stop = _whitest(depths, start_of_strip, x, min_width)
                gutters.append((left + start, left + stop))
            start_of_strip = None
    found = [g for g in gutters if _splits_text(spans, (g[0] + g[1]) / 2, total)]
    if not found:
        found = _clean_strips(spans, depths, left, 2 * min_width, total)
    if total < MIN_COLUMNS_TEXT:
        found = []  # a footer or a few lines: too little to show columns of its own
    if found or not known:
        return found
    return [strip for strip in known if _still_white(spans, strip, crossing)]


def _whitest(depths: Sequence[int], start: int, stop: int, min_width: float) -> tuple[int, int]:
    """The part of the strip ``start:stop`` that the least text crosses, when it is wide
    enough to be a gutter by itself: the crossing a strip allows also lets it take in the
    first glyphs of a column (a research report's bullets and headings stand half an em
    left of its body text), and the column's edge is where they begin.

    >>> _whitest([5, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 5], 1, 11, 4)
    (1, 7)
    >>> _whitest([5, 0, 0, 1, 1, 0, 0, 5], 1, 7, 4)
    (1, 7)
    """
    least = min(depths[start:stop])
    best = (start, start)
    run_start: int | None = None
    for x in range(start, stop + 1):
        if x < stop and depths[x] == least:
            run_start = x if run_start is None else run_start
        elif run_start is not None:
            if x - run_start > best[1] - best[0]:
                best = (run_start, x)
            run_start = None
    return best if best[1] - best[0] >= min_width else (start, stop)


def _clean_strips(
    spans: Sequence[Span], depths: Sequence[int], left: float, min_width: float, total: int
) -> list[Strip]:
    """Strips where not one glyph stands, with a short column beside them: where an article
    ends three lines into the second column, that column is too thin to stand out from the
    crossing threshold, but a one-column page has full-width lines across every strip.

    >>> column = [(0.0, 100.0, 10)] * 10
    >>> _clean_strips(column + [(130.0, 200.0, 6)], [1] * 101 + [0] * 29 + [1] * 71, 0.0,
    ...               10.0, 106)
    [(101.0, 130.0)]
    """
    strips, start = [], None
    for x, depth in enumerate([*depths, 1]):
        if depth == 0 and start is None:
            start = x
        elif depth and start is not None:
            if start > 0 and x < len(depths) and x - start >= min_width:
                strips.append((left + start, left + x))
            start = None
    return [
        g for g in strips if _splits_text(spans, (g[0] + g[1]) / 2, total, SHORT_COLUMN_SHARE)
    ]


def _still_white(spans: Sequence[Span], strip: Strip, crossing: float) -> bool:
    """No more text crosses the strip than may cross a gutter, and text lies beside it (the
    last page's second column may be empty)."""
    middle = (strip[0] + strip[1]) / 2
    across = sum(weight for x0, x1, weight in spans if x0 < middle < x1)
    left = any(x1 <= strip[0] + 1 for _, x1, _ in spans)
    right = any(x0 >= strip[1] - 1 for x0, _, _ in spans)
    # A centred page number ("- 2 -") may cross it even where the columns hold little.
    return across <= max(crossing, PAGE_NUMBER_CHARS) and (left or right)


def _splits_text(
    spans: Sequence[Span], gutter: float, total: int, share: float = MIN_COLUMN_SHARE
) -> bool:
    left = sum(weight for _, x1, weight in spans if x1 < gutter)
    right = sum(weight for x0, _, weight in spans if x0 > gutter)
    return min(left, right) >= share * total
