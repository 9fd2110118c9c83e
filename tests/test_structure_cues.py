"""The recogniser's cues one by one, and the recogniser on small typeset pages."""

from __future__ import annotations

from dataclasses import replace

from bulletin_ocr.model import BBox, FontInfo, Line, Page, Rule, StyleRun
from bulletin_ocr.structure import cues, recognise, rules, typography
from bulletin_ocr.structure.thresholds import SHARED
from bulletin_ocr.structure.typography import BodyFace

BODY = FontInfo("FangSong", 16.0)
HEAD = FontInfo("SimHei", 16.0)
FAUX_BOLD = FontInfo("FangSong", 16.0, bold=True)
TITLE = FontInfo("FZXiaoBiaoSong", 36.0, color="#e60012")
BODY_FACE = BodyFace("FangSong", 16.0, False)
EM = 16.0
COLUMN = 28 * EM
LEFT = 90.0


def line(
    n: int, text: str, runs: list[tuple[int, FontInfo]] | None = None, *, indent: float = 0.0,
    top: float | None = None, page: int = 1, width: float | None = None,
) -> Line:
    """A line on a grid of 26-pt rows; ``runs`` are (length, font) pairs, body face if none."""
    spans = runs or [(len(text), BODY)]
    styled, start = [], 0
    for length, font in spans:
        styled.append(StyleRun(start, start + length, font))
        start += length
    y = top if top is not None else 100.0 + 26 * n
    x0 = LEFT + indent * EM
    x1 = x0 + (width if width is not None else len(text) * EM)
    return Line(
        f"p{page}l{n}", text, page, "pdf", bbox=BBox(x0, y, min(x1, LEFT + COLUMN), y + EM),
        font=spans[0][1], runs=styled,
        indent=indent, right_gap=max(0.0, (LEFT + COLUMN - x1) / EM),
    )


def page_of(lines: list[Line], page_rules: list[Rule] | None = None) -> Page:
    return Page(1, lines, width=595.0, height=842.0, unit="pt", source="pdf",
                rules=page_rules or [])


# -- typography cues -------------------------------------------------------------------------


def test_display_cues_name_what_sets_a_face_apart() -> None:
    assert typography.display_cues(HEAD, BODY_FACE) == ["other face"]
    assert typography.display_cues(FAUX_BOLD, BODY_FACE) == ["bold"]
    assert typography.display_cues(FontInfo("FangSong", 20.0), BODY_FACE) == ["larger"]
    assert typography.display_cues(BODY, BODY_FACE) == []
    # Small print in another face (table notes) is no headline face.
    assert typography.display_cues(FontInfo("SimSun", 10.5), BODY_FACE) == []
    # Digits in Times beside Chinese in FangSong: the family says nothing there.
    assert typography.display_cues(FontInfo("TimesNewRoman", 16.0), BODY_FACE, family=False) == []


def test_body_face_counts_chinese_characters_only() -> None:
    digits = FontInfo("TimesNewRoman", 16.0)
    lines = [line(1, "2023202320232023年", [(16, digits), (1, BODY)]), line(2, "正文正文")]
    assert typography.body_face(lines) == BODY_FACE


def test_face_change_finds_a_run_in_headline_with_no_gap() -> None:
    text = "一是建机制。全区共建立联系点二十个"
    assert typography.face_change(line(1, text, [(5, HEAD), (12, BODY)]), BODY_FACE) == (
        6, ["other face"]
    )  # the full stop set in the body face still closes the headline


def test_face_change_ignores_digits_in_another_family() -> None:
    text = "全区2023年经济运行平稳"
    runs = [(2, BODY), (4, FontInfo("TimesNewRoman", 16.0)), (7, BODY)]
    assert typography.face_change(line(1, text, runs), BODY_FACE) is None


def test_face_change_needs_body_text_after_the_headline() -> None:
    assert typography.face_change(line(1, "全部黑体的一行", [(7, HEAD)]), BODY_FACE) is None


def test_line_display_cues() -> None:
    assert typography.line_display_cues(line(1, "标题标题", [(4, FAUX_BOLD)]), BODY_FACE) == ["bold"]
    assert typography.line_display_cues(line(1, "标题正文", [(2, HEAD), (2, BODY)]), BODY_FACE) == []


