"""Progress per page: a long scan's pages are counted as they are done, on a terminal that
reports no size at all (a pseudo-terminal nobody sized)."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_ocr.batch.progress import Progress
from bulletin_ocr.batch.report import Record
from hostile_fixtures import pdf_bytes

PAGES = 50


def tiny_scan(pages: int) -> bytes:
    """A PDF of ``pages`` pages of 10 x 10 pt, each only a 2 x 2 pixel image: pages that need
    OCR and are too small to hold text, so each is done without loading a model."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for _ in range(pages):
        content = b"q 10 0 0 10 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        page = len(objects) + 1
        kids.append(b"%d 0 R" % page)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents %d 0 R >>"
            % (page - 1)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return pdf_bytes(dict(enumerate(objects, start=1)))


def run_on_a_terminal(command: list[str], env: dict[str, str], timeout: float) -> str:
    """``command``'s terminal output, its stdout and stderr a fresh pseudo-terminal of 0 x 0."""
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                               env=env, close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        process.kill() if process.poll() is None else None
        process.wait()
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_pages_are_counted_off_a_terminal_too() -> None:
    """No bar (a pipe, or --quiet), but the count the summary prints still adds up."""
    stream = io.StringIO()
    progress = Progress(1, enabled=True, stream=stream)
    progress.page("a.pdf")
    progress.page("a.pdf")
    progress.advance(Record(path="a.pdf", sha256=None, status="ok", pages=3))
    progress.close()
    assert (progress.files, progress.pages, stream.getvalue()) == (1, 3, "")


@pytest.mark.slow
def test_the_pages_of_one_scan_are_counted_as_they_are_done(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(tiny_scan(PAGES))
    env = {**os.environ, "TQDM_MININTERVAL": "0", "COLUMNS": "0", "LINES": "0"}
    root = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "bulletin_ocr", "convert", str(scan),
               "-o", str(tmp_path / "out"), "--jobs", "1"]
    shown = run_on_a_terminal(command, env, timeout=120)
    assert (tmp_path / "out" / "scan.txt").exists(), shown
    # The bar of the one file, not done yet: `` 0/1 [00:01<?, ? files/s, 13 pages, 12.96 pages/s]``
    counts = {int(n) for n in re.findall(r" 0/1 \[[^\]\r]*? (\d+) pages, [\d.]+ pages/s", shown)}
    # Pages counted while the one file was still being converted.
    assert any(0 < n < PAGES for n in counts), shown
