"""Ink measured from pixels: each recognised glyph's stroke width, ink height, ink area and
colour, the page's usual body values, and the rules drawn across the page.

A scan has no font names, but it shows the same evidence a PDF's fonts give: a headline set
in 黑体 or bold has strokes about a third thicker than the body's, a larger face has taller
glyphs, a masthead is printed in red above a red rule. Layout only measures them (``Glyph.ink``,
then ``Line.ink``); which glyphs are bold, larger or red, and where a run-in headline's face
ends, is judged once the lines are built (``structure.faces``).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.model import BBox, BodyInk, Ink
from bulletin_ocr.repair.chars import is_cjk

RED = "#cc0000"
# Ink whose red channel stands this far above its green and blue is printed red.
RED_MARGIN = 50
# The usual pitch leaves out steps this many times the median (gaps after a headline) and
# under PITCH_OVERLAP times it (glyphs placed over one another).
PITCH_GAP = 1.4
PITCH_OVERLAP = 0.6
# Blank rows this share of the box apart part a speck of the scan's noise from the glyph.
SPECK_GAP = 0.08
# ... and a part with less than this share of the ink is the speck.
SPECK_INK = 0.04
# A character's usual ink height on a page is known from this many of its glyphs
# in the body's boxes (two: a body glyph's height varies by a few hundredths) ...
SHAPE_SEEN = 2
# ... in the boxes whose median ink height is within this share of the page's usual one: the
# body's (a 1.15 face's boxes measured 1.12-1.20).
BODY_BOX = 0.06
# Other characters are known against the median of the boxes they stand in, boxes of at least
# this many measured glyphs.
SHAPE_BOX = 4


def to_gray(image: Any) -> Any:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def ink_mask(gray: Any) -> Any:
    """Dark pixels of a crop: Otsu's threshold, so faint and dark scans both work."""
    import cv2

    if gray.size == 0:
        return gray > 0
    _, mask = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask.astype(bool)


def stroke_width(mask: Any) -> float:
    """Twice the ink area over its outline: a stroke w wide and L long has area wL and an
    outline of about 2L.

    >>> import numpy as np
    >>> bar = np.zeros((20, 40), dtype=bool); bar[5:9, 2:38] = True
    >>> round(stroke_width(bar), 1)
    3.8
    """
    import numpy as np

    area = int(mask.sum())
    if area == 0:
        return 0.0
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    outline = area - int(np.count_nonzero(inner))
    return 2.0 * area / max(outline, 1)


def measure_ink(image: Any, gray: Any, box: BBox) -> Ink | None:
    """Stroke, height and colour of the ink inside ``box``; None when it holds none."""
    height, width = gray.shape[:2]
    x0, x1 = max(0, int(box.x0)), min(width, round(box.x1))
    top, bottom = max(0, int(box.top)), min(height, round(box.bottom))
    if x1 - x0 < 2 or bottom - top < 2:
        return None
    mask = ink_mask(gray[top:bottom, x0:x1])
    if not mask.any():
        return None
    top_row, bottom_row = _glyph_rows(mask.sum(axis=1))
    red = False
    if image.ndim == 3:
        pixels = image[top:bottom, x0:x1][mask].astype(float)
        blue, green, r = pixels[:, 0].mean(), pixels[:, 1].mean(), pixels[:, 2].mean()
        red = r - max(green, blue) >= RED_MARGIN
    return Ink(stroke_width(mask), float(bottom_row - top_row + 1), red, int(mask.sum()))


def _glyph_rows(ink_per_row: Any) -> tuple[int, int]:
    """The first and last row of the glyph's ink: rows of specks that stand apart from it
    at the top or bottom of the box left out (a degraded scan's dots made a body glyph
    measure four tenths taller than it is). A glyph's own dots (文, 计) touch it or nearly.

    >>> import numpy as np
    >>> _glyph_rows(np.array([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 30, 20, 30, 12, 0]))
    (10, 14)
    >>> _glyph_rows(np.array([0, 6, 0, 9, 30, 20, 30, 12, 0]))
    (1, 7)
    """
    import numpy as np

    rows = np.flatnonzero(ink_per_row)
    gap = max(3, int(SPECK_GAP * len(ink_per_row)))
    breaks = np.flatnonzero(np.diff(rows) > gap)
    parts = np.split(rows, breaks + 1)
    total = float(ink_per_row.sum())
    while len(parts) > 1 and ink_per_row[parts[0]].sum() < SPECK_INK * total:
        parts.pop(0)
    while len(parts) > 1 and ink_per_row[parts[-1]].sum() < SPECK_INK * total:
        parts.pop()
    return int(parts[0][0]), int(parts[-1][-1])


def is_chinese(glyph: Any) -> bool:
    """A glyph of one Chinese character: the only ones measured, since digits and Latin
    letters have other proportions (a serif "App" looks heavier than thin 仿宋 strokes)."""
    return len(glyph.text) == 1 and is_cjk(glyph.text)


