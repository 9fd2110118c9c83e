"""Recognised pieces into glyphs: the two-em dash is measured from the room it fills."""

from __future__ import annotations

from bulletin_ocr.layout.gutters import Strip
from bulletin_ocr.layout.ocr_lines import glyph_groups, glyphs_of, lines_from_glyphs, lines_from_ocr
from bulletin_ocr.ocr import BoxGeometry, OcrLine

GEOMETRY = BoxGeometry(box_to_em=0.75, wide_space=1.1, latin_space=0.3)


def _line(pieces: list[tuple[str, float, float]]) -> OcrLine:
    words = tuple((text, (x0, 0.0, x1, 50.0)) for text, x0, x1 in pieces)
    left, right = pieces[0][1], pieces[-1][2]
    return OcrLine(
        text="".join(text for text, _, _ in pieces),
        polygon=((left, 0.0), (right, 0.0), (right, 50.0), (left, 50.0)),
        confidence=0.9,
        words=words,
    )


def _set_solid(text: str, start: float = 0.0, pitch: float = 50.0) -> list[tuple[str, float, float]]:
    return [(char, start + i * pitch, start + i * pitch + 45) for i, char in enumerate(text)]


def test_a_dash_joined_to_punctuation_fills_two_ems_and_reaches_the_next_word() -> None:
    # 律 ends at 245; ”。 take two ems, the dash two more: 按 starts four ems after 律.
    pieces = [*_set_solid("不知道法律"), ("”。—", 252, 360), *_set_solid("按照经济", start=450)]
    dash = glyphs_of(_line(pieces), 0, GEOMETRY)[5]
    assert dash.text == "”。——"
    assert dash.x1 >= 450


def test_a_dash_joined_to_punctuation_in_one_em_stays_single() -> None:
    pieces = [*_set_solid("不知道法律"), ("”。—", 252, 340), *_set_solid("按照经济", start=350)]
    assert glyphs_of(_line(pieces), 0, GEOMETRY)[5].text == "”。—"


def test_a_lone_dash_between_words_two_ems_apart_is_doubled() -> None:
    pieces = [*_set_solid("表现"), ("—", 120, 130), *_set_solid("底乘高", start=200)]
    assert [g.text for g in glyphs_of(_line(pieces), 0, GEOMETRY)][2] == "——"
    pieces = [*_set_solid("表现"), ("—", 100, 130), *_set_solid("底乘高", start=150)]
    assert [g.text for g in glyphs_of(_line(pieces), 0, GEOMETRY)][2] == "—"


def _box(pieces: list[tuple[str, float, float]], right: float, top: float = 0.0) -> OcrLine:
    """A recognised box whose outline reaches ``right``, past its last piece or not."""
    words = tuple((text, (x0, top, x1, top + 50.0)) for text, x0, x1 in pieces)
    left = pieces[0][1]
    return OcrLine(
        text="".join(text for text, _, _ in pieces),
        polygon=((left, top), (right, top), (right, top + 50.0), (left, top + 50.0)),
        confidence=0.9,
        words=words,
    )


def test_the_room_a_box_leaves_after_its_last_piece_is_measured_in_ems() -> None:
    # Pieces 50 apart; the box goes on half an em past 委 (a thin ``）`` read as nothing).
    open_office = _box(_set_solid("效果明显（区卫生健康委"), right=550 + 25)
    whole = _box(_set_solid("形成工作合力"), right=300 - 5, top=100)
    lone = _box([("镇", 0.0, 75.0)], right=75.0, top=200)  # one glyph, a box 1.5 ems wide
    lines, _ = lines_from_ocr([open_office, whole, lone], 1, GEOMETRY)
    rooms = {line.text: line.unread_after for line in lines}
    assert 0.45 <= rooms["效果明显（区卫生健康委"] <= 0.6
    assert rooms["形成工作合力"] == 0.0
    assert rooms["镇"] >= 0.2


def _column_page(right_lines: int) -> list[OcrLine]:
    """A left column of 20 full lines of 12 glyphs (x 0-595) and a right one (x 700-1295)
    holding ``right_lines`` lines, on rows 80 apart; a page number centred below both."""
    body = "推动工作常态长效确保各项"
    boxes = [_box(_set_solid(body), right=595, top=row * 80.0) for row in range(20)]
    boxes += [
        _box(_set_solid("排部署下一阶段重点任务", start=700.0), right=1245, top=row * 80.0)
        for row in range(right_lines)
    ]
    return [*boxes, _box([("-", 560, 600), ("2", 625, 670), ("-", 695, 735)], 735, 1700.0)]


def _laid_out(boxes: list[OcrLine], known: list[Strip]) -> tuple[list[str], list[Strip]]:
    lines, strips = lines_from_glyphs(
        glyph_groups(boxes, GEOMETRY), boxes, 1, styled=False, known=known
    )
    return [line.text for line in lines], strips


def test_a_column_of_two_lines_keeps_the_gutter_of_the_page_before() -> None:
    # On its own the page shows too little text right of the gutter to be two columns (and
    # the page number crosses it): its rows are read across it.
    alone, strips = _laid_out(_column_page(2), [])
    assert strips == [] and alone[1] == "排部署下一阶段重点任务"
    _, before = _laid_out(_column_page(20), [])
    assert len(before) == 1
    texts, _ = _laid_out(_column_page(2), before)
    assert texts[:22] == ["推动工作常态长效确保各项"] * 20 + ["排部署下一阶段重点任务"] * 2


def test_a_gutter_text_crosses_is_not_kept() -> None:
    full = "推动工作常态长效确保各项推动工作常态长效确保各项推动"
    boxes = [_box(_set_solid(full), right=1295, top=row * 80.0) for row in range(20)]
    texts, strips = _laid_out(boxes, [(610.0, 700.0)])
    assert texts == [full] * 20 and strips == []
