"""Batch throughput and memory: ``bulletin-ocr convert --jobs 1`` against ``--jobs 2``.

Every measurement runs the CLI as a subprocess and reports its wall time, the CPU seconds of
its whole process tree (from ``getrusage`` of waited-for children), CPU utilisation (CPU s /
wall s: 2.0 is both cores busy), the peak resident memory summed over the process tree
(sampled from /proc every 0.1 s), and the share of the machine other processes took meanwhile
(from /proc/stat). ``--jobs 1`` and ``--jobs 2`` alternate, ``--repeat N`` times; medians.

    PYTHONPATH=src python benchmarks/bench_batch.py --dense-dir 12 --dense-pdf 50 --repeat 2
    PYTHONPATH=src python benchmarks/bench_batch.py --memory-pages 300
    PYTHONPATH=src python benchmarks/bench_batch.py --read-ahead 6 --repeat 3
    PYTHONPATH=src python benchmarks/bench_batch.py --archive          # the samples, ~240 pages

* ``--dense-dir N``: a folder of N dense single-page scans (``benchmarks/dense_pages.py``: A4,
  300 dpi, 20-28 lines of 16-pt text, degraded JPEGs).
* ``--dense-pdf N``: one scanned PDF of N dense pages (those JPEGs embedded as they are, at
  300 dpi): with ``--jobs 2`` its pages are spread over both workers (issue 12).
* ``--memory-pages N``: one scanned PDF of N pages repeating the sample scan
  (``samples/scans/lanshan-2024-03-scan.pdf``, light pages, so that 300 pages take minutes,
  not half an hour), ``--jobs 1`` and ``--jobs 2``, once each: the design target is a peak
  under 1.5 GB.
* ``--read-ahead N``: in this process (engine created and warmed up first, untimed), the pages
  of a dense N-page PDF and of a dense N-frame TIFF read with and without reading the next page
  ahead (``ConvertOptions.read_ahead``), alternating: wall and CPU seconds per page.
* ``--archive``: the synthetic archive of the samples (text-layer PDFs, scanned PDFs, scans as
  images, raw extractions).

The machine is shared: read ratios from the same run, and the "others" column.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def build_archive(folder: Path, scale: float) -> None:
    for source, copies in ARCHIVE:
        target = folder / source.parent.name
        target.mkdir(parents=True, exist_ok=True)
        for index in range(max(1, round(copies * scale))):
            shutil.copy(source, target / f"{source.stem}-{index:03d}{source.suffix}")


def scanned_pdf(path: Path, pages: int) -> Path:
    """A scanned PDF of ``pages`` pages, repeating the sample scan's (light) pages."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(SAMPLES / "scans" / "lanshan-2024-03-scan.pdf"))
    document = pdfium.PdfDocument.new()
    count = len(source)
    for start in range(0, pages, count):
        document.import_pages(source, list(range(min(count, pages - start))))
    document.save(str(path))
    return path


def dense_files(count: int) -> list[Path]:
    """``count`` dense page JPEGs (the cached set holds 50; more repeat them)."""
    from dense_pages import dense_pages

    made = dense_pages(min(count, 50))
    return [made[index % len(made)].image for index in range(count)]


def dense_dir(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for index, image in enumerate(dense_files(count)):
        shutil.copy(image, folder / f"page-{index:03d}.jpg")
    return folder


def dense_pdf(path: Path, count: int) -> Path:
    """A scanned PDF of ``count`` dense pages: each JPEG embedded unchanged, A4 at 300 dpi."""
    import pypdfium2 as pdfium
    from dense_pages import A4_PX, DPI

    document = pdfium.PdfDocument.new()
    width, height = A4_PX[0] * 72 / DPI, A4_PX[1] * 72 / DPI
    for image_path in dense_files(count):
        image = pdfium.PdfImage.new(document)
        image.load_jpeg(str(image_path))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page = document.new_page(width, height)
        page.insert_obj(image)
        page.gen_content()
    document.save(str(path))
    return path


def dense_tiff(path: Path, count: int) -> Path:
    """A multi-frame TIFF of ``count`` dense pages (8-bit grey, LZW, 300 dpi)."""
    from PIL import Image

    frames = [Image.open(image).convert("L") for image in dense_files(count)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300),
                   compression="tiff_lzw")
    return path


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


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    seconds: float
    cpu: float
    peak: int
    others: float
    """Share of the machine's CPU time taken by other processes during the run (0-1)."""
    load: float
    status: int
    pages: int = 0
    errors: int = 0

    @property
    def utilisation(self) -> float:
        return self.cpu / self.seconds


