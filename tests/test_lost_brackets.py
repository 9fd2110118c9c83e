"""A closing bracket the recogniser dropped is put back where its box left room for it."""

from __future__ import annotations

from bulletin_ocr.layout.ocr_lines import lines_from_ocr
from bulletin_ocr.model import Line, Page
from bulletin_ocr.ocr import BoxGeometry, OcrLine
from bulletin_ocr.pipeline import build_document
from bulletin_ocr.structure.lost_brackets import (
    OPENING_REPAIR,
    PAIR_REPAIR,
    REPAIR,
    restore_closing_brackets,
)

GEOMETRY = BoxGeometry(box_to_em=0.75, wide_space=1.1, latin_space=0.3)
PITCH = 50.0


def _box(text: str, row: int, room: float, left: float = 0.0, before: float = 0.0) -> OcrLine:
    """A box of ``text`` set solid on ``row`` from ``left``, its outline ``room`` ems past the
    last glyph and ``before`` ems ahead of the first."""
    top = row * 80.0
    words = tuple(
        (char, (left + i * PITCH, top, left + i * PITCH + 45, top + 50)) for i, char in enumerate(text)
    )
    right = words[-1][1][2] + room * PITCH
    return OcrLine(
        text=text,
        polygon=((start := left - before * PITCH, top), (right, top), (right, top + 50),
                 (start, top + 50)),
        confidence=0.95,
        words=words,
    )


def _restored(*boxes: OcrLine) -> list[Line]:
    lines, _ = lines_from_ocr(list(boxes), 1, GEOMETRY)
    restore_closing_brackets(lines)
    return lines


def test_an_office_name_opened_on_the_line_is_closed_where_the_box_has_room() -> None:
    [line] = _restored(_box("形成工作合力，效果明显（区卫生健康委", 0, room=0.4))
    assert line.text == "形成工作合力，效果明显（区卫生健康委）"
    assert line.repairs == [REPAIR]


def test_without_room_in_the_box_nothing_is_added() -> None:
    [line] = _restored(_box("形成工作合力，效果明显（区卫生健康委", 0, room=0.0))
    assert line.text.endswith("健康委") and line.repairs == []


def test_a_name_wrapped_onto_the_next_line_is_closed_there() -> None:
    lines = _restored(
        _box("持续深化耕地保护，赢得辖区群众广泛赞誉（花溪", 0, room=0.0),
        _box("街道", 1, room=0.5),
    )
    assert [line.text for line in lines] == ["持续深化耕地保护，赢得辖区群众广泛赞誉（花溪", "街道）"]


def test_a_name_that_goes_on_over_the_break_is_closed_only_at_its_end() -> None:
    lines = _restored(
        _box("持续深化耕地保护，赢得辖区群众广泛赞誉（区委", 0, room=0.3),
        _box("组织部", 1, room=0.5),
    )
    assert [line.text for line in lines][-1] == "组织部）"
    assert lines[0].text.endswith("（区委")


def test_a_bracket_read_on_the_next_line_is_not_added_again() -> None:
    lines = _restored(
        _box("持续深化耕地保护，赢得辖区群众广泛赞誉（区委", 0, room=0.3),
        _box("组织部）", 1, room=0.0),
    )
    assert lines[0].text.endswith("（区委")