def test_red_and_title_faces() -> None:
    assert typography.is_red(TITLE) and not typography.is_red(BODY)
    assert typography.is_red_colour("#cc0000") and not typography.is_red_colour("#000000")
    assert typography.is_title_face(line(1, "工作简报", [(4, TITLE)]), BODY_FACE)
    assert not typography.is_title_face(line(1, "工作简报", [(4, HEAD)]), BODY_FACE)


# -- rules -----------------------------------------------------------------------------------


def test_masthead_rule_is_long_high_and_red_or_heavy() -> None:
    page = page_of([])
    red = Rule(1, BBox(90, 230, 510, 231), "#e60012")
    heavy = Rule(1, BBox(90, 230, 510, 232.5), "#000000")
    thin = Rule(1, BBox(90, 230, 510, 230.5), "#000000")
    short = Rule(1, BBox(90, 230, 150, 231), "#e60012")
    low = Rule(1, BBox(90, 700, 510, 701), "#e60012")
    assert rules.is_masthead_rule(red, page, EM)
    assert rules.is_masthead_rule(heavy, page, EM)
    assert not rules.is_masthead_rule(thin, page, EM)
    assert not rules.is_masthead_rule(short, page, EM)
    assert not rules.is_masthead_rule(low, page, EM)


def test_everything_above_the_rule_is_masthead_with_a_star_in_the_rule() -> None:
    lines = [
        line(1, "内部资料注意保存"),
        line(2, "工作简报", [(4, TITLE)]),
        line(3, "第3期"),
        line(4, "★", top=100 + 26 * 4 - 8),
        line(5, "正文第一行"),
    ]
    rule = Rule(1, BBox(90, 100 + 26 * 4, 510, 100 + 26 * 4 + 1), "#e60012")
    assert rules.lines_above_masthead_rule([page_of(lines, [rule])], BODY_FACE) == {
        "p1l1", "p1l2", "p1l3", "p1l4",
    }  # fmt: skip


def test_a_rule_with_no_masthead_above_it_says_nothing() -> None:
    lines = [line(1, "正文第一行正文第一行"), line(2, "正文第二行")]
    rule = Rule(1, BBox(90, 200, 510, 202), "#e60012")
    assert rules.lines_above_masthead_rule([page_of(lines, [rule])], BODY_FACE) == frozenset()


# -- textual cues ----------------------------------------------------------------------------


def test_classification_and_ornament_lines() -> None:
    assert cues.is_classification_line("内部资料  注意保存")
    assert cues.is_classification_line("秘密★1年")
    assert not cues.is_classification_line("区委召开审计工作会议，部署全年工作。")
    assert cues.is_ornament("★") and cues.is_ornament("—— ★ ——")
    assert not cues.is_ornament("第3期")


def test_headline_shapes() -> None:
    assert cues.could_be_standalone_head("抓党建促发展，推动乡村振兴")
    assert not cues.could_be_standalone_head("会议要求各单位抓好落实。")
    assert cues.could_be_run_in_head("一是建机制。")
    assert not cues.could_be_run_in_head("（区委办）")


def test_attribution_that_wraps_across_lines() -> None:
    assert cues.trailing_attribution("受到群众好评。（区\n市场监管局）") == 7
    assert cues.attribution_org("（区\n市场监管局）") == "区\n市场监管局"
    assert cues.trailing_attribution("镇（办）、村（社区）") is None


def test_an_office_after_a_percentage_whose_full_stop_ocr_lost_is_an_attribution() -> None:
    # A 1-bit scan: ``%（`` read as one piece, the ``。`` between them lost (b009731, b011015).
    text = "平均办理时限压缩34.4%（区税务局）"
    assert cues.trailing_attribution(text) == text.index("（")
    assert cues.trailing_attribution("同比增长4%（同比）") is None


def test_chinese_numeral_dates_are_dates() -> None:
    assert cues.is_masthead_line("二〇二一年一月六日")


# -- the recogniser --------------------------------------------------------------------------


def _bulletin(body_lines: list[Line]) -> list[Page]:
    masthead = [line(1, "内部资料", width=4 * EM), line(2, "工作简报", [(4, TITLE)]),
                line(3, "中共某某区委办公室"), line(4, "二〇二一年一月六日")]
    rule = Rule(1, BBox(90, 100 + 26 * 4 + 18, 510, 100 + 26 * 4 + 19), "#e60012")
    return [page_of(masthead + body_lines, [rule])]


