"""A display line set in from the column's edge after a full line whose full stop OCR lost is
a headline, not emphasis inside the sentence (``structure.blocks``; issue 22, round 9:
b012523)."""

from __future__ import annotations

from bulletin_ocr.model import Line, Page
from bulletin_ocr.pipeline import build_document
from column_lines import EM, column_line


def _line(n: int, text: str, indent: float, right_gap: float, bold: bool = False,
          size: float = EM) -> Line:
    return column_line(n, text, indent, right_gap, bold=bold, size=size, width=720.0)


BEFORE = [
    ("会议指出，安全生产事关群", 2.0, 0.0),
    ("众切身利益，要坚持以人民", 0.0, 0.0),
    ("为中心，确保各项目标任务", 0.0, 0.0),
    ("圆满完成二〇二三年度工作", 0.0, 0.0),  # full, its sentence's full stop not read
]
AFTER = [
    ("今年以来，我区精准落实企", 2.0, 0.0),
    ("业服务工作，累计完成投资", 0.0, 0.0),
    ("768万元，同比增长5.9%。", 0.0, 3.0),
]


def _document(head_indent: float) -> list[tuple[str | None, str]]:
    lines = [_line(i, text, indent, gap) for i, (text, indent, gap) in enumerate(BEFORE)]
    n = len(lines)
    lines += [
        _line(n, "兴隆镇以“五强化”", head_indent, 1.2, bold=True, size=1.15 * EM),
        _line(n + 1, "推动乡村振兴", 1.8, 1.8, bold=True, size=1.15 * EM),
    ]
    lines += [_line(n + 2 + i, text, indent, gap) for i, (text, indent, gap) in enumerate(AFTER)]
    page = Page(1, lines, width=1000, height=1800, unit="px", source="ocr")
    document = build_document([page], "x.tif", "0")
    return [(item.head.span.text if item.head else None,
             "".join(p.text for p in item.paragraphs)) for item in document.items]


def test_a_display_line_set_in_after_a_sentence_cut_short_is_a_headline() -> None:
    items = _document(head_indent=1.2)
    assert [head for head, _ in items] == [None, "兴隆镇以“五强化”推动乡村振兴"]
    assert items[0][1].endswith("圆满完成二〇二三年度工作")
    assert items[1][1].startswith("今年以来")


def test_a_display_run_at_the_columns_edge_goes_on_with_the_sentence() -> None:
    # The same bold run opening the next line at the column's edge: emphasis inside the
    # sentence (the book's ``我们所要考察的社会`` / ``形式中，…``).
    items = _document(head_indent=0.0)
    assert "圆满完成二〇二三年度工作兴隆镇以“五强化”" in items[0][1]
