"""Quiet means quiet: library logging only with --verbose, a full --log-file, UTF-8 output."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_ocr.batch.progress import Progress
from bulletin_ocr.batch.report import Record
from bulletin_ocr.cli import cli
from bulletin_ocr.logs import LogSettings, configure_logging, configure_worker_logging

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "scans" / "yunxi-2022-15-p1-200dpi.png"
RAW = ROOT / "samples" / "raw" / "yunxi-2022-15.txt"
TIMESTAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ "

# What the libraries say on their own: a library's info and errors, pdfminer's warnings,
# Python warnings.
LIBRARIES_SPEAK = """
import logging, warnings
logging.getLogger("some.library").info("Creating model: ('det', '/models/det', 'onnxruntime')")
logging.getLogger("other.library").error("other.library complains")
logging.getLogger("pdfminer.pdfpage").warning("pdfminer complains")
logging.getLogger("pdfminer.psparser").debug("pdfminer mutters")
warnings.warn("a library's warning")
"""


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )


@pytest.fixture(autouse=True)
def default_logging() -> Iterator[None]:
    yield
    configure_logging(LogSettings())  # no test leaves a log file or a terminal handler behind


@pytest.mark.parametrize("imported_first", [True, False], ids=["libraries-first", "settings-first"])
def test_library_logging_stays_off_the_terminal(imported_first: bool) -> None:
    imports = "import pdfminer.pdfpage, PIL.Image\n"
    configure = "from bulletin_ocr.logs import *\nconfigure_logging(LogSettings())\n"
    code = (imports + configure if imported_first else configure + imports) + LIBRARIES_SPEAK
    result = run_python(code)
    assert result.stderr == "" and result.stdout == ""


def test_verbose_shows_library_messages_without_colour_codes() -> None:
    code = (
        "from bulletin_ocr.logs import *\n"
        "configure_logging(LogSettings(verbose=True))\n" + LIBRARIES_SPEAK
    )
    stderr = run_python(code).stderr
    assert "some.library: INFO: Creating model: ('det', '/models/det', 'onnxruntime')\n" in stderr
    assert "other.library: ERROR: other.library complains\n" in stderr
    assert "pdfminer.pdfpage: WARNING: pdfminer complains\n" in stderr
    assert "a library's warning" in stderr
    assert "mutters" not in stderr  # DEBUG belongs in the log file
    assert "\x1b[" not in stderr


# Ours speak at every level; distributed sets its own loggers' level to INFO, as it does on import.
OURS_SPEAK = """
import logging
logging.getLogger("distributed").setLevel(logging.INFO)
logging.getLogger("distributed.scheduler").info("distributed chats")
logging.getLogger("bulletin_ocr.ocr.paddle").debug("our own detail")
"""


def _log_file_after(tmp_path: Path, settings: str) -> str:
    log = tmp_path / "run.log"
    code = (
        "from bulletin_ocr.logs import *\n"
        f"configure_logging(LogSettings(log_file={str(log)!r}{settings}))\n"
        + LIBRARIES_SPEAK + OURS_SPEAK
    )
    result = run_python(code)
    assert settings or result.stderr == ""
    return log.read_text(encoding="utf-8")


def test_log_file_keeps_our_records_and_the_libraries_warnings_with_times(tmp_path: Path) -> None:
    text = _log_file_after(tmp_path, "")
    for line in (
        "other.library ERROR: other.library complains",
        "pdfminer.pdfpage WARNING: pdfminer complains",
        "py.warnings WARNING: .*a library's warning",
        "bulletin_ocr.ocr.paddle DEBUG: our own detail",
    ):
        assert re.search(f"^{TIMESTAMP}{line}", text, re.MULTILINE), line
    for chatter in ("Creating model", "pdfminer mutters", "distributed chats"):
        assert chatter not in text  # libraries below WARNING: 33 MB for 24 pages of pdfminer


def test_log_file_with_verbose_keeps_every_library_at_debug(tmp_path: Path) -> None:
    text = _log_file_after(tmp_path, ", verbose=True")
    for line in (
        r"some.library INFO: Creating model: \('det', '/models/det', 'onnxruntime'\)",
        "pdfminer.psparser DEBUG: pdfminer mutters",
        "distributed.scheduler INFO: distributed chats",
        "bulletin_ocr.ocr.paddle DEBUG: our own detail",
    ):
        assert re.search(f"^{TIMESTAMP}{line}", text, re.MULTILINE), line


def test_a_real_pdf_logs_no_pdfminer_chatter(tmp_path: Path, shared_dir: Path) -> None:
    """24 pages of a real disclosure: pdfminer's per-glyph DEBUG records made a 33 MB log."""
    log = tmp_path / "run.log"
    real = shared_dir / "real" / "gov-pdf" / "putuo_social_work_dept_2024_final_accounts.pdf"
    result = CliRunner().invoke(cli, ["convert", str(real), "-o", str(tmp_path / "out"), "-j", "1",
                                      "--to", "txt", "--log-file", str(log)])
    assert result.exit_code == 0, result.stderr
    assert "pdfminer" not in log.read_text(encoding="utf-8")
    assert log.stat().st_size < 10_000


