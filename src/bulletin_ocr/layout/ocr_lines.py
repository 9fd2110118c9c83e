"""Recognised boxes into printed lines: boxes on one baseline join, in reading order."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from bulletin_ocr.layout.glyphs import Glyph, build_fragments, column_strips
from bulletin_ocr.layout.gutters import Strip
from bulletin_ocr.layout.margins import split_at_body_edges
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.model import BBox, FontInfo, Line
from bulletin_ocr.ocr import BoxGeometry, OcrLine
from bulletin_ocr.repair.chars import is_wide, visual_width


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
    pitch = _character_pitch(pieces) or em
    glyphs = []
    for index in range(len(pieces)):
        printed, left, right = _dash_as_printed(pieces, index, pitch)
        glyphs.append(
            Glyph(printed, left, right, top, bottom, em, confidence=line.confidence, group=group,
                  spaces=spaces)
        )
    return glyphs


# Chinese prints its dash (破折号) two ems long; recognisers read it as one ``—`` whose
# position is a point, so its length shows only as the room its neighbours leave it.
DASH_EM = {"—": 1.0, "——": 2.0}
# Two punctuation marks side by side are set in one and a half ems (标点挤压).
PUNCTUATION_PAIR_SAVING_EM = 0.5


def _character_pitch(pieces: Sequence[tuple[str, tuple[float, float, float, float]]]) -> float:
    """The mean advance from one wide character to the next: the em as the line is set, which
    the line box (padded by the detector, stretched by half-width runs) only bounds. (The
    decoder's steps alternate between two lengths, so a median picks one of them.)"""
    steps = [
        following[1][0] - piece[1][0]
        for piece, following in pairwise(pieces)
        if len(piece[0]) == len(following[0]) == 1 and is_wide(piece[0]) and is_wide(following[0])
    ]
    return sum(steps) / len(steps) if len(steps) >= 3 else 0.0


def _dash_as_printed(
    pieces: Sequence[tuple[str, tuple[float, float, float, float]]], index: int, em: float
) -> tuple[str, float, float]:
    """The piece's text and extent, with its one ``—`` doubled where the dash fills two ems.

    The recogniser may hand the dash alone or joined to the punctuation before or after it
    (``”。—``). Between its neighbours the piece takes at most its other characters' full
    width plus one em if the dash is single, at least their squeezed width plus two ems if
    it is double; the room measured is read as the nearer of the two. A doubled dash reaches
    its neighbours: the room it fills is not a space between words.
    """
    text, box = pieces[index]
    unchanged = (text, box[0], box[2])
    if text.count("—") != 1 or text.strip("—") not in (text[1:], text[:-1]):
        return unchanged
    if index == 0 or index + 1 >= len(pieces):
        return unchanged  # at a line's end the dash has no measured neighbour on one side
    left, right = pieces[index - 1][1][2], pieces[index + 1][1][0]
    others = text.replace("—", "")
    widest_single = visual_width(others) + DASH_EM["—"]
    narrowest_double = visual_width(others) - _squeezed(others) + DASH_EM["——"]
    if (right - left) / em < (widest_single + narrowest_double) / 2:
        return unchanged
    doubled = text.replace("—", "——")
    if text.startswith("—"):
        return doubled, min(left, box[0]), box[2]
    return doubled, box[0], max(right, box[2])


def _squeezed(text: str) -> float:
    """Ems saved by setting adjacent punctuation marks together."""
    marks = [unicodedata.category(char).startswith("P") for char in text]
    pairs = sum(1 for first, second in pairwise(marks) if first and second)
    return pairs * PUNCTUATION_PAIR_SAVING_EM


def glyph_groups(recognised: Sequence[OcrLine], geometry: BoxGeometry) -> list[list[Glyph]]:
    """The glyphs of each recognised box, in the recogniser's order (``Glyph.group`` is the
    box's index)."""
    return [glyphs_of(line, group, geometry) for group, line in enumerate(recognised)]


def lines_from_ocr(
    recognised: Sequence[OcrLine],
    page: int,
    geometry: BoxGeometry,
    first_index: int = 1,
    dividers: Sequence[BBox] = (),
) -> tuple[list[Line], list[Strip]]:
    """Lines of recognised boxes whose faces are not known (no page image: lines showing
    through from the back), as ``lines_from_glyphs`` builds them."""
    groups = glyph_groups(recognised, geometry)
    return lines_from_glyphs(groups, recognised, page, first_index, dividers, styled=False)


def lines_from_glyphs(
    groups: Sequence[Sequence[Glyph]],
    recognised: Sequence[OcrLine],
    page: int,
    first_index: int = 1,
    dividers: Sequence[BBox] = (),
    *,
    styled: bool,
    known: Sequence[Strip] = (),
) -> tuple[list[Line], list[Strip]]:
    """Lines in reading order, each joining the boxes the detector split on one baseline, and
    the gutters between the page's columns that ordered them (a line's indent is measured in
    its own column: a short last line of a column read against a masthead across the page
    looked indented by seven ems).

    ``groups`` are the glyphs of each of the ``recognised`` boxes (``glyph_groups``); when
    ``styled``, their faces were judged on the page's pixels (``layout.ink`` measures,
    ``structure.faces`` judges) and the lines get style runs. The judged sizes chain the
    lines: the body set to the page's usual em, not each box's own reading of it (measured:
    chaining on the boxes' own sizes changed the lines or spaces of 5 of 16 scans).
    ``dividers`` are rules printed across the page, which end a column flow. ``known`` are
    the gutters of the page before, kept where no text crosses them: a page whose second
    column holds two lines shows too little text there to stand out as a column.
    """
    glyphs = [g for group in groups for g in group]
    lines = []
    strips = column_strips(glyphs, known, dividers)
    gutters = [(x0 + x1) / 2 for x0, x1 in strips]
    fragments = order_fragments(build_fragments(glyphs, strips), dividers, gutters)
    if not strips:  # one column: its edges are the page's line starts and ends
        fragments = split_at_body_edges(fragments)
    for index, fragment in enumerate(fragments, start=first_index):
        boxes = {glyph.group for glyph in fragment.glyphs}
        text, runs = fragment.styled_text()
        font = fragment.font() if styled else FontInfo("", round(fragment.size, 2))
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
                runs=runs if styled else [],
                unread_before=unread_before(fragment.glyphs[0], recognised),
                unread_after=unread_after(fragment.glyphs[-1], recognised),
                gaps=fragment.gap_offsets() if styled else (),
                repairs=sorted({glyph.restored for glyph in fragment.glyphs if glyph.restored}),
            )
        )
    return lines, strips


