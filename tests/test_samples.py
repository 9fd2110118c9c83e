"""Golden end-to-end tests: each sample, as raw extraction and as typeset PDF, converts to
its expected JSON.

The expected files in samples/expected/ are projections of the hand-written bulletins in
samples/src/ (see samples/README.md), never output of this program.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bulletin_ocr.api import convert
from bulletin_ocr.export.json import document_to_dict

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RAW = sorted((SAMPLES / "raw").glob("*.txt"))
PDF = sorted((SAMPLES / "pdf").glob("*.pdf"))
INPUTS = RAW + PDF
IDS = [f"{p.parent.name}/{p.stem}" for p in INPUTS]
GOLDEN_KEYS = ("masthead", "items", "distribution", "contents")
ITEM_KEYS = ("type", "head", "head_rend", "paragraphs", "attribution", "section")


def _golden_view(document: dict[str, Any]) -> dict[str, Any]:
    view = {key: document[key] for key in GOLDEN_KEYS}
    view["items"] = [{key: item[key] for key in ITEM_KEYS} for item in document["items"]]
    return view


def test_there_are_samples() -> None:
    assert len(RAW) >= 3
    assert [p.stem for p in PDF] == [p.stem for p in RAW]


@pytest.mark.parametrize("raw", INPUTS, ids=IDS)
def test_sample_converts_to_its_expected_json(raw: Path) -> None:
    expected = json.loads((SAMPLES / "expected" / f"{raw.stem}.json").read_text(encoding="utf-8"))
    got = _golden_view(document_to_dict(convert(raw)))
    assert got["masthead"] == expected["masthead"]
    for index, (got_item, want_item) in enumerate(zip(got["items"], expected["items"], strict=False)):
        assert got_item == want_item, f"item {index}"
    assert len(got["items"]) == len(expected["items"])
    assert got["distribution"] == expected["distribution"]
    assert got["contents"] == expected["contents"]


@pytest.mark.parametrize("raw", INPUTS, ids=IDS)
def test_sample_tei_is_valid(raw: Path, validate_tei, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bulletin_ocr.export.tei import render_tei

    target = tmp_path / f"{raw.stem}.tei.xml"
    target.write_bytes(render_tei(convert(raw)))
    validate_tei(target)
