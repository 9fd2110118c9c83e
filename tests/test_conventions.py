"""Conventions of real bulletin templates (issue 22): secrecy marks, two-line issue numbers,
signer lines, 本期要目, section labels, footers with imprint and colophon.

Each convention on a small raw text written here, on bulletins of the corpus generator made
with ``--conventions`` (PDF and raw text), and on the hand-written sample that uses them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree
from samples.corpus import conventions as generator_conventions
from samples.corpus.generate import generate, write
from samples.corpus.metrics import convention_strings, item_text, norm

from bulletin_ocr.api import convert
from bulletin_ocr.export.catalogue import catalogue_row
from bulletin_ocr.export.json import document_to_dict
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.structure import conventions

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "raw" / "songling-2023-12.txt"
SAMPLE_PDF = SAMPLE.parents[1] / "pdf" / "songling-2023-12.pdf"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}

PARAGRAPH_1 = (
    "7月1日，区委召开全面深化改革委员会第九次会议，传达学习上级有关会议精神，审议通过"
    "《关于深化营商环境改革的实施方案》等文件，研究部署下一阶段改革重点任务。"
)
PARAGRAPH_2 = (
    "今年以来，河东街道坚持“分类投放、分类收运”，组织业务骨干入户走访，开展拉网式排查，"
    "建成垃圾分类示范小区12个，居民参与率达到92.5%，受到群众好评。"
)
# Raw text as a pdftotext-like extraction prints it: a line per printed line, blank lines
# between; headlines short, paragraph lines cut at 28 ems.
BULLETIN = """\
秘密★1年

舆 情 专 报

第12期

（总第87期）

松岭区委宣传部        签发人：王建国

2023年7月3日

≡本期要目≡

区委召开全面深化改革委员会会议……………1

河东街道扎实推进垃圾分类工作……………2

【工作动态】

区委召开全面深化改革委员会会议

{p1}

（区委办）

【基层经验】

河东街道扎实推进垃圾分类工作

{p2}

抄送：市委办公室，市政府办公室

呈报：市委宣传部

松岭区委办公室          2023年7月3日印发

分析：王明    审核：李华    编辑：张三

