"""The recogniser's own say on which way up a page is.

Preprocessing turns a page from the shape of its ink (where small marks sit in their lines,
which side paragraphs are indented: ``preprocess.orientation``). On a 1-bit scan whose thin
strokes broke up, pieces of characters pass for punctuation and that vote can be confidently
wrong: a generated upright Ming page scored 14 votes to 4 for upside down and was turned over,
and read as garbage (CER 0.87). The recogniser tells the two apart: a page read the wrong way
up comes back at a character-weighted confidence of 0.53 on that page, where every upright
page of 656 generated scan pages read at 0.85 or more.

So a page that preprocessing turned, or that reads poorly, is read once more turned over, and
the reading the recogniser is clearly surer of wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bulletin_ocr.ocr import OcrLine

# A page read below this (per character) is read turned over too. Upright generated scans,
# 1-bit TIFFs included, read at 0.85 or more; the page read upside down at 0.53.
RECHECK_BELOW = 0.80
# How much surer the turned reading must be to replace the first: a poor upright page read
# upside down does not gain this by chance, since garbage reads unsure.
MIN_GAIN = 0.10


@dataclass(frozen=True)
class Reading:
    """A page image and what the recogniser read on it."""

    image: Any
    lines: list[OcrLine]
    turned: bool
    """True when this is the page turned over from the one preprocessing made."""


def confidence(lines: Sequence[OcrLine]) -> float:
    """The recogniser's confidence averaged over the characters read; 0 when none were.

    >>> confidence([OcrLine("一二", (), 0.9), OcrLine("三", (), 0.6)])
    0.8
    """
    sizes = [len(line.text.strip()) for line in lines]
    total = sum(sizes)
    if not total:
        return 0.0
    return round(sum(line.confidence * n for line, n in zip(lines, sizes, strict=True)) / total, 6)


def worth_rereading(lines: Sequence[OcrLine], rotation: int) -> bool:
    """Whether to read the page turned over as well: preprocessing turned it (``rotation``
    degrees), or the reading is poor. A page with nothing read has nothing to compare."""
    if not any(line.text.strip() for line in lines):
        return False
    return rotation != 0 or confidence(lines) < RECHECK_BELOW


def read_upright(
    recognise: Callable[[Any], list[OcrLine]], image: Any, lines: list[OcrLine], rotation: int
) -> Reading:
    """The better of ``lines`` (read on ``image``) and a reading of ``image`` turned over."""
    from bulletin_ocr.preprocess.orientation import rotate

    first = Reading(image, lines, turned=False)
    if not worth_rereading(lines, rotation):
        return first
    turned_image = rotate(image, 180)
    second = Reading(turned_image, recognise(turned_image), turned=True)
    if confidence(second.lines) >= confidence(lines) + MIN_GAIN:
        return second
    return first