def _log_in_a_worker(settings: LogSettings) -> None:
    configure_worker_logging(settings)
    import logging

    logging.getLogger("bulletin_ocr.ocr.paddle").info("Creating model in a worker")


def test_worker_logging_in_a_spawned_process(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "worker.log"
    worker = multiprocessing.get_context("spawn").Process(
        target=_log_in_a_worker, args=(LogSettings(log_file=log),)
    )
    worker.start()
    worker.join(timeout=120)
    assert worker.exitcode == 0
    assert re.search(f"^{TIMESTAMP}bulletin_ocr.ocr.paddle INFO: Creating model in a worker$",
                     log.read_text(encoding="utf-8"), re.MULTILINE)
    assert "Creating model" not in capfd.readouterr().err


@pytest.mark.slow
def test_real_ocr_prints_nothing_but_the_text(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bulletin_ocr"]
    quiet = subprocess.run([*command, "repair", str(SCAN)], capture_output=True, check=True)
    assert quiet.stderr == b""
    assert "云溪区" in quiet.stdout.decode("utf-8")
    log = tmp_path / "full.log"
    logged = subprocess.run(
        [*command, "convert", str(SCAN), "-o", str(tmp_path / "out"), "-j", "1", "-q",
         "--log-file", str(log)],
        capture_output=True, check=True,
    )
    assert logged.stderr == b""
    assert re.search(f"^{TIMESTAMP}bulletin_ocr.ocr.paddle INFO: Loaded models: PP-OCRv6_small_det",
                     log.read_text(encoding="utf-8"), re.MULTILINE)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_output_is_utf8_whatever_the_console_says(encoding: str) -> None:
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "repair", str(RAW)],
        capture_output=True, env=environment, check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = CliRunner().invoke(cli, ["repair", str(RAW)]).stdout
    assert result.stdout.decode("utf-8") == expected
    missing = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "repair", "缺失的文件.txt"],
        capture_output=True, env=environment, check=False,
    )
    assert missing.stderr.decode("utf-8") == "error: 缺失的文件.txt: no such file\n"


def test_repair_reads_standard_input() -> None:
    text = RAW.read_text(encoding="utf-8")
    from_file = CliRunner().invoke(cli, ["repair", str(RAW)])
    from_stdin = CliRunner().invoke(cli, ["repair", "-"], input=text.encode("gb18030"))
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout
    empty = CliRunner().invoke(cli, ["repair", "-"], input=b"")
    assert empty.exit_code == 1
    assert empty.stderr == "error: <stdin>: file is empty\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def record(pages: int) -> Record:
    return Record(path="a.pdf", sha256=None, status="ok", pages=pages)


def test_progress_bar_on_a_terminal_keeps_messages_whole() -> None:
    terminal = Terminal()
    progress = Progress(0, enabled=True, stream=terminal)
    progress.advance(record(3))
    progress.log("error: a.pdf: broken")
    progress.advance(record(2))
    progress.close()
    shown = terminal.getvalue()
    # The bar is cleared, the message printed on a line of its own, the bar drawn again.
    assert re.search(r"\r +\rerror: a\.pdf: broken\n\r1 files .*, 3 pages, [\d.]+ pages/s\]", shown)
    assert shown.endswith("\r")  # and cleared at the end
    assert (progress.files, progress.pages) == (2, 5)


def test_the_bar_shows_what_is_left_once_the_batch_knows_its_inputs() -> None:
    terminal = Terminal()
    progress = Progress(0, enabled=True, stream=terminal)
    progress.expect(4)
    progress.advance(record(3))
    progress.close()
    assert re.search(r"0/4 \[00:00<", terminal.getvalue())  # done/total, then the time left


@pytest.mark.parametrize("stream", [io.StringIO(), Terminal()], ids=["pipe", "terminal-quiet"])
def test_no_bar_off_a_terminal_or_when_quiet(stream: io.StringIO) -> None:
    progress = Progress(0, enabled=not isinstance(stream, Terminal), stream=stream)
    progress.advance(record(3))
    progress.log("warning: a.pdf: odd")
    progress.close()
    assert stream.getvalue() == "warning: a.pdf: odd\n"


def test_a_log_file_that_cannot_be_opened_is_a_usage_error(tmp_path: Path) -> None:
    log = tmp_path / "no-such-folder" / "run.log"
    result = CliRunner().invoke(cli, ["convert", str(RAW), "-o", str(tmp_path / "out"), "--log-file", str(log)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {log}: cannot open the log file (No such file or directory)\n"
    assert not (tmp_path / "out").exists()


def test_batch_workers_log_to_the_file_and_not_the_terminal(tmp_path: Path) -> None:
    """Two PDFs with two workers and --verbose: pdfminer's DEBUG records from the workers reach
    the log file only."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("lanshan-2024-03.pdf", "qingchuan-2023-07.pdf"):
        shutil.copy(ROOT / "samples" / "pdf" / name, folder / name)
    log = tmp_path / "run.log"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(folder), "-o", str(tmp_path / "out"),
         "-j", "2", "-v", "--log-file", str(log)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "pdfminer" not in result.stderr
    workers = {line.split()[2] for line in log.read_text(encoding="utf-8").splitlines() if " pdfminer." in line}
    assert len(workers) == 2  # one process id per worker