# A detector's box reaches past the ink of one lone glyph by about this much in all (ems;
# boxes read whole on the corpus's 1-bit scans: 0.09-0.26).
LONE_PIECE_PADDING_EM = 0.2


def unread_after(last: Glyph, recognised: Sequence[OcrLine]) -> float:
    """Ems of the recognised box left after ``last``, the last glyph of a printed line, where
    the recogniser may have dropped a glyph it saw (0 when the line ends inside the box).

    A Chinese piece is placed on its decoder column and cut at the box's end, so a box read
    whole ends at its last piece; a box of one piece is measured by its width instead.
    """
    if last.group < 0 or last.group >= len(recognised) or last.size <= 0:
        return 0.0
    line = recognised[last.group]
    pieces = [(text, box) for text, box in line.words if text.strip()]
    if not pieces or pieces[-1][1][2] > last.x1:
        return 0.0
    xs = [x for x, _ in line.polygon]
    if len(pieces) >= 2:
        pitch = _character_pitch(pieces) or last.size
        return max(0.0, (max(xs) - last.x1) / pitch)
    ems = (max(xs) - min(xs)) / last.size
    return max(0.0, ems - visual_width(line.text) - LONE_PIECE_PADDING_EM)


def unread_before(first: Glyph, recognised: Sequence[OcrLine]) -> float:
    """Ems of the recognised box left before ``first``, the first glyph of a printed line,
    where the recogniser may have dropped a glyph it saw (0 when the line starts inside the
    box): ``unread_after`` at the other end. A box of one piece leaves its room at either end,
    so it is measured by ``unread_after`` alone.
    """
    if first.group < 0 or first.group >= len(recognised) or first.size <= 0:
        return 0.0
    line = recognised[first.group]
    pieces = [(text, box) for text, box in line.words if text.strip()]
    if len(pieces) < 2 or pieces[0][1][0] < first.x0:
        return 0.0
    pitch = _character_pitch(pieces) or first.size
    return max(0.0, (first.x0 - min(x for x, _ in line.polygon)) / pitch)
