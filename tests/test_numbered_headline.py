"""A scanned headline whose numbered first line measured in the body's face is still one
headline (``structure.blocks``; issue 22, round 5: b011057, b009738)."""

from __future__ import annotations

from bulletin_ocr.model import Line, Page
from bulletin_ocr.pipeline import build_document
from column_lines import column_line


def _line(n: int, text: str, indent: float, right_gap: float, bold: bool = False) -> Line:
    return column_line(n, text, indent, right_gap, bold=bold)


BODY = [
    ("白伟强调，要坚持问题导", 2.0, 0.0),
    ("向，逐项抓好整改落实，要", 0.0, 0.0),
    ("守牢安全底线，确保各项任", 0.0, 0.0),
    ("务落地见效。", 0.0, 5.0),
    ("截至6月8日，共走访26", 2.0, 0.0),
    ("项，解决实际困难159个，", 0.0, 0.0),
    ("整改完成率达90.4%。", 0.0, 3.0),
    ("活动当天，工作人员于8:00", 2.0, 0.0),
    ("至11:00在滨河街道设置咨", 0.0, 0.0),
    ("询台，发放宣传资料12份，", 0.0, 0.0),
    ("获得上级部门肯定，赢得辖", 0.0, 0.0),
    ("区群众广泛赞誉。", 0.0, 4.0),
]


def test_a_numbered_first_line_in_the_body_face_opens_the_bold_headline_after_it() -> None:
    head = [
        _line(1, "（二）东岳街道精准", 2.0, 0.0),  # 黑体 measured 1.17: not bold
        _line(2, "落实优化营商环境工作全", 0.0, 0.0, bold=True),
        _line(3, "力助推反诈宣传见行见效", 0.0, 0.0, bold=True),
    ]
    body = [_line(4 + i, text, indent, gap) for i, (text, indent, gap) in enumerate(BODY)]
    page = Page(1, [*head, *body], width=1000, height=1500, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    heads = [item.head.span.text for item in document.items if item.head]
    assert heads == ["（二）东岳街道精准落实优化营商环境工作全力助推反诈宣传见行见效"]


def test_a_numbered_paragraph_that_ends_its_sentence_stays_a_paragraph() -> None:
    lines = [
        _line(1, "（二）东岳街道精准落实", 2.0, 0.0),
        _line(2, "优化营商环境工作。", 0.0, 3.0),
        _line(3, "落实优化营商环境工作全", 0.0, 0.0, bold=True),
        _line(4, "力助推反诈宣传见行见效", 0.0, 0.0, bold=True),
        *(_line(5 + i, text, indent, gap) for i, (text, indent, gap) in enumerate(BODY)),
    ]
    page = Page(1, lines, width=1000, height=1500, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    heads = [item.head.span.text for item in document.items if item.head]
    assert heads == ["落实优化营商环境工作全力助推反诈宣传见行见效"]


def test_a_short_numbered_line_whose_last_word_goes_on_opens_the_headline_after_it() -> None:
    # b012344 (1-bit, a larger face in a narrow column): ``（一）区统`` measured in the body's
    # face and stops short; the headline goes on, set in from the edge, with ``计局``.
    def document(first: str, second: str) -> list[str]:
        lines = [
            _line(1, first, 3.1, 2.0),
            _line(2, second, 1.6, 2.0, bold=True),
            _line(3, "务见行见效", 1.6, 2.0, bold=True),
            *(_line(4 + i, text, indent, gap) for i, (text, indent, gap) in enumerate(BODY)),
        ]
        page = Page(1, lines, width=1000, height=2000, unit="px", source="ocr")
        document = build_document([page], "x.tif", "0")
        return [item.head.span.text for item in document.items if item.head]

    assert document("（一）区统", "计局数字政") == ["（一）区统计局数字政务见行见效"]


def test_only_a_word_across_the_break_lets_a_short_line_go_on() -> None:
    from bulletin_ocr.structure.blocks import _word_goes_on

    assert _word_goes_on(_line(1, "（一）区统", 3.1, 2.0), _line(2, "计局数字政", 1.6, 2.0))
    assert not _word_goes_on(_line(1, "（一）工作动态", 3.1, 2.0), _line(2, "区统计局数字政", 1.6, 2.0))
    # A sentence that ended is no headline's first line, whatever word follows.
    assert not _word_goes_on(_line(1, "（一）工作。区统", 3.1, 2.0), _line(2, "计局数字政", 1.6, 2.0))
