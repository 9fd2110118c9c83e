"""Layout measures for lines that carry no geometry (raw text): widths estimated in ems."""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.model import Line
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
