"""One threshold profile per kind of input (``structure.thresholds``): every kind has one, the
kinds differ only where raw text shows less, and the decisions read the numbers from it."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from bulletin_ocr.model import Line, LineSource
from bulletin_ocr.structure import blocks, cues, thresholds
from bulletin_ocr.structure.features import InputKind
from bulletin_ocr.structure.thresholds import KIND_FIELDS, PROFILES, SHARED, Rules, profile

# A paragraph's two lines as a raw extraction gives them: the first stops 1.8 em short of the
# longest line, because its two-em indent was lost, not because the paragraph ends there.
FIRST = "区委召开常委会议研究部署全年重点工作任务并对各项工作提出明确要求会议强调要坚持"
SECOND = "问题导向，狠抓工作落实，确保各项任务按期完成。"
# A paragraph's middle line that holds Chinese next to digits four times: Word set a quarter
# em at each change, which the width estimate leaves out.
DIGITS = "全区共有12个镇和3个街道参加了评比并有2024年新建的工作站点参与其中"


def _lines(source: LineSource, gaps: list[float], texts: list[str]) -> list[Line]:
    indent = None if source == "text" else 0.0
    return [
        Line(id=f"l{i}", text=text, page=1, source=source, indent=indent, right_gap=gap)
        for i, (text, gap) in enumerate(zip(texts, gaps, strict=True))
    ]


def _paragraphs(lines: list[Line]) -> list[list[str]]:
    return [
        [line.id for line in block.lines]
        for block in blocks.segment(lines, masthead=False)
    ]


def test_every_kind_has_a_profile() -> None:
    assert set(PROFILES) == {kind.value for kind in InputKind}
    for kind in InputKind:
        assert isinstance(profile(kind), Rules)


def test_kinds_differ_only_in_their_fields() -> None:
    """Code that sees no kind reads ``SHARED``: every profile must agree with it elsewhere."""
    for kind in InputKind:
        differing = {
            f.name for f in fields(Rules)
            if getattr(profile(kind), f.name) != getattr(SHARED, f.name)
        }
        assert differing <= KIND_FIELDS, kind


def test_raw_text_allows_for_what_it_does_not_show() -> None:
    raw, pdf = profile(InputKind.RAW_TEXT), profile(InputKind.PDF_TEXT_LAYER)
    assert raw.lost_indent == raw.first_line_indent > pdf.lost_indent == 0.0
    assert raw.autospace == 0.25 and pdf.autospace == profile(InputKind.SCAN).autospace == 0.0


def test_a_raw_first_line_short_by_its_lost_indent_goes_on() -> None:
    texts = [FIRST, SECOND]
    assert _paragraphs(_lines("text", [1.8, 20.0], texts)) == [["l0", "l1"]]
    # A text layer shows the indent: a first line that stops as short ends its paragraph.
    assert _paragraphs(_lines("pdf", [1.8, 20.0], texts)) == [["l0"], ["l1"]]


def test_the_raw_profile_steers_the_first_line(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = PROFILES["raw"]
    monkeypatch.setitem(PROFILES, "raw", replace(raw, lost_indent=0.0))
    assert _paragraphs(_lines("text", [1.8, 20.0], [FIRST, SECOND])) == [["l0"], ["l1"]]


def test_autospace_widens_a_raw_line_holding_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [FIRST, DIGITS, SECOND]
    gaps = [0.0, 2.2, 20.0]
    assert _paragraphs(_lines("text", gaps, texts)) == [["l0", "l1", "l2"]]
    monkeypatch.setitem(PROFILES, "raw", replace(PROFILES["raw"], autospace=0.0))
    assert _paragraphs(_lines("text", gaps, texts)) == [["l0", "l1"], ["l2"]]


def test_the_pdf_profile_steers_a_text_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile is picked by the input's kind: a text layer given raw text's allowance
    keeps the short first line in its paragraph."""
    monkeypatch.setitem(PROFILES, "pdf", replace(SHARED, lost_indent=2.0))
    assert _paragraphs(_lines("pdf", [1.8, 20.0], [FIRST, SECOND])) == [["l0", "l1"]]


def test_shared_length_limits_steer_the_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    headline = "区委召开全面从严治党工作会议"
    assert cues.looks_like_headline(headline)
    monkeypatch.setattr(cues, "SHARED", replace(SHARED, max_headline=len(headline) - 1))
    assert not cues.looks_like_headline(headline)


def test_profiles_are_frozen() -> None:
    with pytest.raises(AttributeError):
        SHARED.full_line_tolerance = 3.0  # type: ignore[misc]
    assert thresholds.SCAN_FACES is profile(InputKind.SCAN).faces