def measure_glyphs(
    image: Any, groups: Sequence[Sequence[Glyph]]
) -> tuple[list[list[Glyph]], BodyInk | None]:
    """The glyphs of each recognised box with their ink (``Glyph.ink``, Chinese glyphs only),
    and the page's usual body values (None when no glyph holds ink)."""
    gray = to_gray(image)
    measured = [
        [replace(g, ink=measure_ink(image, gray, _box(g))) if is_chinese(g) else g for g in group]
        for group in groups
    ]
    inks = [g.ink for group in measured for g in group if g.ink is not None]
    if not inks:
        return measured, None
    found = [p for group in groups for p in pitches(group)]
    body = BodyInk(
        stroke=statistics.median(ink.stroke for ink in inks),
        height=statistics.median(ink.height for ink in inks),
        area=statistics.median(ink.area for ink in inks),
        em=statistics.median(g.size for group in groups for g in group),
        pitch=typical_pitch(found) if found else 0.0,
    )
    plain = [group for group in measured if _body_sized(group, body.height)]
    shapes = {**_against_own_box(measured), **_per_character(plain, body.height)}
    return measured, replace(body, char_heights=shapes)


def median_height(group: Sequence[Glyph]) -> float | None:
    """The median ink height of a box's measured glyphs; None when none was measured."""
    heights = [glyph.ink.height for glyph in group if glyph.ink is not None]
    return statistics.median(heights) if heights else None


def _body_sized(group: Sequence[Glyph], usual: float) -> bool:
    """Whether a box's ink stands at the page's usual height: the body's boxes, not a larger
    headline's. Characters common in headlines (区, 召开, 工作) would else measure taller
    than the body prints them."""
    height = median_height(group)
    return height is not None and abs(height / usual - 1) <= BODY_BOX


def _per_character(groups: Sequence[Sequence[Glyph]], usual: float) -> dict[str, float]:
    """Each character's median ink height over ``usual``, for characters with at least
    ``SHAPE_SEEN`` measured glyphs in ``groups``. (Not its ink area: that varies with the
    character far more, and judged against its own for common characters only, a bold run's
    rare characters outweighed its common ones and cut the real book scan's emphasis short.)"""
    if usual <= 0:
        return {}
    heights = ((g.text, g.ink.height) for group in groups for g in group if g.ink is not None)
    return {char: median / usual for char, median in _seen_often(heights).items()}


def _against_own_box(groups: Sequence[Sequence[Glyph]]) -> dict[str, float]:
    """Each character's median ink height over the median of the box it stands in, from
    boxes of ``SHAPE_BOX`` measured glyphs or more: its shape whatever the box's face, for
    characters the body's boxes do not show often enough (a 1.15 face's 工 measured 0.81 of
    the page's usual height and cut its headline short where the body held one 工, b012068).
    A box that holds a headline and its body measures its glyphs against a height between the
    two faces, so the body's own boxes say it better where they can (``_per_character``)."""
    ratios: list[tuple[str, float]] = []
    for group in groups:
        usual = median_height(group)
        measured = [glyph for glyph in group if glyph.ink is not None]
        if usual is None or usual <= 0 or len(measured) < SHAPE_BOX:
            continue
        ratios += [(glyph.text, glyph.ink.height / usual) for glyph in measured if glyph.ink]
    return _seen_often(ratios)


def _seen_often(values: Iterable[tuple[str, float]]) -> dict[str, float]:
    """The median of each character's values, for characters with ``SHAPE_SEEN`` or more."""
    found: dict[str, list[float]] = {}
    for char, value in values:
        found.setdefault(char, []).append(value)
    return {
        char: statistics.median(values)
        for char, values in found.items() if len(values) >= SHAPE_SEEN
    }


def _box(glyph: Glyph) -> BBox:
    return BBox(glyph.x0, glyph.top, glyph.x1, glyph.bottom)


def steps(glyphs: Sequence[Any]) -> list[tuple[int, float]]:
    """Each Chinese glyph's advance to the Chinese glyph after it, with the first one's index
    (pairs with digits, Latin or punctuation between them are left out)."""
    return [
        (i, b.x0 - a.x0)
        for i, (a, b) in enumerate(pairwise(glyphs))
        if is_chinese(a) and is_chinese(b)
    ]


def pitches(glyphs: Sequence[Any]) -> list[float]:
    """Distances between neighbouring Chinese characters of one box: a larger face is set
    on a wider pitch (justification adds a little, the same on every line)."""
    return [step for _, step in steps(glyphs)]


def typical_pitch(found: Sequence[float]) -> float:
    """The mean step, gaps and overlaps left out: the recogniser places glyphs on a grid of a
    few pixels, so a line's steps alternate between two values (60 and 72 px) and a median
    picks one of them.

    >>> typical_pitch([60.0, 72.0, 60.0, 72.0, 60.0, 72.0, 130.0])
    66.0
    """
    middle = statistics.median(found)
    kept = [p for p in found if PITCH_OVERLAP * middle <= p <= PITCH_GAP * middle]
    return statistics.fmean(kept or found)


def find_rules(image: Any) -> list[tuple[BBox, str | None]]:
    """Long horizontal rules printed on the page (pixels), with their colour.

    Morphological opening with a kernel a fifth of the page wide keeps only straight
    horizontal ink; text, even a long row of it, has gaps and vertical strokes.
    """
    import cv2
    import numpy as np

    gray = to_gray(image)
    height, width = gray.shape[:2]
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 5), 1))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened)
    rules = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if h > height // 50:
            continue  # a filled block, not a rule
        box = BBox(float(x), float(y), float(x + w), float(y + h))
        colour = None
        if image.ndim == 3:
            region = image[y : y + h, x : x + w][opened[y : y + h, x : x + w] > 0]
            if len(region):
                blue, green, red = (float(np.mean(region[:, c])) for c in range(3))
                colour = RED if red - max(green, blue) >= RED_MARGIN else "#000000"
        rules.append((box, colour))
    return rules
