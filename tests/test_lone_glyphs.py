"""A glyph standing alone on its line, scored too low by the detector, is kept beside the line
it stands on (``ocr.lone_glyphs``)."""

from __future__ import annotations

from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.ocr.lone_glyphs import lone_glyphs


def _line(text: str, x0: float, top: float, x1: float, bottom: float, sure: float = 0.99) -> OcrLine:
    return OcrLine(text, ((x0, top), (x1, top), (x1, bottom), (x0, bottom)), sure)


# b011610: 效 ends a headline wrapped from the line above, an em and a half before the body's
# indented first line on the same row.
BODY = _line("10月19日，白鹭区召开人才引进工作推进会，", 505, 2356, 2113, 2467)
ABOVE = _line("白鹭区召开2020年垃圾分类工作会议全力助推志愿服务提质增", 411, 2250, 2164, 2363)


def test_a_lone_glyph_beside_the_line_on_its_row_is_kept() -> None:
    alone = _line("效", 296, 2377, 483, 2452, sure=1.0)
    assert lone_glyphs([ABOVE, BODY], [alone]) == [alone]


def test_what_a_speck_or_a_stray_mark_reads_is_not_kept() -> None:
    unsure = _line("效", 296, 2377, 483, 2452, sure=0.7)
    latin = _line("P", 296, 2377, 330, 2452)
    long = _line("白鹭区召开会议", 296, 2377, 483, 2452)
    assert lone_glyphs([ABOVE, BODY], [unsure, latin, long]) == []


def test_a_candidate_off_every_row_or_over_a_kept_box_is_not_kept() -> None:
    between = _line("效", 296, 2330, 483, 2380)  # half on one row, half on the next
    over = _line("进会", 1600, 2370, 1700, 2450)  # inside the body's box: read there
    far = _line("效", 2600, 2377, 2680, 2452)  # in the margin, far from any line
    small = _line("效", 296, 2400, 330, 2420)  # a speck's height, not a glyph's
    assert lone_glyphs([ABOVE, BODY], [between, over, far, small]) == []
