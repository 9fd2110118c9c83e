"""A recognised page that shows no columns of its own is measured in the page before's."""

from __future__ import annotations

from bulletin_ocr.layout.measure import measure_geometry_lines, measure_with_columns_before
from bulletin_ocr.model import BBox, FontInfo, Line, Page

EM = 60.0


def _line(page: int, n: int, text: str, x0: float, x1: float) -> Line:
    top = 300.0 + 110 * n
    return Line(f"p{page}l{n}", text, page, "ocr", bbox=BBox(x0, top, x1, top + EM),
                font=FontInfo("", EM))


def _page(number: int, lines: list[Line], columns: list[tuple[float, float]]) -> Page:
    page = Page(number, lines, unit="px", source="ocr", columns=columns)
    frame = BBox.union(line.bbox for line in lines if line.bbox is not None)
    measure_geometry_lines(lines, frame=frame, gutters=columns)
    return page


def test_the_end_of_an_article_above_a_footer_fills_its_column() -> None:
    gutter = [(1000.0, 1100.0)]
    full = [_line(1, n, "全区上下认真贯彻落实各项部署要求", 100, 1000) for n in range(1, 9)]
    right = [_line(1, n, "全区上下认真贯彻落实各项部署要求", 1100, 2000) for n in range(9, 17)]
    first = _page(1, full + right, gutter)
    # The last page: three lines of the first column, then a footer across the page.
    end = [_line(2, 1, "区税务局牵头建立容缺受理机制推动招商引资", 220, 1000),
           _line(2, 2, "迈出坚实步伐区人大常委会主任出席会议并讲", 100, 1000),
           _line(2, 3, "话。", 100, 220)]
    footer = [_line(2, n, "报：区委各部委，区人大常委会办公室，区政府办公室", 100, 2000)
              for n in range(4, 7)]
    last = _page(2, end + footer, [])
    assert end[1].right_gap > 10  # measured against the footer's edge
    measure_with_columns_before([first, last])
    assert end[1].right_gap == 0.0
    assert end[0].indent == 2.0
    assert end[2].right_gap > 10  # the paragraph's short last line still ends it
    assert last.columns == gutter


def test_a_one_column_page_after_two_columns_keeps_its_own_measure() -> None:
    gutter = [(1000.0, 1100.0)]
    first = _page(1, [_line(1, n, "全区上下认真贯彻落实", x0, x0 + 900)
                      for n in range(1, 9) for x0 in (100, 1100)], gutter)
    wide = [_line(2, n, "全区上下认真贯彻落实各项部署要求全区上下认真贯彻落实", 100, 2000)
            for n in range(1, 6)]
    last = _page(2, wide, [])
    measure_with_columns_before([first, last])
    assert last.columns == []
    assert all(line.right_gap == 0.0 for line in wide)