（共印25份）
"""


def _wrapped(text: str, width: int = 28) -> str:
    """The paragraph cut into printed lines (its first line two ems short for the indent)."""
    lines, rest = [text[: width - 2]], text[width - 2 :]
    while rest:
        lines.append(rest[:width])
        rest = rest[width:]
    return "\n\n".join(lines)


@pytest.fixture(scope="module")
def bulletin_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("conventions") / "songling-yuqing-12.txt"
    path.write_text(
        BULLETIN.format(p1=_wrapped(PARAGRAPH_1), p2=_wrapped(PARAGRAPH_2)), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def converted(bulletin_file: Path) -> dict[str, Any]:
    return document_to_dict(convert(bulletin_file))


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize(
    ("text", "place", "role"),
    [
        ("秘密★1年", "masthead", "secrecy"),
        ("机密", "masthead", "secrecy"),
        ("内部资料  注意保存", "masthead", "secrecy"),
        ("区委办公室        签发人：王建国", "masthead", "signer"),
        ("第12期", "masthead", "issue"),
        ("（总第87期）", "masthead", "issue"),
        ("≡本期要目≡", "body", "contents"),
        ("本期要目", "body", "contents"),
        ("【工作动态】", "body", "section"),
        ("≡本期详情≡", "body", "section"),
        ("呈报：市委办公室", "body", "distribution"),
        ("报送：市委宣传部", "body", "distribution"),
        ("抄送：区委各常委", "body", "distribution"),
        ("松岭区委办公室      2023年7月3日印发", "body", "distribution"),
        ("二〇二三年七月三日印发", "body", "distribution"),
        ("（共印25份）", "body", "distribution"),
        ("(共印.200份)", "body", "distribution"),  # a scan's speck read as a dot (b011791)
        ("（共印·120份）", "body", "distribution"),
        ("分析：王明    审核：李华", "body", "fields"),
        ("校对：张三", "body", "fields"),
        ("联系人：王明    联系电话：0571-86001234", "body", "fields"),
    ],
)
def test_each_convention_has_its_row(text: str, place: conventions.Place, role: str) -> None:
    assert conventions.role_of(text, place) == role


@pytest.mark.parametrize(
    "text",
    [
        "分析：今年以来，全区经济运行稳中向好，主要指标保持增长。",  # a sentence: vetoed
        "【工作动态】区委召开会议，部署全年工作。",  # a label with a sentence after it
        "区委召开全面深化改革委员会会议",
        "签发人要对信息内容负责。",
    ],
)
def test_body_text_takes_no_row(text: str) -> None:
    assert conventions.role_of(text, "body") is None
    assert conventions.role_of(text, "masthead") is None


def test_contents_heading_outranks_section_label() -> None:
    # ≡本期要目≡ matches the section label's pattern too: precedence decides.
    row = conventions.decide("≡本期要目≡", "body")
    assert row is not None and row.role == "contents"
    sections = next(r for r in conventions.ROWS if r.role == "section")
    assert sections.matches("≡本期要目≡")


# --------------------------------------------------------------------------- raw text


def test_masthead_reads_secrecy_signer_and_two_line_issue(converted: dict[str, Any]) -> None:
    assert converted["masthead"] == {
        "title": "舆情专报",
        "issuer": "松岭区委宣传部",
        "issue": "第12期",
        "cumulative_issue": "总第87期",
        "date": "2023-07-03",
        "date_text": "2023年7月3日",
        "secrecy": "秘密★1年",
        "signer": "王建国",
    }


def test_contents_sections_and_footer(converted: dict[str, Any]) -> None:
    assert converted["contents"] == ["区委召开全面深化改革委员会会议", "河东街道扎实推进垃圾分类工作"]
    items = [
        (it["head"], it["section"], it["paragraphs"], it["attribution"])
        for it in converted["items"]
    ]
    assert items == [
        ("区委召开全面深化改革委员会会议", "工作动态", [PARAGRAPH_1], "区委办"),
        ("河东街道扎实推进垃圾分类工作", "基层经验", [PARAGRAPH_2], None),
    ]
    assert converted["distribution"] == [
        {"label": "抄送", "text": "市委办公室，市政府办公室"},
        {"label": "呈报", "text": "市委宣传部"},
        {"label": None, "text": "松岭区委办公室2023年7月3日印发"},
        {"label": "分析", "text": "王明"},
        {"label": "审核", "text": "李华"},
        {"label": "编辑", "text": "张三"},
        {"label": None, "text": "（共印25份）"},
    ]


def test_json_validates_against_the_shipped_schema(converted: dict[str, Any]) -> None:
    import bulletin_ocr.export

    schema_path = Path(bulletin_ocr.export.__file__).parent / "schemas" / "document.schema.json"
    jsonschema.validate(converted, json.loads(schema_path.read_text(encoding="utf-8")))


def test_explain_names_the_rows(converted: dict[str, Any]) -> None:
    roles = {(d["role"], tuple(d["cues"])) for d in converted["explain"]}
    assert ("contents", ("contents heading", "2 entries")) in roles
    assert ("section label", ("section label",)) in roles
    assert ("distribution", ("distribution label",)) in roles


def test_tei_has_contents_sections_signer_and_is_valid(
    bulletin_file: Path, validate_tei: Any
) -> None:
    data = render_tei(convert(bulletin_file))
    validate_tei(data)
    root = etree.fromstring(data)
    contents = root.xpath("//t:front/t:div[@type='contents']", namespaces=TEI)
    assert len(contents) == 1
    assert contents[0].xpath("string(t:head)", namespaces=TEI) == "≡本期要目≡"
    entries = contents[0].xpath("t:list/t:item", namespaces=TEI)
    assert ["".join(e.itertext()) for e in entries] == [
        "区委召开全面深化改革委员会会议", "河东街道扎实推进垃圾分类工作"
    ]
    sections = root.xpath("//t:body/t:div[@type='section']", namespaces=TEI)
    assert [s.get("n") for s in sections] == ["工作动态", "基层经验"]
    assert sections[0].xpath("string(t:head)", namespaces=TEI) == "【工作动态】"
    assert [len(s.xpath("t:div[@type='item']", namespaces=TEI)) for s in sections] == [1, 1]
    assert root.xpath("string(//t:titlePage/t:byline/t:persName[@role='signer'])",
                      namespaces=TEI) == "王建国"
    assert root.xpath("string(//t:titlePage/t:note[@type='secrecy'])",
                      namespaces=TEI) == "秘密★1年"
    labels = root.xpath("//t:back/t:div[@type='distribution']/t:p/t:label/text()",
                        namespaces=TEI)
    assert labels == ["抄送", "呈报", "分析", "审核", "编辑"]


def test_clean_text_keeps_contents_and_section_labels(bulletin_file: Path) -> None:
    blocks = render_text(convert(bulletin_file)).split("\n\n")
    assert blocks[1] == "≡本期要目≡\n区委召开全面深化改革委员会会议\n河东街道扎实推进垃圾分类工作"
    assert blocks[2:4] == ["【工作动态】", "区委召开全面深化改革委员会会议"]
    assert "【基层经验】" in blocks


def test_catalogue_lists_sections(bulletin_file: Path) -> None:
    row = catalogue_row(convert(bulletin_file))
    assert row["sections"] == "工作动态；基层经验"
    assert [item["section"] for item in row["item_rows"]] == ["工作动态", "基层经验"]


# --------------------------------------------------------------------------- generated


# Seeds whose --conventions draws cover every value of every convention key between them
# (checked by the first test below).
GENERATED = (1, 2, 3, 5, 12, 13)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("generated")
    for seed in GENERATED:
        write(generate(seed, conventions=True), out)
    return {seed: out / f"b{seed:06d}" for seed in GENERATED}


def _truth(stem: Path) -> dict[str, Any]:
    return json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))


def test_the_generated_seeds_show_every_convention(generated: dict[int, Path]) -> None:
    seen: dict[str, set[str]] = {key: set() for key in generator_conventions.VARIANTS}
    for stem in generated.values():
        variant = _truth(stem)["variant"]
        for key in seen:
            seen[key].add(str(variant[f"cv_{key}"]))
    missing = {key: sorted({str(v) for v in values} - seen[key])
               for key, values in generator_conventions.VARIANTS.items()
               if {str(v) for v in values} - seen[key]}
    assert missing == {}


def test_without_the_flag_a_bulletin_has_no_conventions() -> None:
    truth = generate(GENERATED[0]).truth
    assert "contents" not in truth
    assert not any(key.startswith("cv_") for key in truth["variant"])
    assert "secrecy" not in truth["masthead"]


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
@pytest.mark.parametrize("seed", GENERATED)
def test_generated_conventions_are_read(generated: dict[int, Path], seed: int,
                                        suffix: str) -> None:
    truth = _truth(generated[seed])
    got = document_to_dict(convert(generated[seed].with_suffix(suffix)))
    for key in ("secrecy", "signer", "issue", "cumulative_issue"):
        assert norm(got["masthead"][key]) == norm(truth["masthead"][key]), key
    assert [norm(x) for x in got["contents"]] == [norm(x) for x in truth["contents"]]
    sections = [it["section"] for it in got["items"]]
    want = [it["section"] for it in truth["items"]]
    if suffix == ".pdf":
        assert sections == want
    else:
        # Raw text loses some run-in headlines whatever the conventions (seeds 3 and 13 lose
        # them without --conventions too), and with them items: the sections, in order.
        assert _runs(sections) == _runs(want)
    assert [(e["label"], norm(e["text"])) for e in got["distribution"]] == [
        (e["label"], norm(e["text"])) for e in truth["distribution"]
    ]
    text = item_text(got["items"])
    expected_text = item_text(truth["items"])
    leaks = [x for x in convention_strings(truth) if text.count(x) > expected_text.count(x)]
    assert leaks == []


@pytest.mark.parametrize(
    ("seed", "suffix"),
    [
        # An entry without leaders fills its line: the next entry is no wrapped part of it.
        (9146, ".pdf"),
        # The first item's headline wraps in a narrow column (``区统计局纵深推`` / ``进…``):
        # it ends the contents, it is no wrapped part of the last entry.
        (9154, ".txt"),
    ],
)
def test_contents_entries_end_where_the_items_show(tmp_path: Path, seed: int,
                                                   suffix: str) -> None:
    bulletin = generate(seed, conventions=True)
    write(bulletin, tmp_path)
    got = document_to_dict(convert(tmp_path / f"{bulletin.name}{suffix}"))
    assert got["contents"] == bulletin.truth["contents"]


def test_a_colophon_read_without_its_spaces_keeps_its_names(tmp_path: Path) -> None:
    # The PDF reader joins the four fields of the row with no space: 分析：龚晨平审核：钟新敏…
    bulletin = generate(9226, conventions=True)
    write(bulletin, tmp_path)
    got = document_to_dict(convert(tmp_path / f"{bulletin.name}.pdf"))
    colophon = [(e["label"], e["text"]) for e in got["distribution"] if e["label"] in
                ("分析", "审核", "编辑", "校对")]
    assert colophon == [("分析", "龚晨平"), ("审核", "钟新敏"), ("编辑", "钟雪岚"),
                        ("校对", "黎宁颖")]


def _runs(values: list[Any]) -> list[Any]:
    """Consecutive repeats as one: [a, a, b, a] -> [a, b, a]."""
    return [v for k, v in enumerate(values) if k == 0 or values[k - 1] != v]


# --------------------------------------------------------------------------- the sample


@pytest.mark.parametrize("path", [SAMPLE, SAMPLE_PDF], ids=["raw", "pdf"])
def test_sample_with_conventions(path: Path) -> None:
    got = document_to_dict(convert(path))
    assert got["masthead"]["secrecy"] == "内部资料 注意保存"
    assert got["masthead"]["signer"] == "周海燕"
    assert len(got["contents"]) == 4
    assert {it["section"] for it in got["items"]} == {"工作动态", "基层经验", "舆情追踪"}
    labels = [e["label"] for e in got["distribution"]]
    assert labels[:2] == ["呈报", "抄送"] and "校对" in labels
