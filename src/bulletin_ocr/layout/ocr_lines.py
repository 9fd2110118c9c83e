"""Recognised boxes into printed lines: boxes on one baseline join, in reading order."""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.layout.glyphs import Glyph, build_fragments
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.model import FontInfo, Line
from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.repair.chars import visual_width

# Detection boxes are drawn larger than the glyphs they hold (the "unclip" margin), so a
# box's height overstates the type size; this is the usual ratio on PP-OCR boxes.
BOX_TO_EM = 0.75


def em_of(text: str, width: float, height: float) -> float:
    """The type size of a recognised box in pixels, read off its width where it can be.

    >>> em_of("区委组织部", 250, 66)
    50.0
    """
    ems = visual_width(text)
    if ems >= 4:
        return width / ems
    return height * BOX_TO_EM


def glyphs_of(line: OcrLine, group: int) -> list[Glyph]:
    """One glyph per recognised piece where the engine placed them, else one for the box."""
    xs = [x for x, _ in line.polygon]
    ys = [y for _, y in line.polygon]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    em = em_of(line.text, x1 - x0, bottom - top)
    if not line.words:
        return [Glyph(line.text, x0, x1, top, bottom, em, confidence=line.confidence, group=group)]
    return [
        Glyph(text, wx0, wx1, top, bottom, em, confidence=line.confidence, group=group)
        for text, (wx0, _, wx1, _) in line.words
        if text.strip()
    ]


def lines_from_ocr(recognised: Sequence[OcrLine], page: int, first_index: int = 1) -> list[Line]:
    """Lines in reading order, each joining the boxes the detector split on one baseline."""
    glyphs = [g for group, line in enumerate(recognised) for g in glyphs_of(line, group)]
    lines = []
    fragments = order_fragments(build_fragments(glyphs))
    for index, fragment in enumerate(fragments, start=first_index):
        groups = {glyph.group for glyph in fragment.glyphs}
        lines.append(
            Line(
                id=f"p{page}l{index}",
                text=fragment.text(),
                page=page,
                source="ocr",
                bbox=fragment.bbox,
                confidence=fragment.confidence(),
                font=FontInfo(name="", size=round(fragment.size, 2)),
                polygon=recognised[groups.pop()].polygon if len(groups) == 1 else None,
            )
        )
    return lines
