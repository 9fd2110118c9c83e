"""The recogniser explains itself: JSON ``explain`` and ``bulletin-ocr repair --explain``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bulletin_ocr.api import convert
from bulletin_ocr.cli import cli
from bulletin_ocr.export.json import document_to_dict

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_json_lists_each_block_with_the_cues_that_decided_it() -> None:
    data = document_to_dict(convert(SAMPLES / "pdf" / "qingchuan-2023-07.pdf"))
    explain = data["explain"]
    assert explain[0] == {"role": "masthead", "lines": ["p1l1", "p1l2", "p1l3", "p1l4"],
                          "cues": ["above rule"]}
    roles = {entry["role"] for entry in explain}
    assert {"headline", "run-in headline", "paragraph", "attribution", "brief"} <= roles
    run_in = next(entry for entry in explain if entry["role"] == "run-in headline")
    assert "face change" in run_in["cues"][-1]
    ids = {line["id"] for page in data["pages"] for line in page["lines"]}
    assert all(set(entry["lines"]) <= ids for entry in explain)


def test_repair_explain_prints_one_row_per_block() -> None:
    result = CliRunner().invoke(cli, ["repair", "--explain", str(SAMPLES / "raw" / "yunxi-2022-15.txt")])
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()
    assert rows[0].startswith("masthead")
    assert any(row.startswith("run-in headline") and "[gap after headline]" in row for row in rows)
    assert any(row.startswith("attribution") for row in rows)
