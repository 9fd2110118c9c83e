"""INPUT '-': a PDF, an image or a raw extraction read from standard input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_ocr.cli import cli
from bulletin_ocr.stdin_input import suffix_for

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PDF = SAMPLES / "pdf" / "yunxi-2022-15.pdf"


def _invoke(args: list[str], data: bytes) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, input=data)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("sample", "suffix"), [
    ("pdf/yunxi-2022-15.pdf", ".pdf"),
    ("scans/yunxi-2022-15-p1-200dpi.png", ".png"),
    ("scans/yunxi-2022-15-p1-300dpi.jpg", ".jpg"),
    ("scans/qingchuan-2023-07-2p.tif", ".tif"),
    ("raw/yunxi-2022-15.txt", ".txt"),
])
def test_the_kind_comes_from_the_first_bytes(sample: str, suffix: str) -> None:
    assert suffix_for((SAMPLES / sample).read_bytes()) == suffix


def test_a_pdf_from_standard_input_is_converted_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = _invoke(["convert", "-", "-o", str(out), "--stdin-name", "云溪"], PDF.read_bytes())
    assert code == 0, stderr
    data = json.loads((out / "云溪.json").read_text(encoding="utf-8"))
    assert data["source"] == "云溪.pdf"
    from_file = tmp_path / "file"
    assert CliRunner().invoke(cli, ["convert", str(PDF), "-o", str(from_file)]).exit_code == 0
    assert (out / "云溪.txt").read_bytes() == (from_file / "yunxi-2022-15.txt").read_bytes()
    # The same bytes again: done before, and never reported as an input that is gone.
    code, stderr = _invoke(["convert", "-", "-o", str(out), "--stdin-name", "云溪"], PDF.read_bytes())
    assert code == 0, stderr
    assert "skipped (done before)       1" in stderr.splitlines()
    assert "inputs gone                 0" in stderr.splitlines()
    assert not any(line.startswith("warning:") for line in stderr.splitlines())


def test_default_name_is_stdin(tmp_path: Path) -> None:
    raw = (SAMPLES / "raw" / "yunxi-2022-15.txt").read_bytes()
    code, stderr = _invoke(["convert", "-", "-o", str(tmp_path / "out"), "--to", "txt"], raw)
    assert code == 0, stderr
    assert (tmp_path / "out" / "stdin.txt").exists()


@pytest.mark.parametrize(("args", "data", "message"), [
    (["-"], b"", "error: -: standard input is empty"),
    (["-", str(PDF)], b"%PDF-", "error: -: standard input must be the only INPUT"),
    (["-", "--stdin-name", "../x"], b"%PDF-",
     "error: --stdin-name: '../x' is not a file name (no folders, no leading dot)"),
])
def test_usage_errors_create_nothing(tmp_path: Path, args: list[str], data: bytes, message: str) -> None:
    code, stderr = _invoke(["convert", *args, "-o", str(tmp_path / "out")], data)
    assert code == 2
    assert stderr.splitlines() == [message]
    assert not (tmp_path / "out").exists()


def test_repair_reads_a_pdf_from_standard_input() -> None:
    from_file = CliRunner().invoke(cli, ["repair", str(PDF)])
    result = CliRunner().invoke(cli, ["repair", "-"], input=PDF.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == from_file.stdout and "云溪" in result.stdout
    code, stderr = _invoke(["repair", "-"], b"%PDF-1.7\n" + bytes(4000))
    assert code == 1 and stderr.startswith("error: <stdin>: ")
