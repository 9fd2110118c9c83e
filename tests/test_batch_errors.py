"""Issue 20, items 11 and 13-19: no silent wrong results, and a clear one-line error for every
damaged input, odd name, bad config or full disk. Every hostile fixture is made here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import hostile_fixtures as fixtures
from bulletin_ocr.batch import convert_batch
from bulletin_ocr.inputs.text import decode_text
from hostile_run import convert_within

BODY = "区委组织部开展专项检查工作，推动基层党建。\n" * 5


def records(outdir: Path) -> dict[str, dict[str, object]]:
    lines = (outdir / "report.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(str(r["path"])).name: r for r in map(json.loads, lines)}


# Item 11: an input that yields no text is not "ok".


def test_a_text_file_of_page_numbers_or_ideographic_spaces_warns_that_it_has_no_text(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "numbers.txt").write_text("— 1 —\n\n— 2 —\n- 3 -\n", encoding="utf-8")
    (folder / "spaces.txt").write_text("\u3000\u3000\u3000\n\u3000\n", encoding="utf-8")
    (folder / "good.txt").write_text(BODY, encoding="utf-8")
    result = convert_batch([folder], tmp_path / "out", jobs=1)
    by_name = {Path(r.path).name: r for r in result.records}
    assert by_name["good.txt"].status == "ok"
    for name in ("numbers.txt", "spaces.txt"):
        assert by_name[name].status == "warning", name
        assert any("no text" in w for w in by_name[name].warnings), by_name[name].warnings


def test_a_page_larger_than_pdf_allows_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "huge.pdf", fixtures.huge_mediabox_pdf())
    document = convert_within(path, 20, use_ocr=False)
    assert not isinstance(document, Exception)
    [warning] = document.warnings
    assert "14,400" in warning and "page 1" in warning


# Item 13: catalogue.csv is opened by spreadsheets; no cell may start a formula.


def test_catalogue_csv_cells_that_would_start_a_formula_are_quoted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ['=HYPERLINK("x")a.txt', "@SUM(1+1).txt", "-2+3+cmd.txt", "+1.txt"]
    for name in names:
        (folder / name).write_text(BODY, encoding="utf-8")
    (folder / "plain.txt").write_text(BODY, encoding="utf-8")
    convert_batch([folder], tmp_path / "out", jobs=1)
    with (tmp_path / "out" / "catalogue.csv").open(encoding="utf-8-sig", newline="") as handle:
        sources = [row["source"] for row in csv.DictReader(handle)]
    assert sorted(sources) == sorted(["'" + name for name in names] + ["plain.txt"])
    # The JSON catalogue is not a spreadsheet: it keeps the names as they are.
    jsonl = (tmp_path / "out" / "catalogue.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["source"] for line in jsonl.splitlines()} == {*names, "plain.txt"}


# Item 18: a stray byte in UTF-8 without a BOM is forgiven as it is with one.


def test_a_stray_byte_in_utf8_without_a_bom_is_read_with_a_warning_naming_its_offset() -> None:
    data = BODY.encode("utf-8")
    damaged = data[:30] + b"\xff" + data[30:]
    decoded = decode_text(damaged, "stray.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == BODY[:10] + "\ufffd" + BODY[10:]
    [warning] = decoded.warnings
    assert "byte 30" in warning


def test_a_gbk_file_is_still_read_as_gbk() -> None:
    data = ("2021年工作动态 " + "区委组织部开展专项检查。" * 3).encode("gbk")
    assert decode_text(data, "gbk.txt").text.startswith("2021年工作动态")