def test_the_attribution_is_found_and_the_repair_declared() -> None:
    lines = _restored(
        _box("今年以来，我区纵深推进优化营商环境工作，累计完成投资", 0, room=0.0),
        _box("亿元，同比增长，效果明显。（区卫生健康委", 1, room=0.45),
    )
    page = Page(1, lines, width=1600, height=2000, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    assert [item.attribution.text for item in document.items if item.attribution] == [
        "区卫生健康委"
    ]
    assert REPAIR in document.repairs


BODY = "今年以来，我区纵深推进优化营商环境工作，累计完成"  # 25 glyphs: the column is 1250 px


def test_an_office_name_alone_set_right_with_room_at_both_ends_gets_its_brackets() -> None:
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("投资亿元，效果明显", 1, room=0.0),
        _box("区民政局", 2, room=0.3, left=1250 - 5 * PITCH, before=0.3),
    )
    assert lines[-1].text == "（区民政局）" and lines[-1].repairs == [PAIR_REPAIR]
    page = Page(1, lines, width=1600, height=2000, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    assert [item.attribution.text for item in document.items if item.attribution] == ["区民政局"]
    assert PAIR_REPAIR in document.repairs


def test_a_centred_office_name_gets_no_brackets() -> None:
    # The issuer under a masthead's title: centred, clear of both edges of the column.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("区民政局", 1, room=0.3, left=(1250 - 4 * PITCH) / 2, before=0.3),
    )
    assert lines[-1].text == "区民政局" and lines[-1].repairs == []


def test_no_room_ahead_of_the_name_no_brackets() -> None:
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("区民政局", 1, room=0.3, left=1250 - 5 * PITCH, before=0.0),
    )
    assert lines[-1].text == "区民政局"


def test_a_phrase_ending_in_an_office_gets_no_brackets() -> None:
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("全区工作效果明显区民政局", 1, room=0.3, left=1250 - 13 * PITCH, before=0.3),
    )
    assert lines[-1].text == "全区工作效果明显区民政局"


def test_a_signature_above_its_date_gets_no_brackets() -> None:
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("区人民政府办公室", 1, room=0.3, left=1250 - 9 * PITCH, before=0.3),
        _box("2024年3月8日", 2, room=0.0, left=1250 - 8 * PITCH),
    )
    assert lines[1].text == "区人民政府办公室"


def test_the_column_edge_is_the_paragraph_above_not_a_line_across_the_page() -> None:
    # A footer across both columns below the left column's last paragraph (b011558 p2).
    across = "报：市委办公室，市政府办公室，区委各常委，区人大常委会办公室，区政府各副区长"
    lines = _restored(
        *(_box(BODY, row, room=0.0) for row in range(4)),
        _box("投资亿元，效果明显", 4, room=0.0),
        _box("区民政局", 5, room=0.3, left=1250 - 5 * PITCH, before=0.3),
        _box(across, 7, room=0.0),
    )
    assert lines[5].text == "（区民政局）"


def test_a_name_on_a_paragraphs_short_last_line_is_closed_though_its_box_has_no_room() -> None:
    # b011919: the detector's box ended before the ``）``; the line stops two ems short of
    # the column's edge, so the paragraph, and the name, end on it.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("切实解决群众急难愁盼问题。（北湖街道", 1, room=0.0),
        _box("今年以来，东岳街道统筹推进企业服务工作", 2, room=0.0, left=2 * PITCH),
    )
    assert lines[1].text.endswith("（北湖街道）") and lines[1].repairs == [REPAIR]
    # On a full line the name may go on over the break: nothing is added.
    full = _restored(
        _box(BODY, 0, room=0.0),
        _box("切实解决群众急难愁盼问题，形成工作合力。（北湖街道", 1, room=0.0),
    )
    assert full[1].text.endswith("北湖街道") and full[1].repairs == []


def test_an_office_name_alone_at_the_left_under_a_short_last_line_gets_its_brackets() -> None:
    # b011903: ``（区发展改革委）`` set on its own line at the column's left, read bare.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("人民为中心，切实解决群众急难愁盼问题", 1, room=0.0),
        _box("区发展改革委", 2, room=0.3, left=0.3 * PITCH, before=0.3),
    )
    assert lines[-1].text == "（区发展改革委）" and lines[-1].repairs == [PAIR_REPAIR]
    # Under a full line it may be the paragraph's last words: left as read.
    under_full = _restored(
        _box(BODY, 0, room=0.0),
        _box("区发展改革委", 1, room=0.3, left=0.3 * PITCH, before=0.3),
    )
    assert under_full[-1].text == "区发展改革委"
    # Where the next line goes on at the same edge, it is a wrapped line of a headline.
    wrapped = _restored(
        _box(BODY, 0, room=0.0),
        _box("南屏区召开2020", 1, room=0.0),
        _box("年耕地保护工作会", 2, room=0.3, left=0.3 * PITCH, before=0.3),
        _box("议全力助推社区党", 3, room=0.0, left=0.3 * PITCH),
    )
    assert wrapped[2].text == "年耕地保护工作会"


