"""Issue 20, items 11 and 13-19: no silent wrong results, and a clear one-line error for every
damaged input, odd name, bad config or full disk. Every hostile fixture is made here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile_fixtures as fixtures
from bulletin_ocr.batch import convert_batch
from bulletin_ocr.cli import cli
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


# Item 17: config keys that are documented work; bad values are usage errors at start-up.


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_paddleocr_keys_that_name_our_own_settings_are_honoured(
    tmp_path: Path,
) -> None:
    from bulletin_ocr.config import options_from_config, read_config
    from bulletin_ocr.ocr.paddle import PaddleEngine

    config = _config(
        tmp_path,
        "[ocr.paddleocr]\ntext_det_limit_side_len = 1280\ntext_recognition_batch_size = 4\n",
    )
    engine = PaddleEngine(options_from_config(read_config(config)).ocr)
    assert engine.detection.limit_side_len == 1280
    assert engine.recognition.batch_size == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ocr.paddleocr]\ntext_det_tresh = 0.3\n",
         "[ocr] paddleocr.text_det_tresh: unknown key (known: text_det_limit_side_len,"),
        ('[ocr.paddleocr]\ntext_det_thresh = "high"\n',
         '[ocr] paddleocr.text_det_thresh: expected a number from 0 to 1, got "high"'),
        ("[convert]\npage_timeout = inf\n",
         "[convert] page_timeout: expected a number of seconds from 1 to 1000000, got inf"),
        ("[convert]\npage_timeout = 1e308\n",
         "[convert] page_timeout: expected a number of seconds from 1 to 1000000, got 1e+308"),
        ("[convert]\nx = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ],
)
def test_a_bad_config_value_is_one_line_at_start_up(
    tmp_path: Path, text: str, message: str
) -> None:
    config = _config(tmp_path, text)
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", str(good), "-o", str(tmp_path / "out"), "--config", str(config)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["inf", "1e308", "nan"])
def test_an_endless_page_timeout_option_is_a_usage_error(tmp_path: Path, value: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", str(good), "-o", str(tmp_path / "out"), "--page-timeout", value]
    )
    assert result.exit_code == 2 and "--page-timeout" in result.stderr, result.output


def test_the_api_takes_an_endless_page_timeout_as_the_longest_allowed(tmp_path: Path) -> None:
    from bulletin_ocr.timeouts import page_deadline

    with page_deadline(float("inf"), "x.png", 1), page_deadline(1e308, "x.png", 1):
        pass
