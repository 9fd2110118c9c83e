"""The command line: outputs, exit codes and one-line errors that name the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_ocr.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE = SAMPLES / "raw" / "qingchuan-2023-07.txt"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_convert_writes_every_format(tmp_path: Path) -> None:
    code, stdout, stderr = _run("convert", str(SAMPLE), "-o", str(tmp_path))
    assert code == 0, stderr
    assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "catalogue-items.csv", "catalogue.csv", "catalogue.jsonl",
        "qingchuan-2023-07.json", "qingchuan-2023-07.tei.xml", "qingchuan-2023-07.txt",
        "report.jsonl",
    ]
    data = json.loads((tmp_path / "qingchuan-2023-07.json").read_text(encoding="utf-8"))
    assert data["masthead"]["date"] == "2023-04-12"


def test_convert_directory_and_format_choice(tmp_path: Path) -> None:
    code, _, stderr = _run("convert", str(SAMPLES / "raw"), "-o", str(tmp_path), "--to", "txt")
    assert code == 0, stderr
    written = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".txt")
    assert written == sorted(p.stem + ".txt" for p in (SAMPLES / "raw").glob("*.txt"))


def test_bad_inputs_fail_alone_with_one_line_each(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (inputs / "gbk.txt").write_bytes("区委组织部开展专项检查工作。（区委组织部）\n".encode("gb18030"))
    sample = inputs / SAMPLE.name
    sample.write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    code, _, stderr = _run(
        "convert", str(inputs / "empty.txt"), str(inputs / "binary.txt"),
        str(inputs / "gbk.txt"), str(sample), "-o", str(out),
    )
    assert code == 1
    errors = sorted(line for line in stderr.splitlines() if line.startswith("error:"))
    assert errors == sorted([
        f"error: {inputs / 'empty.txt'}: file is empty",
        f"error: {inputs / 'binary.txt'}: binary file, not a text extraction",
    ])
    assert (out / "gbk.txt").read_text(encoding="utf-8") == "区委组织部开展专项检查工作。（区委组织部）\n"
    assert (out / "qingchuan-2023-07.json").exists()


def test_missing_input_is_a_usage_error_that_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    out = tmp_path / "out"
    code, _, stderr = _run("convert", str(SAMPLE), str(missing), "-o", str(out))
    assert code == 2
    assert stderr.splitlines() == [f"error: {missing}: no such file or directory"]
    assert not out.exists()  # no OUTDIR, so no report and no catalogue


def test_unsupported_type_is_reported(tmp_path: Path) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK\x03\x04")
    code, _, stderr = _run("convert", str(odd), "-o", str(tmp_path / "out"))
    assert code == 1
    assert f"{odd}: unsupported file type '.docx'" in stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = _run("convert", str(SAMPLE), "-o", str(tmp_path), "--to", "txt,docx")
    assert code == 2
    assert "unknown format docx; choose from txt, tei, json, alto, page, hocr, pdf, html, or all" in stderr


def test_repair_prints_clean_text_to_stdout() -> None:
    code, stdout, _ = _run("repair", str(SAMPLE))
    assert code == 0
    blocks = stdout.split("\n\n")
    assert blocks[0] == "工作动态\n第7期（总第152期）\n中共青川区委办公室\n2023年4月12日"
    assert blocks[1] == "青川区召开2023年一季度经济运行分析会"
    assert blocks[2].startswith("4月10日，青川区召开2023年一季度经济运行分析会，总结一季度")


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from bulletin_ocr.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'cv2', 'pdfplumber', 'paddleocr', 'lxml', 'numpy'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


@pytest.mark.parametrize("args", [["--version"], ["convert", "--help"]])
def test_informational_options(args: list[str]) -> None:
    code, stdout, _ = _run(*args)
    assert code == 0
    assert stdout


def test_files_of_no_input_kind_in_a_folder_get_a_skipped_record_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (folder / "sub" / "yunxi.txt").write_bytes((SAMPLES / "raw" / "yunxi-2022-15.txt").read_bytes())
    (folder / "通知.docx").write_bytes(b"PK\x03\x04 a Word document")
    (folder / "sub" / "公报.ofd").write_bytes(b"PK\x03\x04 an OFD document")
    (folder / "README").write_text("not a bulletin\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = _run("convert", str(folder), "-o", str(out), "--to", "txt")
    assert code == 0, stderr
    records = [json.loads(line) for line in (out / "report.jsonl").read_text("utf-8").splitlines()]
    skipped = {Path(r["path"]).name: r["note"] for r in records if r["status"] == "skipped"}
    assert skipped == {
        "通知.docx": "unsupported file type '.docx'; not converted",
        "公报.ofd": "unsupported file type '.ofd' (OFD, the Chinese e-document format: "
                   "convert it to PDF first); not converted",
        "README": "no file extension (inputs are .bmp, .jpeg, .jpg, .pdf, .png, .text, .tif, "
                  ".tiff, .txt, .webp); not converted",
    }
    assert sorted(Path(r["path"]).name for r in records if r["status"] == "ok") == [
        SAMPLE.name, "yunxi.txt",
    ]
    assert "skipped (not inputs)        3" in stderr.splitlines()
    assert "converted                   2" in stderr.splitlines()
    # A second run into the same OUTDIR: its report and catalogue are no inputs either.
    code, _, stderr = _run("convert", str(folder), str(out), "-o", str(tmp_path / "again"))
    assert code == 0, stderr
    lines = (tmp_path / "again" / "report.jsonl").read_text("utf-8").splitlines()
    again = {Path(json.loads(line)["path"]).name for line in lines}
    assert not again & {"report.jsonl", "catalogue.jsonl", "catalogue.csv", "catalogue-items.csv"}
    assert {"通知.docx", "公报.ofd", "README"} <= again


ENCRYPTED = Path(__file__).resolve().parent / "resources" / "encrypted.pdf"  # password "secret"


def _convert_encrypted(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
                       ) -> tuple[int, str]:
    out = tmp_path / "out"
    result = CliRunner(env=env).invoke(
        cli, ["convert", str(ENCRYPTED), "-o", str(out), "--to", "txt", *args]
    )
    return result.exit_code, result.stderr


def test_password_from_a_file_is_read_and_never_echoed(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("secret\n", encoding="utf-8")
    code, stderr = _convert_encrypted(tmp_path, "--password-file", str(secret))
    assert code == 0, stderr
    assert "Encrypted test page 2024" in (tmp_path / "out" / "encrypted.txt").read_text("utf-8")
    secret.write_text("wrong-one\n", encoding="utf-8")
    code, stderr = _convert_encrypted(tmp_path, "--password-file", str(secret), "--force")
    assert code == 1 and "password" in stderr and "wrong-one" not in stderr


def test_password_from_the_environment(tmp_path: Path) -> None:
    code, stderr = _convert_encrypted(tmp_path, env={"BULLETIN_OCR_PASSWORD": "secret"})
    assert code == 0, stderr
    assert "Encrypted test page 2024" in (tmp_path / "out" / "encrypted.txt").read_text("utf-8")
    # --password-file wins over the environment
    secret = tmp_path / "pw"
    secret.write_text("secret", encoding="utf-8")
    code, stderr = _convert_encrypted(tmp_path, "--password-file", str(secret), "--force",
                                      env={"BULLETIN_OCR_PASSWORD": "wrong"})
    assert code == 0, stderr


def test_password_file_problems_are_usage_errors(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file"
    code, stderr = _convert_encrypted(tmp_path, "--password-file", str(missing))
    assert code == 2
    assert stderr == f"error: {missing}: cannot read the password file (No such file or directory)\n"
    secret = tmp_path / "pw"
    secret.write_text("secret", encoding="utf-8")
    code, stderr = _convert_encrypted(tmp_path, "--password-file", str(secret), "--password", "x")
    assert code == 2 and "give --password-file or --password, not both" in stderr
    assert not (tmp_path / "out").exists()


def test_version_names_the_models_and_their_checksums() -> None:
    from bulletin_ocr import __version__
    from bulletin_ocr.ocr.models import load_manifest

    code, stdout, _ = _run("--version")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == f"bulletin-ocr {__version__}"
    for spec in load_manifest():
        assert any(spec.name in line and spec.sha256 in line for line in lines[1:]), spec.name


def test_bash_completion_completes_commands_and_formats(tmp_path: Path) -> None:
    """What the README tells users to put in ~/.bashrc, run in a real bash."""
    program = Path(sys.executable).with_name("bulletin-ocr")
    script = (
        f'eval "$(_BULLETIN_OCR_COMPLETE=bash_source {program})"\n'
        "complete_at() { COMPREPLY=(); COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1));\n"
        f"  _bulletin_ocr_completion {program}; echo \"${{COMPREPLY[*]}}\"; }}\n"
        "complete_at bulletin-ocr con\n"
        "complete_at bulletin-ocr convert --to txt,h\n"
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                            check=True)
    assert result.stdout.splitlines() == ["convert", "txt,hocr txt,html"]
