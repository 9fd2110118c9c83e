"""Bleed-through: text showing through from the back of the sheet, recognised but not printed here.

Its ink is far lighter than the page's own: a box whose darkest pixels are nowhere near as
dark as the typical box's is a ghost, and is set aside rather than read as text.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from bulletin_ocr.ocr import OcrLine

# A box is a ghost when its darkest pixels are lighter than this share of the way from the
# page's ink to its paper.
GHOST_SHARE = 0.55


def darkest(gray: Any, line: OcrLine) -> float:
    """The 2nd-percentile grey level inside the line's box: its ink, ignoring stray noise."""
    import numpy as np

    xs = [x for x, _ in line.polygon]
    ys = [y for _, y in line.polygon]
    height, width = gray.shape[:2]
    x0, x1 = max(0, int(min(xs))), min(width, int(max(xs)) + 1)
    y0, y1 = max(0, int(min(ys))), min(height, int(max(ys)) + 1)
    region = gray[y0:y1, x0:x1]
    return float(np.percentile(region, 2)) if region.size else 255.0


def split_ghosts(image: Any, lines: Sequence[OcrLine]) -> tuple[list[OcrLine], list[OcrLine]]:
    """The page's own lines, and the lines that are bleed-through from the other side."""
    if len(lines) < 3:
        return list(lines), []
    gray = image if image.ndim == 2 else image.mean(axis=2)
    inks = [darkest(gray, line) for line in lines]
    ink = statistics.median(inks)
    paper = float(statistics.median(gray[:: max(1, gray.shape[0] // 200), :: 8].ravel().tolist()))
    if paper - ink < 40:
        return list(lines), []  # too little contrast to tell ink from show-through
    limit = ink + GHOST_SHARE * (paper - ink)
    kept = [line for line, value in zip(lines, inks, strict=True) if value <= limit]
    ghosts = [line for line, value in zip(lines, inks, strict=True) if value > limit]
    return kept, ghosts
