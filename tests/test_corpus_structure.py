"""Exact structure on generated bulletins nobody here hand-typeset (issue 8).

Each bulletin of the fixed subset (tests/corpus_subset.py) is converted as the CLI does it and
its projection (masthead fields, items, distribution) must equal the truth the generator wrote,
as tests/test_samples.py demands of the samples. Raw extractions are held to it only where the
raw text still shows the whole structure (``RAW_EXACT``); the PDFs always are. The scans must
give the same skeleton (item types, headline presence and rendering, paragraph and attribution
counts, masthead fields) and their text a character error rate under ``MAX_SCAN_CER`` for
their scan mode (measured at commit 63ee8f3 on one-column corpus scans: grey JPEG 1.0 %, colour
1.4 %, 1-bit 4.0 %; two-column scans 39-68 %, their columns read across).
"""

from __future__ import annotations

from typing import Any

import pytest
from samples.corpus.metrics import norm, projection, score

from bulletin_ocr.api import convert
from bulletin_ocr.export.json import document_to_dict
from corpus_subset import RAW_EXACT, SCANNED, SUBSET, bulletin, path_of, scan_file

MAX_SCAN_CER = {"gray_jpeg": 0.02, "color_jpeg": 0.02, "bw_tiff": 0.06}


def assert_same_structure(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["masthead"] == want["masthead"]
    for index, (got_item, want_item) in enumerate(zip(got["items"], want["items"], strict=False)):
        assert got_item == want_item, f"item {index}"
    assert len(got["items"]) == len(want["items"])
    assert got["distribution"] == want["distribution"]


@pytest.mark.parametrize("seed", RAW_EXACT)
def test_raw_extraction_converts_to_its_truth(seed: int) -> None:
    got = projection(document_to_dict(convert(path_of(seed, ".txt"))))
    assert_same_structure(got, projection(bulletin(seed).truth))


@pytest.mark.parametrize("seed", SUBSET)
def test_pdf_converts_to_its_truth(seed: int) -> None:
    got = projection(document_to_dict(convert(path_of(seed, ".pdf"))))
    assert_same_structure(got, projection(bulletin(seed).truth))


def skeleton(doc: dict[str, Any]) -> dict[str, Any]:
    mh = doc["masthead"]
    return {
        "masthead": {k: norm(v) for k, v in mh.items()} if mh else None,
        "items": [(it["type"], it["head"] is not None, it["head_rend"], len(it["paragraphs"]),
                   it["attribution"] is not None) for it in doc["items"]],
        "distribution": [entry["label"] for entry in doc["distribution"]],
    }


# A known failure, kept honestly: on seed 1's 1-bit scan the recogniser drops two of the
# three ▲ brief markers, so those briefs come out as plain items (issue 8's note).
KNOWN_SCAN_FAILURES = {1: "OCR loses the ▲ markers of two briefs on this 1-bit scan"}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [
    pytest.param(seed, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SCAN_FAILURES[seed]))
    if seed in KNOWN_SCAN_FAILURES else seed
    for seed in SCANNED
])
def test_scan_converts_to_the_structure_of_its_truth(seed: int) -> None:
    got = document_to_dict(convert(scan_file(seed)))
    truth = bulletin(seed).truth
    assert skeleton(projection(got)) == skeleton(projection(truth))
    result = score(got, truth, with_cer=True)
    assert result.cer_edits / result.cer_len <= MAX_SCAN_CER[truth["scan"]["mode"]]
