"""A run-in headline whose face ends where the body's opening words begin ends there, not at a
space a few glyphs on that OCR left where it lost glyphs (``structure.blocks``; issue 22,
round 9: b012711)."""

from __future__ import annotations

from bulletin_ocr.model import FontInfo, Line, Page, StyleRun
from bulletin_ocr.pipeline import build_document
from column_lines import EM, column_line

PLAIN, BOLD = FontInfo("", EM, False), FontInfo("", EM, True)


def _line(n: int, text: str, indent: float, right_gap: float, head: int = 0) -> Line:
    """A line whose first ``head`` characters are bold."""
    runs = [StyleRun(0, head, BOLD), StyleRun(head, len(text), PLAIN)] if head else [
        StyleRun(0, len(text), PLAIN)]
    return column_line(n, text, indent, right_gap, width=1800.0, runs=runs)


def _heads(first: str, head: int) -> list[str]:
    lines = [
        _line(0, "解决实际困难1211个，整改完成率达89.4%。", 0.0, 10.0),
        _line(1, first, 2.0, 0.0, head=head),
        _line(2, "解决实际困难14个，整改完成率达71.7%。一是建立领导包联机", 0.0, 0.0),
        _line(3, "制，共排查问题911件。", 0.0, 18.0),
    ]
    page = Page(1, lines, width=2000, height=1500, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    return [item.head.span.text for item in document.items if item.head]


def test_a_run_in_headline_ends_at_the_bodys_opening_words_not_at_a_space_after_them() -> None:
    # 1-bit scan: ``4月7日，`` read ``4月7. `` (a space where ``日，`` was lost).
    assert _heads("城关镇统筹推进养老服务工作截至4月7. 共走访22户.", 13) == [
        "城关镇统筹推进养老服务工作"
    ]


def test_a_face_change_a_glyph_off_still_snaps_to_the_space_beside_it() -> None:
    # The measured change fell one glyph into the headline; the gap after it is the end.
    assert _heads("城关镇统筹推进养老服务工作 近期共走访22户，解决困难5个", 12) == [
        "城关镇统筹推进养老服务工作"
    ]


def test_opening_words_before_a_date_the_break_cuts_open_the_body_with_it() -> None:
    from bulletin_ocr.structure.blocks import _openers_before

    # b012956 (grey, a larger face filling its line): ``…工作会议截至1`` / ``月26日，共走访…``.
    text = "区司法局召开2019年稳岗就业工作会议截至1"
    assert _openers_before(text + "月26日", len(text) - 1) == len(text) - 3
    # Nothing before the date: it stays.
    plain = "区司法局召开2019年稳岗就业工作会议1"
    assert _openers_before(plain + "月26日", len(plain) - 1) == len(plain) - 1
    larger = FontInfo("", 1.15 * EM, False)
    lines = [
        column_line(0, text, 2.0, 0.0, width=1800.0, size=1.15 * EM,
                    runs=[StyleRun(0, len(text), larger)]),
        _line(1, "月26日，共走访10688处，解决实际困难708个，整改完成率达", 0.0, 0.0),
        _line(2, "70.1%。活动当天，工作人员在望江街道设置咨询台。", 0.0, 8.0),
    ]
    page = Page(1, lines, width=2000, height=1500, unit="px", source="ocr")
    heads = [item.head.span.text for item in build_document([page], "x.tif", "0").items
             if item.head]
    assert heads == ["区司法局召开2019年稳岗就业工作会议"]
