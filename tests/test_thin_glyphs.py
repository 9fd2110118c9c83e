"""Thin glyphs (一 二 三) the recogniser dropped are put back where their bars stand alone
between two glyphs (``ocr.thin_glyphs``)."""

from __future__ import annotations

import numpy as np

from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.layout.ocr_lines import lines_from_glyphs
from bulletin_ocr.model import BodyInk
from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.ocr.thin_glyphs import REPAIR, restore_thin_glyphs

BODY = BodyInk(stroke=4.0, height=50.0, em=60.0, pitch=60.0, area=900.0)


def _page(*bars: tuple[int, int, int, int]) -> np.ndarray:
    """A white strip with two glyphs' ink (x 100-150 and 240-290, rows 10-60) and ``bars``
    (x0, top, x1, bottom) between them."""
    image = np.full((80, 400), 255, dtype=np.uint8)
    image[10:60, 100:150] = 0
    image[10:60, 240:290] = 0
    for x0, top, x1, bottom in bars:
        image[top:bottom, x0:x1] = 0
    return image


def _pair(left: str = "下", right: str = "步") -> list[Glyph]:
    return [Glyph(left, 98.0, 152.0, 5.0, 65.0, 60.0, confidence=0.9, group=0),
            Glyph(right, 238.0, 292.0, 5.0, 65.0, 60.0, confidence=0.9, group=0)]


def _texts(image: np.ndarray, left: str = "下", right: str = "步") -> str:
    [group] = restore_thin_glyphs(image, [_pair(left, right)], BODY)
    return "".join(glyph.text for glyph in group)


def test_one_bar_in_the_middle_between_two_glyphs_is_a_dropped_yi() -> None:
    image = _page((175, 33, 215, 37))
    [group] = restore_thin_glyphs(image, [_pair()], BODY)
    assert [glyph.text for glyph in group] == ["下", "一", "步"]
    assert group[1].restored == REPAIR and 170 <= group[1].x0 < group[1].x1 <= 220
    recognised = [OcrLine("下步", ((95, 5), (295, 5), (295, 65), (95, 65)), 0.9)]
    [line], _ = lines_from_glyphs([group], recognised, 1, styled=False)
    assert line.text == "下一步" and line.repairs == [REPAIR]


def test_a_broken_bar_still_counts() -> None:
    # 1-bit pages keep pieces of the stroke: 一 of b011632 left 6 and 1 columns of it.
    assert _texts(_page((178, 33, 186, 37), (196, 34, 198, 37), (205, 33, 211, 36))) == "下一步"


def test_two_and_three_bars_spread_over_the_line_are_er_and_san() -> None:
    assert _texts(_page((180, 18, 205, 22), (172, 50, 214, 54)), "：", "是") == "：二是"
    three = _page((180, 16, 205, 20), (182, 33, 203, 37), (172, 52, 214, 56))
    assert _texts(three, "：", "是") == "：三是"


def test_blank_paper_specks_and_marks_are_no_glyph() -> None:
    assert _texts(_page()) == "下步"  # a run-in headline's gap
    assert _texts(_page((180, 20, 183, 23), (200, 40, 202, 42))) == "下步"  # specks
    ring = [(185, 45, 197, 47), (185, 55, 197, 57), (185, 45, 187, 57), (195, 45, 197, 57)]
    assert _texts(_page(*ring)) == "下步"  # a broken 。 stands low and round
    assert _texts(_page((160, 33, 230, 37))) == "下步"  # longer than a glyph: a dash
    assert _texts(_page((175, 52, 215, 56))) == "下步"  # low: an underline, not 一


def test_no_glyph_beside_a_dash_or_before_a_mark() -> None:
    image = _page((175, 33, 215, 37))
    assert _texts(image, "—", "译") == "—译"  # the dash's own bar reaches into the gap
    assert _texts(image, "誉", "。") == "誉。"
    assert _texts(image, "%。", "全") == "%。全"  # b011893: the stop's ring, broken
    assert _texts(image, "二", "是") == "二是"  # a bar glyph beside: its own bars
