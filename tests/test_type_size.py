"""One body size across a document's recognised pages (``layout.type_size``)."""

from __future__ import annotations

from bulletin_ocr.layout.type_size import one_body_size
from bulletin_ocr.model import FontInfo, Line, Page, StyleRun


def _line(page: int, n: int, text: str, sizes: list[tuple[int, float]]) -> Line:
    runs, start = [], 0
    for length, size in sizes:
        runs.append(StyleRun(start, start + length, FontInfo("", size)))
        start += length
    return Line(f"p{page}l{n}", text, page, "ocr", font=runs[0].font, runs=runs)


def _page(number: int, lines: list[Line], source: str = "ocr") -> Page:
    return Page(number, lines, unit="px", source=source)  # type: ignore[arg-type]


def test_a_page_whose_body_read_larger_is_scaled_to_the_documents_body() -> None:
    first = _page(1, [_line(1, n, "全区上下认真贯彻落实各项部署要求", [(16, 58.7)]) for n in range(1, 9)])
    # Two lines full of figures: the page's own reading of its body came out 11 % large.
    last = _page(2, [
        _line(2, 1, "区委宣传部以强化推动安全生产全年计划", [(11, 72.4), (7, 65.2)]),
        _line(2, 2, "目29个总投资530万元其中民生类项目占比", [(21, 65.2)]),
    ])
    one_body_size([first, last])
    assert [run.font.size for run in last.lines[1].runs] == [58.7]
    # The headline run keeps its size against the body beside it.
    head, body = last.lines[0].runs
    assert body.font.size == 58.7
    assert round(head.font.size / body.font.size, 2) == round(72.4 / 65.2, 2)
    assert last.lines[0].font is not None and last.lines[0].font.size == head.font.size
    assert [run.font.size for run in first.lines[0].runs] == [58.7]


def test_pages_in_another_face_or_read_from_a_text_layer_keep_their_sizes() -> None:
    body = _page(1, [_line(1, n, "全区上下认真贯彻落实各项部署要求", [(16, 58.7)]) for n in range(1, 9)])
    cover = _page(2, [_line(2, 1, "关于加强基层治理的若干意见", [(13, 88.0)])])
    pdf = _page(3, [_line(3, 1, "全区上下认真贯彻落实各项部署要求", [(16, 16.0)])], source="pdf")
    one_body_size([body, cover, pdf])
    assert cover.lines[0].runs[0].font.size == 88.0
    assert pdf.lines[0].runs[0].font.size == 16.0
