"""The trained structure labeller: line features, labels from the truth, the shipped models'
checksums, blocks from labels, and the labeller's decisions on generated bulletins."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from samples.corpus.alignment import align_labels
from samples.corpus.metrics import aggregate, score

from bulletin_ocr.api import convert
from bulletin_ocr.export.json import document_to_dict
from bulletin_ocr.model import BBox, FontInfo, Line
from bulletin_ocr.structure import decider
from bulletin_ocr.structure.features import InputKind, crf_attributes, input_kind, line_features
from bulletin_ocr.structure.labeller import (
    LABELS,
    ModelError,
    blocks_from_labels,
    model_path,
    verify,
)
from bulletin_ocr.structure.typography import BodyFace


def raw(texts: list[str]) -> list[Line]:
    return [Line(f"p1l{k}", text, 1, "text") for k, text in enumerate(texts, 1)]


# ------------------------------------------------------------------------------ features


def test_raw_text_lines_have_text_features_and_no_geometry() -> None:
    lines = raw(["一、加强组织领导", "全区共排查问题11项，整改完成率达90.9%。", "（区委办）",
                 "报：市委办公室", "第12期（总第87期）"])
    records = line_features(lines)
    assert input_kind(lines) is InputKind.RAW_TEXT
    assert {r.kind for r in records} == {InputKind.RAW_TEXT}
    head, sentence, org, dist, issue = records
    assert head.opener == "cn-dun" and head.looks_like_headline and not head.ends_sentence
    assert sentence.ends_sentence and sentence.ends_with == "stop" and sentence.sentence_punct
    assert org.bracketed_org and org.opens_bracket and not org.trailing_org
    assert dist.distribution_label and issue.masthead_words
    assert all(r.indent is None and r.display == () and r.gap_above is None for r in records)
    assert head.first_on_page and issue.last_on_page


def test_raw_lines_say_where_a_run_in_headline_could_end_and_where_text_runs_on() -> None:
    # Lines of the real seeds and samples the labeller misread (benchmarks/README.md).
    lines = raw(["区委书记宋洁代表区委区政府对中铝郑州企业长期以来的",
                 "支持表示衷心感谢。她指出，企业要做强主业，",
                 "中国长城铝业有限公司党委书记程运材感谢上街区委、政",
                 "府对中铝郑州企业长期以来的指导、支持和帮助。",
                 "法(试行)》 春季学期开学以来,区教育局指导全区47",
                 "区住建局召开安全生产工作会议今年以来，全区共排查"])
    clause, said, wrapped, _, tail, runin = line_features(lines)
    # A whole line of running text without a clause's end, and one with its first comma late.
    assert clause.first_punct is None and said.first_punct == 8
    # 政 / 府 is one word broken by the line end; 的 / 支持 is not.
    assert wrapped.breaks_word and not clause.breaks_word
    # A gap after a closing book-title mark is where a headline's tail gives way to the body.
    assert tail.gap_at == 6
    assert runin.opener_inside == 14 and clause.opener_inside is None
    attrs = crf_attributes([clause, said, wrapped])
    assert "punct@=none" in attrs[0] and "wordbreak" in attrs[2] and "-1:wordbreak" not in attrs[2]
    assert "opener@=2" in crf_attributes([runin])[0]


def test_a_raw_line_with_a_run_in_gap_is_measured_with_the_gap_printed() -> None:
    from bulletin_ocr.inputs.text import read_text_file, split_pages
    from bulletin_ocr.layout.measure import measure_text_lines

    # yunxi-2022-15: a wrapped headline's tail, the gap, then the body fill the line; the raw
    # text keeps the gap as one space, so the line measures short by what the gap printed.
    text, _ = read_text_file(Path(__file__).resolve().parents[1] / "samples/raw/yunxi-2022-15.txt")
    lines = [line for page in split_pages(text) for line in page.lines]
    measure_text_lines(lines)
    records = line_features(lines)
    index = next(k for k, line in enumerate(lines) if line.text.startswith("务服务事项"))
    gapped = records[index]
    assert gapped.right_gap == 4.5 and gapped.gap_right_gap == 2.5
    assert {"rgap=4", "rgapg=2"} <= set(crf_attributes(records)[index])
    assert "+1:rgapg=2" in crf_attributes(records)[index - 1]
    assert records[index + 1].gap_right_gap is None


def test_the_first_line_of_a_page_says_whether_the_page_ended_a_paragraph() -> None:
    from bulletin_ocr.layout.measure import measure_text_lines

    runs_on = [Line("p1l1", "推动下游产品向价值链高端迈进；要深化智能、绿色、技", 1, "text"),
               Line("p1l2", "术三大改造，提升产业发展层级，打造高质量发展新模式。要", 1, "text"),
               Line("p2l1", "做大陆港，以国际陆港第二节点为切入点，积极探索融入新发", 2, "text")]
    ended = [Line("p1l1", "推动下游产品向价值链高端迈进；要深化智能、绿色、技", 1, "text"),
             Line("p1l2", "术三大改造，提升产业发展层级。", 1, "text"),
             Line("p2l1", "宋洁强调，政府要搞好服务，深化厂区联动，加强日常对", 2, "text")]
    for lines in (runs_on, ended):
        measure_text_lines(lines)
    assert [f.page_turn for f in line_features(runs_on)] == [None, None, "runs-on"]
    assert [f.page_turn for f in line_features(ended)] == [None, None, "ended"]
    assert "turn=ended" in crf_attributes(line_features(ended))[2]


def test_a_space_before_a_number_is_no_headline_end_when_a_gap_follows() -> None:
    from bulletin_ocr.structure.headline_end import char_attributes, window

    text = window(["区数据局推动“云溪通”App迭代升级实现 1268 项政",
                   "务服务事项“掌上办” 今年以来，区数据局围绕群众和"])
    attrs = char_attributes(text)
    space = text.index(" 1268")
    assert "cjkgap-ahead&digit-space" in attrs[space]
    assert "cjkgap-ahead&digit-after-space" in attrs[space + 1]
    # After the gap nothing lies ahead; a line break between Chinese characters is no gap.
    assert "cjkgap-ahead" not in attrs[text.index("今年")]
    assert not any("cjkgap" in a for a in char_attributes(window(["区召开工作会", "议今年以来"]))[0])


def test_the_run_in_model_reads_the_words_either_side_of_each_character() -> None:
    from bulletin_ocr.structure.headline_end import char_attributes, window

    # Bulletin 10904: ``三、临溪区全面加强招商引资工作`` then, with no gap, ``全年计划实施…``;
    # the words (工作 ending, 全年 opening) say where it ends, which classes of characters
    # cannot (CJK on both sides).
    text = window(["三、临溪区全面加强招商引资工作全年计划实", "施项目 19 个"])
    attrs = char_attributes(text)
    boundary = text.index("全年")
    assert {"word-start", "opens=全年", "word-end", "after=工作"} <= set(attrs[boundary])
    inside = text.index("招商") + 1
    assert "in-word" in attrs[inside]
    assert not any(a.startswith(("opens=", "after=")) for a in attrs[inside])


def test_pdf_lines_carry_face_indent_centring_and_gaps() -> None:
    body, bold = FontInfo("SimSun", 15.0), FontInfo("SimHei", 22.0, bold=True)
    lines = [
        Line("p1l1", "区委召开工作会议", 1, "pdf", bbox=BBox(200, 100, 380, 122), font=bold,
             indent=6.0, right_gap=6.2),
        Line("p1l2", "会议指出，要加强领导。", 1, "pdf", bbox=BBox(90, 140, 500, 155),
             font=body, indent=2.0, right_gap=0.0),
    ]
    head, para = line_features(lines, BodyFace("SimSun", 15.0, False), {1: 842.0})
    assert head.kind is InputKind.PDF_TEXT_LAYER
    assert head.centred and head.display == ("bold", "larger", "other face")
    assert head.relative_size == pytest.approx(22 / 15)
    # Gaps in median line heights (the upper of two: 22).
    assert head.gap_below == pytest.approx(18 / 22) and para.gap_above == head.gap_below
    assert not para.centred and para.display == () and para.indent == 2.0
    assert para.page_position == pytest.approx(140 / 842)
    attrs = crf_attributes([head, para])
    assert "disp=bold" in attrs[0] and "+1:indent=2" in attrs[0] and "-1:none" in attrs[0]
    assert "kind=pdf" in attrs[1] and "-1:disp=larger" in attrs[1]


def test_ocr_lines_are_a_scan() -> None:
    assert input_kind([Line("p1l1", "正文", 1, "ocr")]) is InputKind.SCAN


# ------------------------------------------------------------------------------ alignment


TRUTH: dict[str, Any] = {
    "masthead": {"title": "工作动态", "issuer": "中共某区委办公室", "issue": "第3期",
                 "cumulative_issue": None, "date": "2023-05-06", "date_text": "2023年5月6日"},
    "classification": None,
    "variant": {"brief_mark": "△"},
    "items": [
        {"type": "item", "head": "一、区委召开全区工作会议", "head_rend": "standalone",
         "paragraphs": ["会议指出，要加强领导，压实责任。", "会议要求，抓好落实。"],
         "attribution": "区委办"},
        {"type": "item", "head": "二、新桥街道推进治理", "head_rend": "run-in",
         "paragraphs": ["今年以来，新桥街道稳步推进工作，取得成效。"],
         "attribution": "新桥街道"},
        {"type": "item", "head": "三、望江街道召开会议", "head_rend": "run-in",
         "paragraphs": ["9月3日，我区召开推进会。"], "attribution": None},
        {"type": "brief", "head": None, "head_rend": None,
         "paragraphs": ["区农业农村局开展专项检查。"], "attribution": None},
    ],
    "distribution": [{"label": "报", "text": "市委办公室"},
                     {"label": None, "text": "（共印20份）"}],
}

LINES_AND_LABELS = [
    ("工作动态", "masthead"),
    ("第3期", "masthead"),
    ("中共某区委办公室   2023年5月6日", "masthead"),
    ("一、区委召开全区", "head"),
    ("工作会议", "head+"),
    ("会议指出，要加强领导，压", "para"),
    ("实责任。", "para+"),
    ("会议要求，抓好落实。", "para"),
    ("（区委办）", "attr"),
    ("二、新桥街道推进治理  今年以来，新桥", "runin"),
    ("街道稳步推进工作，取得成效。（新桥", "para+"),
    ("街道）", "attr+"),
    ("三、望江街道召开会议", "head"),  # the body on a line of its own: reads as standalone
    ("9月3日，我区召开推进会。", "para"),
    ("△区农业农村局开展专项检查。", "brief"),
    ("— 2 —", "other"),
    ("报：市委办公室", "dist"),
    ("（共印20份）", "dist"),
]


def test_alignment_labels_each_line_by_the_truth_part_it_opens_or_continues() -> None:
    texts = [text for text, _ in LINES_AND_LABELS]
    assert align_labels(texts, TRUTH) == [label for _, label in LINES_AND_LABELS]
    assert set(align_labels(texts, TRUTH)) <= set(LABELS)


def test_alignment_survives_extraction_spaces_and_width_forms() -> None:
    texts = [text.replace("3", " 3 ").replace("，", ",") for text, _ in LINES_AND_LABELS]
    assert align_labels(texts, TRUTH) == [label for _, label in LINES_AND_LABELS]


# ------------------------------------------------------------------------------ blocks


def test_blocks_from_labels_give_the_rules_blocks() -> None:
    lines = raw([text for text, _ in LINES_AND_LABELS])
    blocks = blocks_from_labels(lines, [label for _, label in LINES_AND_LABELS])
    shape = [(b.kind, len(b.lines)) for b in blocks]
    assert shape == [("masthead", 3), ("head", 2), ("para", 2), ("para", 1), ("attribution", 1),
                     ("para", 3), ("head", 1), ("para", 1), ("para", 2), ("distribution", 2)]
    run_in = blocks[5]
    assert run_in.gap is not None and run_in.lines[0].text[: run_in.gap.start] == "二、新桥街道推进治理"


def test_nothing_follows_a_distribution_list_but_more_of_it() -> None:
    lines = raw(["报：市委办公室", "发：各镇党委，区委各部门，区直各单位党组（党", "委）", "（共印120份）"])
    blocks = blocks_from_labels(lines, ["dist", "dist", "attr+", "dist"])
    assert [(b.kind, len(b.lines)) for b in blocks] == [("distribution", 4)]


class _FakeTagger:
    """Marginals as a tagger gives them after ``tag``: one row per line."""

    def __init__(self, rows: list[dict[str, float]]) -> None:
        self.rows = rows

    def labels(self) -> list[str]:
        return list(LABELS)

    def marginal(self, label: str, position: int) -> float:
        return self.rows[position].get(label, 0.0)


def test_a_masthead_holds_no_sentence() -> None:
    from bulletin_ocr.structure.labeller import _masthead_without_sentences

    lines = raw(["中共某区委办公室 2022年8月16日", "重点项目集中签约 8月15日，云溪区举", "行签约仪式。"])
    tagger = _FakeTagger([{}, {"head": 0.5, "runin": 0.3, "para": 0.2}, {"para+": 0.9}])
    labels = ["masthead", "masthead", "para+"]
    assert _masthead_without_sentences(lines, labels, tagger) == ["masthead", "runin", "para+"]


# ------------------------------------------------------------------------------ models


@pytest.mark.parametrize("kind", [InputKind.RAW_TEXT, InputKind.PDF_TEXT_LAYER])
def test_shipped_models_match_their_checksums(kind: InputKind) -> None:
    verify(model_path(kind))


def test_a_model_that_changed_is_refused(tmp_path: Path) -> None:
    model = model_path(InputKind.RAW_TEXT)
    copy = tmp_path / model.name
    shutil.copy(model, copy)
    shutil.copy(model.with_suffix(".sha256"), tmp_path / f"{copy.stem}.sha256")
    verify(copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="checksum does not match"):
        verify(copy)
    (tmp_path / f"{copy.stem}.sha256").unlink()
    with pytest.raises(ModelError, match="missing"):
        verify(copy)


def test_forcing_a_decider_overrides_the_default() -> None:
    assert decider.decider_for(InputKind.RAW_TEXT) == decider.DEFAULTS[InputKind.RAW_TEXT]
    with decider.forced("crf"):
        assert decider.decider_for(InputKind.SCAN) == "crf"
    assert decider.decider_for(InputKind.SCAN) == decider.DEFAULTS[InputKind.SCAN]


# ------------------------------------------------------------------------------ decisions


# Seeds outside the training range (30001-30500) and the benchmark's sets.
DECISION_SEEDS = range(801, 806)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any]]]:
    from samples.corpus.generate import generate, write

    folder = tmp_path_factory.mktemp("labeller-corpus")
    out = []
    for seed in DECISION_SEEDS:
        bulletin = generate(seed)
        write(bulletin, folder)
        out.append((folder / bulletin.name, bulletin.truth))
    return out


# Scores measured when the models were trained (rules on the same five: raw text head F1
# 0.867, paragraph F1 0.969; PDF 1.000 and 1.000).
@pytest.mark.parametrize(("suffix", "head_floor", "para_floor"), [(".txt", 0.85, 0.99),
                                                                  (".pdf", 1.0, 1.0)])
def test_labeller_decisions_on_generated_bulletins(
    generated: list[tuple[Path, dict[str, Any]]], suffix: str, head_floor: float,
    para_floor: float,
) -> None:
    scores = []
    with decider.forced("crf"):
        for stem, truth in generated:
            got = document_to_dict(convert(stem.with_name(stem.name + suffix)))
            scores.append(score(got, truth))
    rates = aggregate(scores)
    assert rates["head_f1"] >= head_floor, rates
    assert rates["para_f1"] >= para_floor and rates["attr_f1"] == 1.0, rates


def test_training_is_reproducible_and_writes_checked_models(
    generated: list[tuple[Path, dict[str, Any]]], tmp_path: Path
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from train_labeller import main

    folder = generated[0][0].parent  # the bulletins already made: training reuses them
    first, second = tmp_path / "first", tmp_path / "second"
    for models in (first, second):
        args = ["--seed", str(DECISION_SEEDS[0]), "--count", "2", "--work", str(folder)]
        assert main([*args, "--models", str(models)]) == 0
    names = sorted(path.name for path in first.iterdir())
    assert names == ["pdf.crfsuite", "pdf.sha256", "raw.crfsuite", "raw.sha256",
                     "runin-pdf.crfsuite", "runin-pdf.sha256", "runin-raw.crfsuite",
                     "runin-raw.sha256"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
        if name.endswith(".crfsuite"):
            verify(first / name)


def test_a_short_headline_line_whose_next_line_opens_with_its_tail_is_a_wrapped_run_in() -> None:
    from bulletin_ocr.structure.labeller import _wrapped_run_in_heads

    lines = raw(["推动各项工作提质增效。", "区委组织部“三项举措”加强年轻干部实践",
                 "锻炼 一是搭建实践平台。选派 42 名优秀年轻干部到乡村振兴、",
                 "区教育局召开工作会议", "今年以来，区教育局全面落实 2024 年重点工作"])
    labels = ["para+", "head", "para", "head", "para"]
    # The second headline's next line opens a sentence: a standalone headline stays one.
    assert _wrapped_run_in_heads(lines, labels) == ["para+", "runin", "para+", "head", "para"]


def test_documents_with_conventions_the_labeller_never_saw_go_to_the_rules() -> None:
    from bulletin_ocr.structure.labeller import unlearned_convention

    assert unlearned_convention(raw(["松岭区委宣传部    签发人：周海燕", "2023年12月8日"])) == (
        "signer line")
    assert unlearned_convention(raw(["≡本期要目≡", "松岭区召开经济工作会议……1"])) == (
        "contents heading")
    assert unlearned_convention(raw(["【工作动态】"])) == "section label"
    assert unlearned_convention(raw(["报：市委办公室", "区委召开工作会议"])) is None


def test_plain_text_read_across_two_columns_goes_to_the_labeller_in_column_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samples.corpus.generate import generate, write

    import bulletin_ocr.structure as structure
    from bulletin_ocr.inputs.text import read_text_file, split_pages
    from bulletin_ocr.structure.interleaved import read_across_columns

    def lines_of(path: Path) -> list[Line]:
        return [line for page in split_pages(read_text_file(path)[0]) for line in page.lines]

    # Bulletin 5 sets two narrow columns, which poppler's pdftotext reads a line from each in
    # turn; the seeds-style raw extraction reads them in order; bulletin 1 has one column.
    for seed, columns in ((5, 2), (1, 1)):
        bulletin = generate(seed)
        assert bulletin.truth["variant"]["columns"] == columns
        write(bulletin, tmp_path)
    assert read_across_columns(lines_of(tmp_path / "b000005.pdftotext.txt"))
    assert not read_across_columns(lines_of(tmp_path / "b000005.txt"))
    assert not read_across_columns(lines_of(tmp_path / "b000001.pdftotext.txt"))
    samples = Path(__file__).resolve().parents[1] / "samples" / "raw"
    assert not any(read_across_columns(lines_of(path)) for path in samples.glob("*.txt"))
    labelled: list[int] = []
    real_label_lines = structure.label_lines

    def counting(lines: Any, *args: Any) -> list[str]:
        labelled.append(len(lines))
        return real_label_lines(lines, *args)

    monkeypatch.setattr(structure, "label_lines", counting)
    # Put back in column order, the two columns go to the labeller under either setting (it
    # reads them better than the rules: benchmarks/README.md); one column follows the setting.
    with decider.forced("rules"):
        convert(tmp_path / "b000001.pdftotext.txt")
        assert not labelled
        convert(tmp_path / "b000005.pdftotext.txt")
        assert labelled


def test_the_learned_headline_end_never_opens_the_body_inside_a_word() -> None:
    from bulletin_ocr.structure.headline_end import end_in_window, window

    # Seed 000's first headline fills its line; the body opens on the next with a date.
    text = window(["上街区与中铝郑州企业召开2021年度厂区联席会议", "4月25日，上街区与中铝郑州企业召开"])
    cut = text.index("议")  # the model's first body character: 联席会|议
    labels = ["H"] * cut + ["B"] * (len(text) - cut)
    assert end_in_window(labels, text) == text.index("\n")
    # A cut at a word's edge stays; one nearer a word's start moves back to it.
    assert end_in_window(["H"] * 4 + ["B"] * 4, "工作会议今年以来") == 4
    assert end_in_window(["H"] * 3 + ["B"] * 7, "召开联席会议今年以来") == 2


def test_a_sentence_ending_short_of_the_column_reads_as_a_paragraph_end() -> None:
    from bulletin_ocr.layout.measure import measure_text_lines

    # lanshan-2024-03: the paragraph ends two ems short; the next opens with 1月至2月.
    lines = raw(["对全区43家涉气重点企业实施“一企一策”精细化管理,督促",
                 "完成挥发性有机物治理设施升级改造17套,对建筑工地落实",
                 "“六个百分之百”扬尘管控措施情况开展常态化巡查。",
                 "1月至2月,全区PM2.5平均浓度为38微克/立方米,同比下"])
    measure_text_lines(lines)
    attrs = crf_attributes(line_features(lines))
    assert "parend" in attrs[2] and "-1:parend" in attrs[3]
    assert not any("parend" in line for line in attrs[:2])


def test_training_also_reads_a_raw_extraction_without_its_masthead() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from train_labeller import headless

    from bulletin_ocr.structure.blocks import Evidence

    lines = raw(["党建动态", "第24期", "区召开工作会议", "9月3日，区召开工作会议。"])
    labels = ["masthead", "masthead", "head", "para"]
    [(attrs, cut)] = headless(labels, lines, Evidence(), None)
    assert cut == ["head", "para"]
    assert "-1:none" in attrs[0] and "pfirst" in attrs[0]
    assert headless(["head", "para"], lines[2:], Evidence(), None) == []


def test_a_line_short_only_because_the_next_number_did_not_fit_is_no_paragraph_end() -> None:
    from bulletin_ocr.layout.measure import measure_text_lines

    # The first line stops four ems short after a full stop; the next opens with a number five
    # ems wide, which a line break never splits: nothing shows the paragraph ended. With
    # ``1月`` opening the next line the room is unexplained: a paragraph end.
    first = "对全区涉气重点企业实施“一企一策”精细化管理，督促完成治理。"
    full = "展常态化巡查，确保各项任务落地见效，推动工作常态长效开展，全力推进。"
    number = raw([first, "2024031500号文件要求，对建筑工地落实扬尘管控措施情况开", full])
    month = raw([first, "1月至2月，对建筑工地落实扬尘管控措施情况开展常态化巡查，", full])
    measure_text_lines(number)
    measure_text_lines(month)
    assert number[0].right_gap == month[0].right_gap == 4.0
    assert not line_features(number)[0].stops_short
    assert "parend" not in crf_attributes(line_features(number))[0]
    assert line_features(month)[0].stops_short
    assert "parend" in crf_attributes(line_features(month))[0]


def test_a_line_labelled_attribution_without_an_office_in_brackets_stays_text() -> None:
    from bulletin_ocr.api import convert_text
    from bulletin_ocr.export.text import render_text

    # The labeller once tagged a lone ``镇（街道）`` an attribution, and the text came out as
    # ``（镇（街道））``: an attribution's brackets are printed around it again.
    (block,) = blocks_from_labels(raw(["镇（街道）"]), ["attr"])
    assert block.kind == "para" and "no office in brackets" in block.cues
    (wrapped,) = blocks_from_labels(raw(["（区市场", "监管局）"]), ["attr", "attr+"])
    assert wrapped.kind == "attribution"
    assert render_text(convert_text("镇（街道）")).strip() == "镇（街道）"


def test_a_headline_broken_inside_a_word_goes_on_in_the_next_line() -> None:
    from bulletin_ocr.layout.measure import measure_text_lines
    from bulletin_ocr.structure.labeller import _headlines_end_at_words

    # Generated bulletin 10820 (raw text): the model tagged the headline's second line a
    # paragraph's first; ``到位`` runs across the break, and the line stops far short.
    full = "区人大常委会主任曹宇松出席会议并讲话，唐思、曾然浩等参加"
    lines = raw(["（二）滨河街道“三个到", "位”扎实推进医保基金监管", full])
    measure_text_lines(lines)
    assert _headlines_end_at_words(lines, ["head", "para", "para+"]) == ["head", "head+", "para+"]
    # A line that holds a sentence is no headline's rest.
    sentence = raw([lines[0].text, "位”扎实推进，医保基金监管。", full])
    measure_text_lines(sentence)
    assert _headlines_end_at_words(sentence, ["head", "para", "para+"])[1] == "para"
    # Bulletin 10814: ``全区`` reads across ``食品安全`` / ``区科技局…``, but that line stops
    # short only by a lost indent: a paragraph's first line, not a headline's rest.
    running = raw(["化”推动食品安全", "区科技局牵头建立容缺受", "理机制，推动重点项目建设提"])
    measure_text_lines(running)
    assert running[1].right_gap == 2.0
    assert _headlines_end_at_words(running, ["head+", "para", "para+"]) == ["head+", "para", "para+"]
    # Bulletin 10894: a headline set on two balanced lines; bulletin 10830 (pdftotext): a
    # paragraph's first line cut at a change of font stops far shorter than the headline.
    centred = raw(["（一）白沙镇稳岗就业见行见效", "全力助推食品安全形成长效机制", full])
    cut = raw(["（三）滨河街道全力抓好食品安全工作", "通过“梅岭通”App", full])
    for found in (centred, cut):
        measure_text_lines(found)
        assert found[1].right_gap > 3.5
    assert _headlines_end_at_words(centred, ["head", "para", "para+"])[1] == "head+"
    assert _headlines_end_at_words(cut, ["head", "para", "para+"])[1] == "para"


def test_masthead_lines_at_the_start_are_the_masthead_whatever_the_model_said() -> None:
    from bulletin_ocr.structure.labeller import _masthead_lines_lead

    # Generated bulletin 11154 (raw text): the issuer and date line was tagged a headline.
    lines = raw(["信 息 快 报", "第34期（总第217期）", "中共柳湾区委办公室    2025年8月3日",
                 "花溪街道食品安全见行见效", "会议指出，重点项目建设事关群众切身利益，"])
    labels = ["masthead", "masthead", "head", "head", "para"]
    assert _masthead_lines_lead(lines, labels) == ["masthead"] * 3 + ["head", "para"]
    # Bulletin 11158 opens with that line alone; a headline with a year is no masthead line.
    alone = raw(["凤 岗 区 人民 政府 办公室    2019年 5 月 14 日", "区委召开2019年工作会议"])
    assert _masthead_lines_lead(alone, ["head", "head+"]) == ["masthead", "head+"]
    # Only at the start: the same line further on is left to the model.
    later = raw(["区委召开2019年工作会议", alone[0].text])
    assert _masthead_lines_lead(later, ["head", "para"]) == ["head", "para"]


def test_a_paragraph_opening_with_a_headline_and_a_gap_opens_with_a_run_in_headline() -> None:
    from bulletin_ocr.structure.labeller import _run_in_heads_at_gaps

    # Generated bulletin 11107 (raw text): tagged a paragraph's first line.
    lines = raw(["望江街道“二个到位”统筹推进反诈宣传 唐明松强调，",
                 "要压实工作责任，确保各项任务落地见效，要提高政治站位，",
                 "截至3月20日 共走访1459家，解决实际困难4个。"])
    assert _run_in_heads_at_gaps(lines, ["para", "para+", "para"]) == ["runin", "para+", "para"]
    # Spaces between Chinese characters on most lines say nothing.
    noisy = raw([f"全区 召开第{k}次工作 会议，部署 下一步工作。" for k in range(12)] + [lines[0].text])
    assert _run_in_heads_at_gaps(noisy, ["para"] * 13) == ["para"] * 13