def test_recognise_uses_faces_rules_and_wrapped_attributions() -> None:
    body = [
        line(5, "一是建机制全区共建立联系点二十个覆盖所有村社区，", [(5, HEAD), (20, BODY)],
             indent=2, width=26 * EM),
        line(6, "群众满意度明显提升，受到群众好评。（区", width=28 * EM),
        line(7, "市场监管局）", width=6 * EM),
        line(8, "加强基层治理，推动乡村振兴", [(13, HEAD)], indent=7, width=13 * EM),
        line(9, "今年以来，全区上下认真贯彻落实各项部署。", indent=2, width=20 * EM),
    ]
    structure = recognise(_bulletin(body))
    assert structure.masthead is not None
    assert structure.masthead.title == "工作简报"
    assert structure.masthead.issuer == "中共某某区委办公室"
    assert structure.masthead.date == "2021-01-06"
    first, second = structure.items
    assert first.head is not None and first.head.text == "一是建机制"
    assert first.head.rend == "run-in"
    assert first.attribution is not None and first.attribution.text == "区市场监管局"
    assert second.head is not None and second.head.text == "加强基层治理，推动乡村振兴"
    assert second.head.rend == "standalone"
    roles = [(d.role, d.cues) for d in structure.explain]
    assert roles[0] == ("masthead", ["above rule"])
    assert ("run-in headline", ["other face", "face change"]) in roles
    assert ("headline", ["other face", "centred"]) in roles


def test_recognise_sets_aside_a_star_printed_in_the_rule() -> None:
    star = line(40, "★", top=100 + 26 * 4 + 10, width=EM)
    pages = _bulletin([line(5, "正文正文正文正文。", indent=2, width=9 * EM)])
    pages[0].lines[3:3] = [star]
    structure = recognise(pages)
    assert structure.set_aside == [star]


def test_a_run_in_headline_may_wrap_twice_before_its_gap() -> None:
    gap = cues.find_run_in_gap(
        "（二）区数据局召开", "2021年人才引进工作", "会议 区委书记出席会议并讲话，",
        item_boundary=True, spaces_are_noise=True,
    )
    assert gap == cues.Gap(2, 2, 3)


def test_gaps_are_found_in_one_pass_up_to_a_headline_length() -> None:
    line = "中 " * 1000
    assert len(cues._gaps_before_sentence(line)) == SHARED.max_run_in_head


def test_a_wrapped_headline_line_measured_a_little_small_stays_in_the_headline() -> None:
    # A scan measures a face 1.15 times the body's at 1.08 on one line and 1.12 on the next.
    first_face, second_face = FontInfo("", 17.3), FontInfo("", 17.9)
    body = [
        line(5, "桂阳区以“五强化”推动", [(11, first_face)], indent=2, width=24 * EM),
        line(6, "大气污染防治下一步，北湖街道将持续深化义务教育，",
             [(6, second_face), (18, BODY)], width=28 * EM),
        line(7, "要守牢安全底线，防范化解各类风险隐患。", width=19 * EM),
    ]
    structure = recognise(_bulletin(body))
    (item,) = structure.items
    assert item.head is not None and item.head.text == "桂阳区以“五强化”推动大气污染防治"
    assert item.head.rend == "run-in"


def test_unpunctuated_full_lines_before_a_run_in_headline_are_its_first_lines() -> None:
    # A scan measured the first two lines of a wrapped 黑体 headline at the body's weight
    # (quotes and numbering leave few glyphs to measure); the third line shows the face.
    head = FontInfo("", 16.0, bold=True)
    body = [
        line(5, "全年计划实施项目11个，总投资5652万元。", indent=2, width=22 * EM),
        line(6, "二、杨柳镇“三个到位”全力抓好农村人居", indent=2, width=26 * EM),
        line(7, "环境整治全力助推优化营商环境取得明显成", width=28 * EM),
        line(8, "效区统计局牵头建立领导包联机制，推动医保", [(1, head), (19, BODY)],
             width=28 * EM),
        line(9, "基金监管见行见效。", width=9 * EM),
    ]
    structure = recognise(_bulletin(body))
    assert [item.head.text if item.head else None for item in structure.items] == [
        None, "二、杨柳镇“三个到位”全力抓好农村人居环境整治全力助推优化营商环境取得明显成效"
    ]
    # A line that fills the column but reads as a sentence stays in its paragraph.
    body[2] = line(7, "环境整治，全力助推优化营商环境取得明显成", width=28 * EM)
    structure = recognise(_bulletin(body))
    assert all(item.head is None or "环境整治" not in item.head.text for item in structure.items)


