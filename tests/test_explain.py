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


def _explained(*options: str) -> list[str]:
    raw = str(SAMPLES / "raw" / "yunxi-2022-15.txt")
    result = CliRunner().invoke(cli, ["repair", "--explain", raw, *options])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_repair_explain_prints_one_row_per_block() -> None:
    rows = _explained("--decider", "rules")
    assert rows[0].startswith("masthead")
    assert any(row.startswith("run-in headline") and "[gap after headline]" in row for row in rows)
    assert any(row.startswith("attribution") for row in rows)


def test_repair_explain_names_the_labeller_where_it_decided() -> None:
    rows = _explained()  # plain text: the labeller by default
    assert rows[0].startswith("masthead") and "[labeller]" in rows[0]
    assert any(row.startswith("run-in headline") and "labelled runin" in row
               and "run-in model" in row for row in rows)
    assert any(row.startswith("attribution") and "labelled attr" in row for row in rows)
