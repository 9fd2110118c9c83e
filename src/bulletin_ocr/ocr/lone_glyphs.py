"""Glyphs standing alone on their line, which the detector scores too low to keep.

The last glyph of a wrapped headline, alone before the body's indent (``效`` / ``10月19日…``),
gives the DB detector's probability map too small a region: it scored 0.52 where the model's
threshold is 0.6 and every line scores 0.8 or more, so the glyph was never read and the
headline lost it (b011610). The detector's weak candidates (``ocr.detection.WEAK_SCORE``)
are read too, and one is kept where it is what such a glyph is: a few Chinese characters the
recogniser is sure of, on the row of a line the detector did keep, clear of every kept box.
Specks and bleed-through are not read as Chinese with that confidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.repair.chars import is_cjk

# A weak candidate is kept when the recogniser reads it at least this surely (lines of
# generated and real scans read at 0.9 to 1.0; a speck's reading far less) ...
SURE = 0.9
# ... as at most this many Chinese characters (a wrapped headline's last few).
MOST = 4
# It shares this much of its height with a kept box on its row ...
ON_ROW = 0.6
# ... and stands within this many times that box's height of it, its height near the box's.
NEAR = 3.0
HEIGHT_RANGE = (0.6, 1.6)


def lone_glyphs(kept: Sequence[OcrLine], weak: Sequence[OcrLine]) -> list[OcrLine]:
    """The lines of ``weak`` that are glyphs standing alone beside a line of ``kept``."""
    boxes = [_bounds(line) for line in kept]
    return [line for line in weak if _is_lone_glyph(line, boxes)]


def _is_lone_glyph(line: OcrLine, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    text = line.text.strip()
    if line.confidence < SURE or not 1 <= len(text) <= MOST or not all(map(is_cjk, text)):
        return False
    x0, top, x1, bottom = _bounds(line)
    height = bottom - top
    beside = False
    for bx0, btop, bx1, bbottom in boxes:
        across = min(bx1, x1) - max(bx0, x0)
        shared = min(bbottom, bottom) - max(btop, top)
        if across > 0 and shared > 0:
            return False  # inside or over a kept box: its text is read there
        row = bbottom - btop
        if (
            shared >= ON_ROW * height
            and HEIGHT_RANGE[0] * row <= height <= HEIGHT_RANGE[1] * row
            and min(abs(bx0 - x1), abs(x0 - bx1)) <= NEAR * row
        ):
            beside = True
    return beside


def _bounds(line: OcrLine) -> tuple[float, float, float, float]:
    xs = [x for x, _ in line.polygon]
    ys = [y for _, y in line.polygon]
    return min(xs), min(ys), max(xs), max(ys)
