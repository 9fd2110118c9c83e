"""Margin notes are a few glyphs beside the body, never a column of text (issue 21 item 4)."""

from __future__ import annotations

from bulletin_ocr.model import BBox, Line
from bulletin_ocr.structure.apparatus import _margin_lines

EM = 20.0


def line(number: int, x0: float, x1: float, text: str) -> Line:
    top = 100 + 30 * number
    return Line(id=f"p1l{number}", text=text, page=1, source="ocr",
                bbox=BBox(x0, top, x1, top + EM))


def body(count: int) -> list[Line]:
    return [line(n, 100, 900, "中" * 40) for n in range(count)]


def test_a_reference_beside_the_body_is_a_margin_line() -> None:
    reference = line(2, 920, 990, "14（Ⅱ）")
    assert _margin_lines([*body(8), reference], 100, 900, EM) == [reference]


def test_text_as_wide_as_a_column_beyond_the_edge_is_no_margin() -> None:
    # A generated bulletin's second column that no gutter was measured for: its lines were
    # taken for margin notes and its paragraphs left the items.
    column = [line(n, 920, 1200, "查，共排查问题19件；二是组") for n in range(3)]
    attribution = line(3, 1080, 1200, "（滨河街道）")
    assert _margin_lines([*body(8), *column, attribution], 100, 900, EM) == []
