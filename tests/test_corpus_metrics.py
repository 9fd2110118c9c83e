"""The structure metrics of samples/corpus/metrics.py on hand-made differences from a truth."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from samples.corpus.metrics import aggregate, score

TRUTH: dict[str, Any] = {
    "masthead": {"title": "工作动态", "issue": "第7期", "cumulative_issue": "总第152期",
                 "issuer": "中共松岭区委办公室", "date": "2023-03-05", "date_text": "2023年3月5日"},
    "items": [
        {"type": "item", "head": "松岭区召开安全生产工作会议", "head_rend": "standalone",
         "paragraphs": ["甲乙丙丁戊己庚辛。", "壬癸子丑寅卯。"], "attribution": None},
        {"type": "item", "head": "区市场监管局开展食品安全检查", "head_rend": "run-in",
         "paragraphs": ["一二三四五六七八九十。"], "attribution": "区市场监管局"},
        {"type": "brief", "head": None, "head_rend": None,
         "paragraphs": ["春夏秋冬东南西北。"], "attribution": "城关镇"},
    ],
    "distribution": [{"label": "报", "text": "市委办公室"}],
    "classification": "内部资料  注意保存",
}


def changed(edit: Any) -> dict[str, Any]:
    doc = copy.deepcopy(TRUTH)
    edit(doc)
    return doc


def test_the_truth_scores_perfectly_against_itself() -> None:
    result = aggregate([score(TRUTH, TRUTH, with_cer=True)])
    for key in ("head_f1", "attr_f1", "para_f1", "items_acc", "exact", "mh_date", "mh_title"):
        assert result[key] == 1.0, key
    assert result["leak"] == 0.0 and result["cer"] == 0.0


def test_spaces_and_half_width_punctuation_do_not_count() -> None:
    doc = changed(lambda d: d["items"][0].update(head="松岭区 召开安全生产工作会议"))
    doc["masthead"]["cumulative_issue"] = "总第 152 期"
    s = score(doc, TRUTH)
    assert (s.head_tp, s.masthead["cumulative_issue"]) == (2, True)
    assert not s.exact  # the projection compares the strings as they are


def test_a_headline_left_in_the_paragraph() -> None:
    """The run-in headline was not split off: one headline lost, its paragraph start kept."""
    def glue(d: dict[str, Any]) -> None:
        item = d["items"][1]
        item["paragraphs"][0] = item["head"] + item["paragraphs"][0]
        item.update(head=None, head_rend=None)
    s = score(changed(glue), TRUTH)
    assert (s.head_tp, s.head_got, s.head_true) == (1, 1, 2)
    # the glued paragraph starts where the truth's does, once the headline text is aligned away
    assert (s.para_tp, s.para_got, s.para_true) == (3, 3, 3)
    result = aggregate([s])
    assert result["head_f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_an_attribution_left_inside_its_paragraph() -> None:
    def keep(d: dict[str, Any]) -> None:
        item = d["items"][2]
        item["paragraphs"][0] += "（城关镇）"
        item["attribution"] = None
    s = score(changed(keep), TRUTH)
    assert (s.attr_tp, s.attr_got, s.attr_true) == (1, 1, 2)
    assert (s.para_tp, s.para_got) == (3, 3)


def test_two_paragraphs_merged_and_one_split() -> None:
    def merge_and_split(d: dict[str, Any]) -> None:
        first = d["items"][0]
        first["paragraphs"] = ["".join(first["paragraphs"])]
        d["items"][1]["paragraphs"] = ["一二三四五", "六七八九十。"]
    s = score(changed(merge_and_split), TRUTH)
    # truth starts: 壬 (lost), 一, 春; got starts: 一, 六 (spurious), 春
    assert (s.para_tp, s.para_got, s.para_true) == (2, 3, 3)


def test_masthead_fields_and_leakage() -> None:
    def lose_masthead(d: dict[str, Any]) -> None:
        d["masthead"] = {"title": "工作动态", "issue": None, "cumulative_issue": None,
                         "issuer": None, "date": None, "date_text": None}
        d["items"].insert(0, {"type": "item", "head": None, "head_rend": None, "attribution": None,
                              "paragraphs": ["第7期（总第152期）中共松岭区委办公室2023年3月5日"]})
    s = score(changed(lose_masthead), TRUTH, with_cer=True)
    assert s.cer_edits == 2  # text in the wrong place costs nothing; the printed （） do
    assert s.masthead == {"title": True, "issue": False, "cumulative_issue": False,
                          "issuer": False, "date": False, "date_text": False}
    assert s.leak == ["第7期", "总第152期", "中共松岭区委办公室", "2023年3月5日"]
    assert score(changed(lambda d: d.update(masthead=None)), TRUTH).masthead["title"] is False


def test_an_extra_item_and_cer() -> None:
    extra = {"type": "item", "head": None, "head_rend": None, "paragraphs": ["内部资料注意保存"],
             "attribution": None}
    s = score(changed(lambda d: d["items"].insert(0, extra)), TRUTH, with_cer=True)
    assert not s.items_ok
    assert s.leak == ["内部资料注意保存"]
    assert (s.cer_edits, s.cer_len) == (8, 108)
