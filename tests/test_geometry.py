"""Geometry on synthetic glyphs and lines: spacing, line fragments, columns, furniture, trust."""

from __future__ import annotations

import pytest

from bulletin_ocr.inputs.pdf_text import font_name
from bulletin_ocr.inputs.trust import judge_text_layer, suspicious
from bulletin_ocr.layout.furniture import set_aside_furniture
from bulletin_ocr.layout.glyphs import Fragment, Glyph, build_fragments, spaced_text
from bulletin_ocr.layout.measure import measure_geometry_lines
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.model import BBox, FontInfo, Line, Page


def row(text: str, x0: float, top: float, size: float = 10.0, advance: float | None = None) -> list[Glyph]:
    """Glyphs set left to right: CJK a full em wide, ASCII half, ``advance`` apart."""
    glyphs = []
    x = x0
    for char in text:
        width = size if ord(char) > 0x2E80 else size / 2
        glyphs.append(Glyph(char, x, x + width, top, top + size, size))
        x += width if advance is None else advance
    return glyphs


def test_justified_chinese_gets_no_spaces() -> None:
    assert spaced_text(row("区委召开常委会议", 0, 0, advance=11.5)) == "区委召开常委会议"


def test_letter_spaced_masthead_gets_no_spaces() -> None:
    assert spaced_text(row("工作动态", 0, 0, size=36, advance=54)) == "工作动态"


def test_gap_after_a_run_in_headline_is_a_space() -> None:
    head = row("区审计局提升信息宣传", 0, 0)
    body = row("一是打造队伍", head[-1].x1 + 12, 0)
    assert spaced_text(head + body) == "区审计局提升信息宣传 一是打造队伍"


def test_latin_words_keep_their_spaces_and_autospace_is_not_one() -> None:
    glyphs = row("推广", 0, 0) + row("open", 22.5, 0) + row("data", 45, 0) + row("平台", 67.5, 0)
    assert spaced_text(glyphs) == "推广open data平台"


def test_small_sidebar_is_not_merged_into_a_large_headline_beside_it() -> None:
    headline = row("扩产金刚线强化布局", 200, 100, size=16)
    sidebar = row("所属行业机械设备", 120, 104, size=9) + row("当前价格", 120, 116, size=9)
    fragments = build_fragments(headline + sidebar)
    assert sorted(f.text() for f in fragments) == sorted(["扩产金刚线强化布局", "所属行业机械设备", "当前价格"])


def test_squeezed_punctuation_stays_on_its_line() -> None:
    glyphs = row("医疗（项）", 0, 0, advance=5) + row("主要用于", 27, 0)
    assert [f.text() for f in build_fragments(glyphs)] == ["医疗（项）主要用于"]


def test_two_ems_after_a_run_in_headline_keep_one_line_and_a_masthead_row_is_two() -> None:
    # The headline's last glyph wrapped onto the line of its body, two ems before it.
    line = row("济", 0, 0) + row("全年计划实施项目", 32, 0)
    assert [f.text() for f in build_fragments(line)] == ["济 全年计划实施项目"]
    masthead = row("中共某某区委办公室", 0, 0) + row("2024年1月6日", 150, 0)
    assert sorted(f.text() for f in build_fragments(masthead)) == ["2024年1月6日", "中共某某区委办公室"]


def test_two_columns_are_read_one_after_the_other() -> None:
    left = [Fragment(row("左栏第" + str(i) + "行文字内容", 0, i * 14)) for i in range(6)]
    right = [Fragment(row("右栏第" + str(i) + "行文字内容", 150, i * 14)) for i in range(6)]
    title = Fragment(row("横跨两栏的大标题文字内容横跨两栏的大标题", 0, -30))
    ordered = [f.text() for f in order_fragments(right + left + [title])]
    assert ordered[0] == title.text()
    assert ordered[1:7] == [f.text() for f in left]
    assert ordered[7:] == [f.text() for f in right]


def test_a_masthead_row_above_a_rule_broken_by_a_star_is_read_before_the_columns() -> None:
    left = [Fragment(row("左栏第" + str(i) + "行文字内容", 0, 40 + i * 14)) for i in range(6)]
    right = [Fragment(row("右栏第" + str(i) + "行文字内容", 150, 40 + i * 14)) for i in range(6)]
    issuer, date = Fragment(row("区委办公室", 0, 0)), Fragment(row("二〇一九年九月十九日", 150, 0))
    # The star in the rule's middle leaves its two halves apart over the gutter.
    rule = [BBox(0, 25, 110, 26), BBox(126, 25, 280, 26)]
    ordered = [f.text() for f in order_fragments(right + left + [issuer, date], rule)]
    assert ordered[:2] == [issuer.text(), date.text()]
    assert ordered[2:8] == [f.text() for f in left]
    # On a scan the halves waver a unit apart, across any bucket a rounding would draw.
    for top in (25.5, 26.9, 23.0):
        wavering = [BBox(0, 24.9, 110, 25.9), BBox(126, top, 280, top + 1)]
        ordered = [f.text() for f in order_fragments(right + left + [issuer, date], wavering)]
        assert ordered[:2] == [issuer.text(), date.text()], top


def _line(n: int, x0: float, x1: float, top: float, text: str = "文字") -> Line:
    return Line(
        id=f"p1l{n}", text=text, page=1, source="pdf",
        bbox=BBox(x0, top, x1, top + 10), font=FontInfo("Song", 10.0),
    )


def test_indent_and_right_gap_in_ems() -> None:
    lines = [_line(1, 120, 400, 0), _line(2, 100, 400, 12), _line(3, 100, 250, 24), _line(4, 100, 400, 36)]
    measure_geometry_lines(lines)
    assert [round(line.indent or 0, 1) for line in lines] == [2.0, 0.0, 0.0, 0.0]
    assert [round(line.right_gap, 1) for line in lines] == [0.0, 0.0, 15.0, 0.0]


