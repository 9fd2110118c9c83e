"""Repair fixes one by one, and the offset mapping that keeps printed lines attached."""

from __future__ import annotations

import pytest

from bulletin_ocr.model import Line
from bulletin_ocr.repair import build_span, map_offsets
from bulletin_ocr.repair.fixes import drop_cjk_spaces, normalize_cjk_punctuation


def _line(n: int, text: str, page: int = 1) -> Line:
    return Line(id=f"p{page}l{n}", text=text, page=page, source="text")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("中 共上 街 区委 办 公室 2021 年 1 月 6 日", "中共上街区委办公室2021年1月6日"),
        ("总投资 24.4亿元，年度计划投资 10.04亿元", "总投资24.4亿元，年度计划投资10.04亿元"),
        ("下降 17.6% 。", "下降17.6%。"),
        ("推广 open  data 平台", "推广open data平台"),
        ("Windows 10 系统", "Windows 10系统"),
        ("“ 8090 ” 、“ 青心 ”", "“8090”、“青心”"),
        ("\u3000\u3000两个全角空格缩进", "两个全角空格缩进"),
    ],
)
def test_drop_cjk_spaces(raw: str, clean: str) -> None:
    assert drop_cjk_spaces(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("区委书记宋洁,区长李兵", "区委书记宋洁，区长李兵"),
        ("会议时间:9:30,地点:二楼", "会议时间：9:30，地点：二楼"),
        ("增长17.6%,高于全市", "增长17.6%，高于全市"),
        ("村(社区)三级联动", "村（社区）三级联动"),
        ("(区委组织部)", "（区委组织部）"),
        ("完成了吗?是的!", "完成了吗？是的！"),
        ("共1,000份", "共1,000份"),
        ("see (Fig. 2), then", "see (Fig. 2), then"),
        ("Q1: 24.4; Q2: 10.04", "Q1: 24.4; Q2: 10.04"),
        ("第(2021)号", "第（2021）号"),
    ],
)
def test_normalize_cjk_punctuation(raw: str, clean: str) -> None:
    assert normalize_cjk_punctuation(raw) == clean


def test_map_offsets_follows_deleted_and_collapsed_whitespace() -> None:
    raw = "ab  c\n中 文"
    clean = "ab c中文"
    mapping = map_offsets(raw, clean)
    assert [clean[mapping[i]] for i, ch in enumerate(raw) if not ch.isspace()] == list("abc中文")


def test_build_span_records_where_each_line_starts() -> None:
    lines = [_line(1, "和转型发展，加快由冶金级氧化铝产品向精细氧化铝转型升"), _line(1, "级，推动 2021 年", 2)]
    span, applied = build_span([(line, line.text) for line in lines])
    assert span.text == "和转型发展，加快由冶金级氧化铝产品向精细氧化铝转型升级，推动2021年"
    assert span.line_starts == [0, span.text.index("级，")]
    assert span.orig == "和转型发展，加快由冶金级氧化铝产品向精细氧化铝转型升\n级，推动 2021 年"
    assert span.pages == [1, 2]
    assert applied == ["drop_cjk_spaces"]


def test_latin_words_across_a_line_break_keep_one_space() -> None:
    lines = [_line(1, "推广 open"), _line(2, "data 平台")]
    span, _ = build_span([(line, line.text) for line in lines])
    assert span.text == "推广open data平台"
    assert span.text[span.line_starts[1] :] == "data平台"