def test_a_town_set_right_that_kept_only_its_closing_bracket_gets_the_opening_one() -> None:
    # b011648: ``（杨柳镇）`` read ``杨柳镇)``, its box starting at the first glyph.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("传资料5777份，得到企业一致认可", 1, room=0.0),
        _box("杨柳镇)", 2, room=0.0, left=1250 - 4 * PITCH),
    )
    assert lines[-1].text == "(杨柳镇)" and lines[-1].repairs == [OPENING_REPAIR]
    page = Page(1, lines, width=1600, height=2000, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    assert [item.attribution.text for item in document.items if item.attribution] == ["杨柳镇"]
    # In running text, a name and a closing bracket are no attribution of their own.
    mid = _restored(_box(BODY, 0, room=0.0), _box("杨柳镇)", 1, room=0.0, left=6 * PITCH))
    assert mid[-1].text == "杨柳镇)"


def test_a_speck_read_as_a_dot_after_an_own_line_attribution_is_left_out_of_it() -> None:
    # b011607: ``（北湖街道）`` read ``（北湖街道）.``; it had become a headline.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _box("投资亿元，效果明显。", 1, room=0.0),
        _box("（北湖街道）.", 2, room=0.0, left=1250 - 7 * PITCH),
    )
    page = Page(1, lines, width=1600, height=2000, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    [item] = document.items
    assert item.head is None and item.attribution is not None
    assert item.attribution.text == "北湖街道" and item.attribution.orig == "（北湖街道）."


def _gapped(before: str, after: str, row: int, gap: float = 2.0) -> OcrLine:
    """A box of ``before``, a gap of ``gap`` ems, then ``after``, set solid from the left."""
    top = row * 80.0
    lefts = [i * PITCH for i in range(len(before))]
    lefts += [(len(before) + gap + i) * PITCH for i in range(len(after))]
    words = tuple(
        (char, (x, top, x + 45, top + 50)) for char, x in zip(before + after, lefts, strict=True)
    )
    right = words[-1][1][2]
    return OcrLine(
        text=f"{before} {after}",
        polygon=((0.0, top), (right, top), (right, top + 50), (0.0, top + 50)),
        confidence=0.95,
        words=words,
    )


def test_an_office_name_after_a_gap_at_a_paragraphs_end_gets_its_brackets() -> None:
    # b011859: ``…重点任务。（区信访局）`` set after the paragraph's last words, read with
    # neither bracket; the line stops short of the column's edge.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _gapped("安排部署下阶段重点任务。", "区信访局", 1),
    )
    assert lines[1].text == "安排部署下阶段重点任务。 （区信访局）"
    assert lines[1].repairs == [PAIR_REPAIR]
    page = Page(1, lines, width=1600, height=2000, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    assert [item.attribution.text for item in document.items if item.attribution] == ["区信访局"]


def test_offices_listed_after_a_gap_get_no_brackets() -> None:
    # A footer's distribution line, and two offices side by side: a list, not an attribution.
    lines = _restored(
        _box(BODY, 0, room=0.0),
        _gapped("送：区政府办公室", "区委办公室", 1),
        _gapped("区民政局", "区财政局", 2),
        _gapped("安排部署下阶段重点任务", "落实落细", 3),
    )
    assert [line.text for line in lines[1:]] == [
        "送：区政府办公室 区委办公室", "区民政局 区财政局", "安排部署下阶段重点任务 落实落细"
    ]
    assert all(not line.repairs for line in lines)
