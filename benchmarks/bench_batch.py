"""Batch throughput and memory: ``bulletin-ocr convert --jobs 1`` against ``--jobs 2``.

Builds a synthetic archive from the samples (text-layer PDFs, scanned PDFs, scans as images,
raw extractions), converts it with one and with two worker processes, and prints pages per
second and peak resident memory (the sum over the command's whole process tree, sampled from
/proc every 0.1 s) for each. ``--memory-pages N`` also converts one scanned PDF of N pages
and reports its peak memory (the design target: 300 pages under 1.5 GB).

    PYTHONPATH=src python benchmarks/bench_batch.py                 # ~230 pages, a few minutes
    PYTHONPATH=src python benchmarks/bench_batch.py --scale 0.5 --memory-pages 300

Read the speed-up as pages/s with --jobs 2 over pages/s with --jobs 1 in the same run; the
target on a 2-core machine is at least 1.7.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# (source file, copies at scale 1): ~120 text-layer PDF pages, ~60 scanned PDF pages,
# ~35 image pages and a few raw extractions.
ARCHIVE = [
    (SAMPLES / "pdf" / "qingchuan-2023-07.pdf", 14),
    (SAMPLES / "pdf" / "yunxi-2022-15.pdf", 13),
    (SAMPLES / "pdf" / "lanshan-2024-03.pdf", 13),
    (SAMPLES / "scans" / "lanshan-2024-03-scan.pdf", 20),
    (SAMPLES / "scans" / "qingchuan-2023-07-p1-300dpi.jpg", 8),
    (SAMPLES / "scans" / "yunxi-2022-15-p1-300dpi.jpg", 8),
    (SAMPLES / "scans" / "lanshan-2024-03-p1-300dpi.jpg", 8),
    (SAMPLES / "scans" / "qingchuan-2023-07-2p.tif", 4),
    (SAMPLES / "raw" / "yunxi-2022-15.txt", 10),
]


def build_archive(folder: Path, scale: float) -> int:
    files = 0
    for source, copies in ARCHIVE:
        target = folder / source.parent.name
        target.mkdir(parents=True, exist_ok=True)
        for index in range(max(1, round(copies * scale))):
            shutil.copy(source, target / f"{source.stem}-{index:03d}{source.suffix}")
            files += 1
    return files


def scanned_pdf(path: Path, pages: int) -> None:
    """A scanned PDF of ``pages`` pages, repeating the sample scan's pages."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(SAMPLES / "scans" / "lanshan-2024-03-scan.pdf"))
    document = pdfium.PdfDocument.new()
    count = len(source)
    for start in range(0, pages, count):
        document.import_pages(source, list(range(min(count, pages - start))))
    document.save(str(path))


def _tree_rss(root: int) -> int:
    """Resident memory in bytes of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in family)


def measure(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit status and peak tree RSS of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        print(stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    return seconds, process.returncode, peak


def pages_in(report: Path) -> tuple[int, int]:
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return sum(r["pages"] for r in records), sum(r["status"] == "error" for r in records)


def convert_command(inputs: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "bulletin_ocr", "convert", str(inputs), "-o", str(out),
            "--jobs", str(jobs), "--quiet"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="archive size factor")
    parser.add_argument("--memory-pages", type=int, default=0,
                        help="also convert one scanned PDF of this many pages")
    args = parser.parse_args()
    print(f"bench_batch  {datetime.now(timezone.utc).isoformat(timespec='seconds')}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        files = build_archive(work / "archive", args.scale)
        # One untimed run warms the file cache and assembles the model directories.
        warm = SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png"
        measure(convert_command(warm, work / "warm", 1))
        rows = []
        for jobs in (1, 2):
            out = work / f"out-{jobs}"
            seconds, status, peak = measure(convert_command(work / "archive", out, jobs))
            pages, errors = pages_in(out / "report.jsonl")
            rows.append((jobs, files, pages, errors, seconds, pages / seconds, peak))
        base = rows[0][5]
        print(f"archive: {files} files (text-layer PDFs, scanned PDFs, images, raw text)")
        print(f"{'jobs':>4} {'files':>6} {'pages':>6} {'errors':>6} {'seconds':>8} "
              f"{'pages/s':>8} {'speed-up':>8} {'peak MB':>8}")
        for jobs, count, pages, errors, seconds, rate, peak in rows:
            print(f"{jobs:>4} {count:>6} {pages:>6} {errors:>6} {seconds:>8.1f} {rate:>8.2f} "
                  f"{rate / base:>8.2f} {peak / 2**20:>8.0f}")
        if args.memory_pages:
            big = work / "big" / f"scanned-{args.memory_pages}p.pdf"
            big.parent.mkdir()
            scanned_pdf(big, args.memory_pages)
            seconds, status, peak = measure(convert_command(big, work / "out-big", 1))
            pages, errors = pages_in(work / "out-big" / "report.jsonl")
            print(f"scanned PDF of {pages} pages, --jobs 1: {seconds:.0f} s, "
                  f"{pages / seconds:.2f} pages/s, peak {peak / 2**20:.0f} MB, exit {status}")


if __name__ == "__main__":
    main()