def test_lines_beside_a_figure_are_measured_against_their_narrower_column() -> None:
    figure = BBox(300, 30, 400, 80)
    lines = [_line(i, 100, 400, i * 12) for i in range(2)]
    lines += [_line(i, 100, 290, i * 12) for i in range(3, 6)]
    measure_geometry_lines(lines, [figure])
    assert all(line.right_gap == pytest.approx(0) for line in lines)


def test_page_numbers_and_running_heads_are_furniture() -> None:
    pages = []
    for number in (1, 2, 3):
        page = Page(number=number, width=600, height=800, unit="pt", source="pdf")
        page.lines = [
            _line(1, 100, 300, 30, "上街区工作动态"),
            _line(2, 100, 500, 300, f"正文第{number}页"),
            _line(3, 280, 320, 760, f"— {number} —"),
        ]
        pages.append(page)
    set_aside_furniture(pages)
    assert [[line.text for line in page.lines] for page in pages] == [["正文第1页"], ["正文第2页"], ["正文第3页"]]
    assert [line.text for line in pages[1].furniture] == ["上街区工作动态", "— 2 —"]


def test_page_numbers_as_a_recogniser_returns_them_are_furniture_of_scans_only() -> None:
    # Corpus scans b009735/41/51 (printed "- 1 -" at the foot, above the 12 % band): the
    # recogniser returned "1—", "- 1 .-", and "-" beside "2-" on one row.
    from dataclasses import replace

    def scanned(number: int, feet: list[tuple[str, float, float]]) -> Page:
        page = Page(number=number, width=2480, height=3508, unit="px", source="ocr")
        opening = ["区商务局召开专题会议", "古渡镇推进招商引资", "杨柳镇完成项目建设"][number - 1]
        body = [replace(_line(1, 460, 2000, 600, opening), source="ocr"),
                replace(_line(2, 1850, 2140, 2923, "（区商务局）"), source="ocr")]
        foot = [replace(_line(3 + i, x0, x1, 3051, text), source="ocr")
                for i, (text, x0, x1) in enumerate(feet)]
        page.lines = body + foot
        return page

    pages = [scanned(1, [("1—", 1238, 1309)]), scanned(2, [("-", 1166, 1176), ("2-", 1240, 1315)]),
             scanned(3, [("- 3 .-", 1188, 1313)])]
    set_aside_furniture(pages)
    assert [[line.text for line in page.furniture] for page in pages] == [["1—"], ["-", "2-"], ["- 3 .-"]]
    assert all(len(page.lines) == 2 for page in pages)
    # In a PDF's text layer a lone dash at the foot is text (a table's nil), not a misread number.
    pdf = Page(number=1, width=600, height=800, unit="pt", source="pdf")
    pdf.lines = [_line(1, 100, 500, 300, "正文"), _line(2, 280, 290, 700, "—")]
    set_aside_furniture([pdf])
    assert [line.text for line in pdf.lines] == ["正文", "—"]


def test_gbk_font_names_are_decoded() -> None:
    assert font_name("b'ABCDEE+\\xb7\\xc2\\xcb\\xce'") == "仿宋"
    assert font_name("ABCDEE+FangSong_GB2312") == "FangSong_GB2312"


def test_trust_check() -> None:
    sound = judge_text_layer(page_area=1e5, texts=list("区委组织部开展专项检查"), text_area=2e3, images=[], drawings=0)
    assert sound.trusted
    mojibake = list("êêêÆÆÆ###(((") + ["(cid:14)"] * 3
    garbage = judge_text_layer(page_area=1e5, texts=mojibake, text_area=2e3, images=[], drawings=0)
    assert not garbage.trusted and "mojibake" in garbage.reason
    scan = judge_text_layer(page_area=1e5, texts=[], text_area=0, images=[BBox(0, 0, 300, 300)], drawings=0)
    assert not scan.trusted
    stamp = judge_text_layer(
        page_area=1e5, texts=list("扫描件"), text_area=300, images=[BBox(0, 0, 300, 300)], drawings=0
    )
    assert not stamp.trusted
    assert [suspicious(t) for t in ["中", "°", "\ue000"]] == [False, False, True]


def _on_baseline(text: str, x0: float, baseline: float, descent: float) -> list[Glyph]:
    """PDF glyphs standing on ``baseline``, their boxes hanging ``descent`` ems below it."""
    return [
        Glyph(g.text, g.x0, g.x1, baseline - (1 - descent) * 12, baseline + descent * 12, 12,
              baseline=baseline)
        for g in row(text, x0, 0, size=12)
    ]


def test_fonts_with_different_descents_on_one_baseline_are_one_line() -> None:
    """FangSong boxes hang 0.04 em below the baseline, Times boxes 0.44 em (issue 21)."""
    glyphs = (_on_baseline("编报绩效目标的", 0, 627, 0.04) + _on_baseline("2024", 84, 627, 0.44)
              + _on_baseline("年度项目", 108, 627, 0.04))
    assert [f.text() for f in build_fragments(glyphs)] == ["编报绩效目标的2024年度项目"]


def test_a_line_printed_over_another_stays_apart() -> None:
    """A hidden tag set 0.25 em above a heading, glyph over glyph, is a line of its own."""
    tag = _on_baseline("[Tag]", 0, 300, 0.2)
    heading = _on_baseline("1.投资评级", 1, 303, 0.2)
    fragments = sorted(f.text() for f in build_fragments(tag + heading))
    assert fragments == ["1.投资评级", "[Tag]"]