def measure(command: list[str]) -> Run:
    """Wall seconds, CPU seconds and peak tree RSS of ``command``, and the others' share."""
    cpu_before, (busy_before, total_before) = _children_cpu(), _machine_busy()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()
    loads: list[float] = []

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            loads.append(os.getloadavg()[0])
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    busy_after, total_after = _machine_busy()
    others = max(0.0, (busy_after - busy_before) - cpu) / max(1e-9, total_after - total_before)
    if process.returncode not in (0, 1):
        print(stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    load = statistics.mean(loads) if loads else os.getloadavg()[0]
    return Run(seconds, cpu, peak, others, load, process.returncode)


def convert(inputs: Path, out: Path, jobs: int) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    run = measure([sys.executable, "-m", "bulletin_ocr", "convert", str(inputs), "-o", str(out),
                   "--jobs", str(jobs), "--quiet"])
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    run.pages = sum(r["pages"] for r in records)
    run.errors = sum(r["status"] == "error" for r in records)
    return run


def compare_jobs(label: str, inputs: Path, work: Path, repeat: int) -> None:
    """``--jobs 1`` and ``--jobs 2`` on ``inputs``, alternating, ``repeat`` times each."""
    runs: dict[int, list[Run]] = {1: [], 2: []}
    for turn in range(repeat):
        for jobs in (1, 2) if turn % 2 == 0 else (2, 1):
            run = convert(inputs, work / f"out-{jobs}", jobs)
            runs[jobs].append(run)
            print(f"  {label} --jobs {jobs}: {run.seconds:.1f} s, {run.pages} pages, "
                  f"{run.errors} errors, CPU {run.cpu:.1f} s ({run.utilisation:.2f} cores), "
                  f"peak {run.peak / 2**20:.0f} MB, load {run.load:.2f}, "
                  f"others {run.others:.0%}", flush=True)
    print(f"== {label}: medians of {repeat}")
    print(f"{'jobs':>4} {'pages':>6} {'wall s':>8} {'s/page':>7} {'CPU s':>7} {'cores':>6} "
          f"{'peak MB':>8} {'load':>5} {'others':>6} {'speed-up':>8}")
    base = statistics.median(r.seconds for r in runs[1])
    for jobs, done in runs.items():
        wall = statistics.median(r.seconds for r in done)
        pages = done[0].pages
        print(f"{jobs:>4} {pages:>6} {wall:>8.1f} {wall / pages:>7.2f} "
              f"{statistics.median(r.cpu for r in done):>7.1f} "
              f"{statistics.median(r.utilisation for r in done):>6.2f} "
              f"{max(r.peak for r in done) / 2**20:>8.0f} "
              f"{statistics.median(r.load for r in done):>5.2f} "
              f"{statistics.median(r.others for r in done):>6.0%} {base / wall:>8.2f}")


def memory(pages: int, work: Path) -> None:
    big = scanned_pdf(work / f"scanned-{pages}p.pdf", pages)
    print(f"== one scanned PDF of {pages} (light) pages: peak resident memory of the tree")
    for jobs in (1, 2):
        run = convert(big, work / f"out-big-{jobs}", jobs)
        print(f"--jobs {jobs}: {run.seconds:.0f} s, {run.pages} pages, {run.errors} errors, "
              f"CPU {run.cpu:.0f} s ({run.utilisation:.2f} cores), peak "
              f"{run.peak / 2**20:.0f} MB, load {run.load:.2f}, others {run.others:.0%}",
              flush=True)


def read_ahead(pages: int, work: Path, repeat: int) -> None:
    """Per page, wall and CPU seconds of reading an input with and without read-ahead."""
    from bulletin_ocr.ocr.registry import get_engine
    from bulletin_ocr.pipeline import ConvertOptions, image_pages, pdf_pages

    options = ConvertOptions()
    get_engine(options.ocr)
    inputs: list[tuple[Path, Callable[..., Any]]] = [
        (dense_pdf(work / "ahead.pdf", pages), pdf_pages),
        (dense_tiff(work / "ahead.tif", pages), image_pages),
    ]
    pdf_pages(inputs[0][0], options, range(1, 2))  # warm-up, untimed
    print(f"== read-ahead: {pages} dense pages per input, {repeat} runs per variant, "
          "alternating; medians per page")
    print(f"{'input':>6} {'read_ahead':>10} {'wall s':>7} {'CPU s':>6} {'cores':>6} {'load':>5}")
    for path, read in inputs:
        timings: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
        for turn in range(repeat):
            for ahead in (True, False) if turn % 2 == 0 else (False, True):
                wall, cpu = time.perf_counter(), time.process_time()
                run = read(path, replace(options, read_ahead=ahead))
                assert len(run.pages) == pages
                timings[ahead].append(((time.perf_counter() - wall) / pages,
                                       (time.process_time() - cpu) / pages,
                                       os.getloadavg()[0]))
        for ahead in (False, True):
            wall = statistics.median(t[0] for t in timings[ahead])
            cpu = statistics.median(t[1] for t in timings[ahead])
            load = statistics.median(t[2] for t in timings[ahead])
            print(f"{path.suffix:>6} {ahead!s:>10} {wall:>7.2f} {cpu:>6.2f} "
                  f"{cpu / wall:>6.2f} {load:>5.2f}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense-dir", type=int, default=0, metavar="N")
    parser.add_argument("--dense-pdf", type=int, default=0, metavar="N")
    parser.add_argument("--memory-pages", type=int, default=0, metavar="N")
    parser.add_argument("--read-ahead", type=int, default=0, metavar="N")
    parser.add_argument("--archive", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0, help="archive size factor")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"bench_batch  {datetime.now(timezone.utc).isoformat(timespec='seconds')}  "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as temporary:
        work = Path(temporary)
        # One untimed run assembles the model directories and warms the file cache.
        convert(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", work / "warm", 1)
        if args.read_ahead:
            read_ahead(args.read_ahead, work, args.repeat)
        if args.dense_dir:
            folder = dense_dir(work / "dense-dir", args.dense_dir)
            compare_jobs(f"folder of {args.dense_dir} dense scans", folder, work, args.repeat)
        if args.dense_pdf:
            pdf = dense_pdf(work / f"dense-{args.dense_pdf}p.pdf", args.dense_pdf)
            compare_jobs(f"one PDF of {args.dense_pdf} dense pages", pdf, work, args.repeat)
        if args.memory_pages:
            memory(args.memory_pages, work)
        if args.archive:
            build_archive(work / "archive", args.scale)
            compare_jobs("archive of the samples", work / "archive", work, args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