def test_a_space_after_an_opening_quote_is_no_headline_gap() -> None:
    # OCR lost the 一 of 一窗 and left a space: a headline never ends at an opening mark.
    gap = cues.find_run_in_gap("区信访局精准落实", "优化营商环境工作", "一是推行“ 窗受理、",
                               item_boundary=True, spaces_are_noise=False)
    assert gap is None
    gap = cues.find_run_in_gap("区数据局“五个", "到位”纵深推进垃圾", "分类 通过“石桥通”",
                               item_boundary=True, spaces_are_noise=False)
    assert gap == cues.Gap(2, 2, 3)


def test_a_date_ending_a_headline_line_opens_the_body() -> None:
    # The scan measured the date's few glyphs in the headline's face.
    head = FontInfo("", 16.0, bold=True)
    body = [
        line(5, "（二）区审计局召开医保基金监管工作会议12月17", [(25, head)], indent=2,
             width=26 * EM),
        line(6, "日，我区召开森林防火工作推进会，总结前期工作。", width=24 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "（二）区审计局召开医保基金监管工作会议"
    assert item.paragraphs[0].text.startswith("12月17日，我区召开")


def test_a_wrapped_display_headline_ends_at_the_first_space_of_the_next_line() -> None:
    # A face 1.2 times the body's fills its line; the next line, unindented and measured in
    # the body face, holds the headline's last two glyphs, a space, and the body's date.
    larger = FontInfo("FangSong", 19.2)
    body = [
        line(5, "四、清源区召开2025年垃圾分类工作", [(18, larger)], indent=2, width=26 * EM),
        line(6, "会议 9月12日，我区召开信访矛盾化解工作推进会，总", width=28 * EM),
        line(7, "结前期工作。", width=6 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "四、清源区召开2025年垃圾分类工作会议"
    assert item.paragraphs[0].text.startswith("9月12日，我区召开")
    # Indented, the next line opens a paragraph of its own: the headline stands alone.
    body[1] = line(6, "会议 9月12日，我区召开信访矛盾化解工作推进会，", indent=2, width=26 * EM)
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "四、清源区召开2025年垃圾分类工作"


def test_a_headline_wrapped_over_two_display_lines_ends_at_the_space_on_the_third() -> None:
    # A narrow column: the first line measured bold and larger, the second bold only.
    bold_larger = FontInfo("FangSong", 17.6, bold=True)
    body = [
        line(5, "区城管局老旧小区改", [(9, bold_larger)], indent=2, width=26 * EM),
        line(6, "造提质增效全力助推社区", [(11, FAUX_BOLD)], width=28 * EM),
        line(7, "党建提质增效 9月17日，", width=28 * EM),
        line(8, "白沙镇召开消防安全工作推进会。", width=15 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None
    assert item.head.text == "区城管局老旧小区改造提质增效全力助推社区党建提质增效"
    assert item.paragraphs[0].text.startswith("9月17日，白沙镇")


def test_a_line_a_little_larger_does_not_cut_a_sentence() -> None:
    # A short line of a narrow column measured a tenth larger: the sentence it finishes goes on.
    body = [
        line(5, "今年以来，全区精准落实信访矛盾化解工作，区医保局牵头推", indent=2,
             width=26 * EM),
        line(6, "行“一窗受理、集成服", [(10, FontInfo("FangSong", 17.8))], width=28 * EM),
        line(7, "务”，推动垃圾分类交出亮眼答卷。", width=16 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None
    assert [p.text for p in item.paragraphs] == [
        "今年以来，全区精准落实信访矛盾化解工作，区医保局牵头推行“一窗受理、集成服务”，"
        "推动垃圾分类交出亮眼答卷。"
    ]
    # The same larger line after a sentence's end is a headline.
    body[0] = line(5, "今年以来，全区精准落实信访矛盾化解工作，成效明显。", indent=2,
                   width=26 * EM)
    body[1] = line(6, "区医保局推行一窗受理集成服务", [(14, FontInfo("FangSong", 17.8))], indent=2,
                   width=26 * EM)
    items = recognise(_bulletin(body)).items
    assert [item.head.text if item.head else None for item in items] == [
        None, "区医保局推行一窗受理集成服务"
    ]


def test_a_bold_measured_line_whose_sentence_runs_on_is_a_paragraphs_first_line() -> None:
    # A scan measured a paragraph's indented first line bold; it runs past a comma into the
    # next, unindented line in the body face.
    body = [
        line(5, "今年以来，全区精准落实信访矛盾化解工作，截至目前共走访群众二百", indent=2,
             width=26 * EM),
        line(6, "余户，解决实际困难三十个，整改完成率明显提升。", width=23 * EM),
        line(7, "付志杰强调，要创新工作方法，不断提升服务", [(20, FAUX_BOLD)], indent=2,
             width=26 * EM),
        line(8, "水平，切实解决群众急难愁盼问题。", width=16 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None
    assert [p.text[:5] for p in item.paragraphs] == ["今年以来，", "付志杰强调"]
    # Without the comma, the same bold line is a headline, and the line after it the body.
    body[2] = line(7, "区信访局创新开展信访矛盾化解工作", [(16, FAUX_BOLD)], indent=2,
                   width=26 * EM)
    items = recognise(_bulletin(body)).items
    assert [item.head.text if item.head else None for item in items] == [
        None, "区信访局创新开展信访矛盾化解工作"
    ]
    # Nor without a comma when the line stops on a word that binds to the next (b012378):
    # a headline ends its phrase.
    body[2] = line(7, "通过“鹤鸣通”App和", [(11, FAUX_BOLD)], indent=2, width=26 * EM)
    body[3] = line(8, "政务服务网，群众可在线办理高频事项。", width=18 * EM)
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None
    assert [p.text[:5] for p in item.paragraphs] == ["今年以来，", "通过“鹤鸣"]


def test_a_bold_run_past_a_comma_does_not_cut_a_sentence() -> None:
    # ``愁盼问题，要压`` measured bold at the start of a line that finishes a sentence.
    body = [
        line(5, "会议指出，要坚持以人民为中心，切实解决群众急难", indent=2, width=26 * EM),
        line(6, "愁盼问题，要压实工作责任，确保各项任务落地见效。",
             [(7, FAUX_BOLD), (17, BODY)], width=24 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None and len(item.paragraphs) == 1


def test_a_wrapped_headline_ends_where_a_short_opening_run_measured_larger_ends() -> None:
    # The scan parted ``会议`` from the body by a gap and measured it a little larger than the
    # body: too little to call a face, enough to show where the wrapped headline ends.
    larger = FontInfo("FangSong", 18.6)
    body = [
        line(5, "城关镇召开2022年农村人居环境整治工作", [(20, larger)], indent=2,
             width=26 * EM),
        line(6, "会议区委书记黄辉志出席会议并讲话，魏霞等参加会议。",
             [(2, FontInfo("FangSong", 17.2)), (23, BODY)], width=25 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "城关镇召开2022年农村人居环境整治工作会议"
    assert item.paragraphs[0].text.startswith("区委书记黄辉志")


def test_a_short_larger_run_after_a_sentence_cut_mid_line_is_no_headline() -> None:
    # Three glyphs that finish the sentence above measured larger: the paragraph goes on.
    body = [
        line(5, "州区委牵头开展“回头看”专项检查，推动义务教育提质增", indent=2,
             width=26 * EM),
        line(6, "效全年计划实施项目394个，总投资253万元。",
             [(3, FontInfo("FangSong", 19.0)), (21, BODY)], width=24 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None and len(item.paragraphs) == 1
    assert item.paragraphs[0].text.endswith("提质增效全年计划实施项目394个，总投资253万元。")


def test_a_line_that_stops_short_ends_any_headline_on_it() -> None:
    # A table of contents: short numbered lines, then a bold part title with a space in it.
    # A run-in headline cannot wrap over a line that stops twelve ems short of the column.
    bold = FontInfo("FangSong", 18.0, bold=True)
    body = [
        line(5, "一、主要职能", width=6 * EM),
        line(6, "二、部门决算单位构成", width=10 * EM),
        line(7, "第二部分上海市某某区财政局 年度部门决算表", [(21, bold)], width=26 * EM),
        line(8, "今年以来，全区上下认真贯彻落实各项部署，成效明显。", indent=2, width=25 * EM),
    ]
    heads = [item.head.text for item in recognise(_bulletin(body)).items if item.head]
    assert not any("主要职能二" in head or "构成第二部分" in head for head in heads)
    assert "一、主要职能" in heads


def test_a_lone_bullet_glyph_is_no_sentence_cut_short() -> None:
    # A research report's sidebar bullet, one glyph measured across the column, then a bold
    # key point that runs past a comma: the key point is a headline of its own.
    bold = FontInfo("KaiTi", 16.0, bold=True)
    body = [
        line(5, "今年以来，全区上下认真贯彻落实各项部署，成效明显，群众满意度", indent=2,
             width=26 * EM),
        line(6, "\uf06c", width=28 * EM),
        line(7, "切割工艺持续领先，是保障利润的核心壁垒。公司布局包括设备及耗材",
             [(19, bold), (12, BODY)], width=28 * EM),
        line(8, "以及代工业务。", width=7 * EM),
    ]
    heads = [item.head.text for item in recognise(_bulletin(body)).items if item.head]
    assert heads == ["切割工艺持续领先，是保障利润的核心壁垒。"]


def test_a_wrapped_headline_ends_where_the_word_cut_by_the_break_ends() -> None:
    # A bold headline fills two lines; its last glyph wrapped onto a line that the scan
    # measured in the body face, with no gap before the body: ``见行见`` / ``效…``.
    larger = FontInfo("FangSong", 18.4)
    body = [
        line(5, "区卫生健康委全面加强重点项目建设工作", [(18, larger)], indent=2, width=26 * EM),
        line(6, "全力助推民生实事见行见", [(11, larger)], width=28 * EM),
        line(7, "效区民政局牵头落实首问负责制度，推动信访矛盾化解形成长效", width=28 * EM),
        line(8, "机制。", width=3 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None
    assert item.head.text == "区卫生健康委全面加强重点项目建设工作全力助推民生实事见行见效"
    assert item.paragraphs[0].text.startswith("区民政局牵头")


def test_a_wrapped_headline_ends_at_a_gap_the_scan_measured_between_like_faces() -> None:
    # b012265, a colour page: ``交出亮眼答卷`` measured in the body's face, half an em before
    # the body on the same line; too narrow for a space, the gap was kept (``Line.gaps``).
    bold = FontInfo("", 15.0, bold=True)
    tail = line(6, "交出亮眼答卷区医保局牵头组建专班集中攻坚，推动企业", width=28 * EM)
    body = [
        line(5, "三、北湖街道河湖长制迈出坚实步伐全力助推耕地保护", [(24, bold)], indent=2,
             width=26 * EM),
        replace(tail, gaps=(6,)),
        line(7, "服务见行见效。", width=7 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None
    assert item.head.text == "三、北湖街道河湖长制迈出坚实步伐全力助推耕地保护交出亮眼答卷"
    assert item.paragraphs[0].text.startswith("区医保局牵头")
    # Without the measured gap the line is the body's from its first glyph.
    body[1] = tail
    heads = [item.head.text for item in recognise(_bulletin(body)).items if item.head]
    assert heads == ["三、北湖街道河湖长制迈出坚实步伐全力助推耕地保护"]


def test_a_wrapped_headline_ends_where_the_bodys_opening_words_begin() -> None:
    larger = FontInfo("FangSong", 18.4)
    body = [
        line(5, "二、区卫生健康委召开2020年社区党建工", [(19, larger)], indent=2, width=26 * EM),
        line(6, "作会", [(2, larger)], width=28 * EM),
        line(7, "议下一步，双河镇将创新开展义务教育，要提高政治站位，切实", width=28 * EM),
        line(8, "增强责任感。", width=6 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "二、区卫生健康委召开2020年社区党建工作会议"
    assert item.paragraphs[0].text.startswith("下一步，双河镇")
    # The break cuts the opening words themselves: the headline ends on the line before.
    body[1] = line(6, "作会议截", [(4, larger)], width=28 * EM)
    body[2] = line(7, "至10月16日，共走访1597家，解决实际困难5个，整改完成率达", width=28 * EM)
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "二、区卫生健康委召开2020年社区党建工作会议"
    assert item.paragraphs[0].text.startswith("截至10月16日")
    # A speaker's name cut by the break (b011632: ``…工作会议熊`` / ``文雪强调，``), its first
    # glyph measured with the headline's.
    body[1] = line(6, "作会议熊", [(4, larger)], width=28 * EM)
    body[2] = line(7, "文雪强调，要守牢安全底线，防范化解各类风险隐患，要提高政治", width=28 * EM)
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "二、区卫生健康委召开2020年社区党建工作会议"
    assert item.paragraphs[0].text.startswith("熊文雪强调，")


def test_a_full_headline_line_before_an_opener_keeps_all_of_its_glyphs() -> None:
    # The headline filled its line and ended there; the body opens the next with ``截至``.
    larger = FontInfo("FangSong", 18.4)
    body = [
        line(5, "区住建局农村人居环境整治形成长效机制", [(18, larger)], indent=2, width=26 * EM),
        line(6, "截至2月11日，共走访2408家，解决实际困难6个，整改完成率", width=28 * EM),
        line(7, "达75.2%。", width=5 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "区住建局农村人居环境整治形成长效机制"


def test_a_standalone_headline_line_goes_on_into_the_run_in_headline_after_it() -> None:
    # ``（三）城关镇`` read as a centred headline of its own (its opening quote wrapped); the
    # rest of the headline runs in to the body, unindented.
    larger = FontInfo("FangSong", 19.2)
    body = [
        line(5, "（三）城关镇", [(6, larger)], indent=2, width=26 * EM),
        line(6, "“二个到位”统筹推进垃圾分类全力助推", [(18, larger)], width=28 * EM),
        line(7, "安全生产交出亮眼答", [(9, larger)], width=28 * EM),
        line(8, "卷郭蕾丽强调，要加强宣传引导，营造浓厚氛围，要加强督促检查，", width=28 * EM),
        line(9, "对工作不力的严肃问责。", width=11 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None
    assert item.head.text == "（三）城关镇“二个到位”统筹推进垃圾分类全力助推安全生产交出亮眼答卷"
    assert item.paragraphs[0].text.startswith("郭蕾丽强调")


def test_a_full_stop_misread_between_chinese_characters_ends_a_sentence() -> None:
    # The recogniser read each ``，`` as ``．``: a centred-looking line of sentences is body.
    body = [
        line(5, "会议指出．森林防火事关群众切身利益．要强化协调联动", indent=2, width=25 * EM),
        line(6, "形成工作合力．确保2025年各项目标任务圆满完成。", width=24 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None


def test_a_numbered_headline_runs_in_up_to_the_date_that_opens_its_body() -> None:
    # Measured in the body face, with no gap: the numbered headline ends where the body's
    # first sentence opens with its date, here cut by the line break (``3月24`` / ``日，``).
    body = [
        line(5, "（二）兴隆镇以“三强化”推动重点项目建", indent=2, width=26 * EM),
        line(6, "设全力助推老旧小区改造形成长效机制 3月24", width=28 * EM),
        line(7, "日，我区召开耕地保护工作推进会，总结前期工作。", width=23 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None
    assert item.head.text == "（二）兴隆镇以“三强化”推动重点项目建设全力助推老旧小区改造形成长效机制"
    assert item.paragraphs[0].text.startswith("3月24日，我区召开")
    # A numbered paragraph whose sentence opens with a date is no headline.
    body = [line(5, "（一）区委于3月5日，召开耕地保护工作推进会，总结前期工作。", indent=2,
                 width=26 * EM)]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None


def test_a_paragraphs_opening_words_measured_heavier_are_no_headline() -> None:
    # ``一是`` measured bold on a scan: the sentence it opens is the body's.
    body = [
        line(5, "一是建立问题清单和责任清单，共排查问题29项；二是完善考核评", [(2, HEAD), (26, BODY)],
             indent=2, width=26 * EM),
        line(6, "价办法。", width=4 * EM),
    ]
    (item,) = recognise(_bulletin(body)).items
    assert item.head is None
    # A heavier run that goes on past them is a headline (``一是建机制``).
    body[0] = line(5, "一是建机制全区共建立联系点二十个覆盖所有村，共排查问题29项。",
                   [(5, HEAD), (25, BODY)], indent=2, width=26 * EM)
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "一是建机制"


def test_a_large_headline_in_a_narrow_column_may_run_over_four_lines_before_its_body() -> None:
    # Nine or ten glyphs a line: the face changes on the headline's fifth line. The scan
    # measured its first line in the body face.
    larger = FontInfo("FangSong", 19.2, bold=True)
    texts = ["二、区农业农村局召", "开2025年农村人居环境", "整治工作会议全力助推", "医保基金监管取得明显"]
    body = [line(5, texts[0], indent=2, width=12 * EM)]
    body += [line(6 + i, text, [(len(text), larger)], width=14 * EM) for i, text in enumerate(texts[1:])]
    body += [
        line(9, "成效全年计划实施项目993个，总投资", [(2, larger), (16, BODY)], width=14 * EM),
        line(10, "18.74亿元，其中民生类项目占比", width=14 * EM),
        line(11, "16.8%。会议指出，防汛备汛事关群众", width=14 * EM),
        line(12, "切身利益，要加强宣传引导，营造浓", width=14 * EM),
        line(13, "厚氛围。", width=4 * EM),
    ]
    for each in body:  # a column fourteen ems wide
        each.right_gap = max(0.0, 14.0 - (each.bbox.x1 - LEFT) / EM) if each.bbox else 0.0
    (item,) = recognise(_bulletin(body)).items
    assert item.head is not None and item.head.text == "".join(texts) + "成效"
    assert item.paragraphs[0].text.startswith("全年计划实施项目")


def test_a_gap_after_a_bodys_opening_words_is_no_headline_gap() -> None:
    # 1-bit OCR read the comma after the opening words as a stop and a space.
    for first in ("截至11月171. 共走访15项．解决实际困难", "一是推广“网格+”工作模式． 共排查问题"):
        gap = cues.find_run_in_gap(first, "个，整改完成率达16.9%。", item_boundary=True,
                                   spaces_are_noise=False)
        assert gap is None, first
    # Nor does a headline go on over a line that opens one (the centred headline ended on
    # the line before; b011551).
    gap = cues.find_run_in_gap("桂阳区召开2021年大", "气污染防治工作会议", "一是推广“网格+”工",
                               "作模式． 共排查问题1592处；", item_boundary=True,
                               spaces_are_noise=False)
    assert gap is None
    # The same gap after a headline's words is one.
    gap = cues.find_run_in_gap("区城管局召开专题会议 共走访15项．解决实际困难",
                               "个，整改完成率达16.9%。", item_boundary=True,
                               spaces_are_noise=False)
    assert gap == cues.Gap(0, 10, 11)


def test_a_masthead_date_ocr_misread_still_closes_the_masthead() -> None:
    # 1-bit scans read 二〇二三 as 二（〇二三 or lost the 〇 (二二四): with no title above,
    # the date was what told the masthead from the first headline (b011764, b011740).
    # ○ (a white circle) for 〇 is how many offices type it, and how OCR read it (b011828).
    for printed, iso in (("二（〇二三年六月十七日", "2023-06-17"), ("二二四年六月九日", "2024-06-09"),
                         ("二○二一年九月七日", "2021-09-07"), ("2023年12.月1日", "2023-12-01")):
        lines = [
            line(1, "内部资料注意保存", width=8 * EM),
            line(2, "中共金沙区委宣传部", width=9 * EM),
            line(3, printed, indent=16, width=10 * EM),
            line(5, "区教育局稳步推进义务教育工作", [(14, HEAD)], indent=6),
            line(6, "6月2日，全区召开志愿服务工作推进会，总结前期工作，", indent=2, width=28 * EM),
            line(7, "安排部署下一阶段重点任务。", width=13 * EM),
        ]
        structure = recognise([page_of(lines, [])])
        assert structure.masthead is not None, printed
        assert (structure.masthead.issuer, structure.masthead.date) == ("中共金沙区委宣传部", iso)
        assert [item.head.text if item.head else None for item in structure.items] == [
            "区教育局稳步推进义务教育工作"
        ]
