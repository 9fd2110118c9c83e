"""Recognised boxes into printed lines: boxes on one baseline join, in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bulletin_ocr.layout.glyphs import Glyph, build_fragments, column_strips
from bulletin_ocr.layout.gutters import Strip
from bulletin_ocr.layout.margins import split_at_body_edges
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.layout.style import style_glyphs
from bulletin_ocr.model import BBox, FontInfo, Line
from bulletin_ocr.ocr import BoxGeometry, OcrLine
from bulletin_ocr.repair.chars import visual_width


def em_of(text: str, width: float, height: float, box_to_em: float) -> float:
    """The type size of a recognised box in pixels, read off its width where it can be, else
    off its height by the engine's ratio (detection boxes are drawn larger than the glyphs).

    >>> em_of("区委组织部", 250, 66, 0.75), em_of("区委", 100, 66, 0.75)
    (50.0, 49.5)
    """
    ems = visual_width(text)
    if ems >= 4:
        return width / ems
    return height * box_to_em


def glyphs_of(line: OcrLine, group: int, geometry: BoxGeometry) -> list[Glyph]:
    """One glyph per recognised piece where the engine placed them, else one for the box."""
    xs = [x for x, _ in line.polygon]
    ys = [y for _, y in line.polygon]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    em = em_of(line.text, x1 - x0, bottom - top, geometry.box_to_em)
    spaces = (geometry.wide_space, geometry.latin_space)
    if not line.words:
        return [Glyph(line.text, x0, x1, top, bottom, em, confidence=line.confidence,
                      group=group, spaces=spaces)]
    pieces = [(text, box) for text, box in line.words if text.strip()]
    return [
        Glyph(
            _dash_as_printed(pieces, index, em), box[0], box[2], top, bottom, em,
            confidence=line.confidence, group=group, spaces=spaces,
        )
        for index, (_, box) in enumerate(pieces)
    ]


# Chinese prints its dash (破折号) two ems long; recognisers read it as one ``—`` whose
# position is a point, so its length shows only as the room between its neighbours.
DOUBLE_DASH_EM = 1.5


def _dash_as_printed(
    pieces: Sequence[tuple[str, tuple[float, float, float, float]]], index: int, em: float
) -> str:
    """``——`` for a lone ``—`` that fills two ems between its neighbours, else the text."""
    text = pieces[index][0]
    if text != "—" or index == 0 or index + 1 >= len(pieces):
        return text
    room = pieces[index + 1][1][0] - pieces[index - 1][1][2]
    return "——" if room >= DOUBLE_DASH_EM * em else text


def lines_from_ocr(
    recognised: Sequence[OcrLine],
    page: int,
    geometry: BoxGeometry,
    first_index: int = 1,
    image: Any = None,
    dividers: Sequence[BBox] = (),
) -> tuple[list[Line], list[Strip]]:
    """Lines in reading order, each joining the boxes the detector split on one baseline, and
    the gutters between the page's columns that ordered them (a line's indent is measured in
    its own column: a short last line of a column read against a masthead across the page
    looked indented by seven ems).

    With the page ``image`` the glyphs' weight, size and colour are measured from its pixels
    (``layout.style``) and the lines get style runs; ``dividers`` are rules printed across
    the page, which end a column flow. ``geometry`` is the engine's (``ocr.registry``).
    """
    groups = [glyphs_of(line, group, geometry) for group, line in enumerate(recognised)]
    if image is not None:
        groups = style_glyphs(image, groups)
    glyphs = [g for group in groups for g in group]
    lines = []
    strips = column_strips(glyphs, (), dividers)
    gutters = [(x0 + x1) / 2 for x0, x1 in strips]
    fragments = order_fragments(build_fragments(glyphs, strips), dividers, gutters)
    if not strips:  # one column: its edges are the page's line starts and ends
        fragments = split_at_body_edges(fragments)
    for index, fragment in enumerate(fragments, start=first_index):
        boxes = {glyph.group for glyph in fragment.glyphs}
        text, runs = fragment.styled_text()
        font = fragment.font() if image is not None else FontInfo("", round(fragment.size, 2))
        lines.append(
            Line(
                id=f"p{page}l{index}",
                text=text,
                page=page,
                source="ocr",
                bbox=fragment.bbox,
                confidence=fragment.confidence(),
                font=font,
                polygon=recognised[boxes.pop()].polygon if len(boxes) == 1 else None,
                runs=runs if image is not None else [],
            )
        )
    return lines, strips
