"""Throughput of bulletin-ocr on real government PDFs with each character reader, against
pdfplumber's bare text loop and poppler's ``pdftotext``.

For each PDF in ``../shared/real/gov-pdf/`` (next to the repository) this measures, in the same
run and the same process:

* **bare** -- pdfplumber alone: ``pdfplumber.open(path)`` and ``page.extract_text()`` per page;
* **pdftotext** -- ``pdftotext -layout FILE -`` as a subprocess (when poppler is installed);
* **plumber** and **pdfium** -- the full conversion exactly as ``bulletin-ocr convert`` does it
  through the Python API, with ``pdf_reader="pdfplumber"`` (the reference reader, the only one
  before issue 24) and ``pdf_reader="pdfium"`` (the default): ``bulletin_ocr.api.convert`` then
  ``bulletin_ocr.export.write_outputs(document, tmpdir, stem, ["txt", "tei", "json"])``;
* **cli** (only with ``--cli``) -- the real command ``bulletin-ocr convert FILE -o TMP`` as a
  subprocess, interpreter start-up and imports included.

Each variant runs once per repetition (``--repeat``, default 3), back to back, in an order that
turns round by one each repetition so that none always runs first. One untimed warm-up of
each conversion comes first. The table gives pages per second from the MEDIAN time of each
variant on each file, the totals (pages / sum of medians), and ``pdfium/plumber``: how many
times faster the full conversion is with the pdfium reader.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_pdf.py [--repeat N] [--cli]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pdfplumber

import bulletin_ocr
from bulletin_ocr.api import convert
from bulletin_ocr.export import write_outputs

PDF_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "real" / "gov-pdf"
FORMATS = ["txt", "tei", "json"]


@dataclass
class Timings:
    """Wall-clock seconds of each repetition of one variant on one file."""

    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def minimum(self) -> float:
        return min(self.seconds)


VARIANTS = ("bare", "pdftotext", "plumber", "pdfium")
"""bare: pdfplumber's extract_text; pdftotext: poppler's; plumber and pdfium: the full
conversion with each character reader."""


@dataclass
class FileResult:
    name: str
    pages: int
    timings: dict[str, Timings] = field(default_factory=dict)

    def median(self, variant: str) -> float:
        return self.timings[variant].median


def count_pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def run_bare(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def run_pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)


def run_ours(path: Path, outdir: Path, reader: str = "pdfium") -> None:
    document = convert(path, pdf_reader=reader)
    written = write_outputs(document, outdir, path.stem, FORMATS)
    if len(written) != len(FORMATS):
        raise RuntimeError(f"{path.name}: expected {len(FORMATS)} outputs, got {written}")


def cli_command() -> tuple[list[str], dict[str, str]]:
    """The command line for ``bulletin-ocr convert`` and the environment to run it in."""
    script = Path(sys.executable).with_name("bulletin-ocr")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bulletin_ocr"]
    env = dict(os.environ)
    # Let the subprocess import the same bulletin_ocr as this process (e.g. an uninstalled src/).
    package_root = str(Path(bulletin_ocr.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return command, env


def run_cli(path: Path, outdir: Path, command: Sequence[str], env: dict[str, str]) -> None:
    completed = subprocess.run(
        [*command, "convert", str(path), "-o", str(outdir), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{path.name}: bulletin-ocr exited {completed.returncode}: {completed.stderr.strip()}"
        )


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def variants_of(
    path: Path, tmp: Path, names: Sequence[str], cli: tuple[list[str], dict[str, str]] | None
) -> list[tuple[str, Callable[[], None]]]:
    actions: dict[str, Callable[[], None]] = {
        "bare": partial(run_bare, path),
        "pdftotext": partial(run_pdftotext, path),
        "plumber": partial(run_ours, path, tmp / "plumber", "pdfplumber"),
        "pdfium": partial(run_ours, path, tmp / "pdfium", "pdfium"),
    }
    if cli is not None:
        actions["cli"] = partial(run_cli, path, tmp / "cli", *cli)
    return [(name, actions[name]) for name in names]


def measure(
    path: Path, repeat: int, names: Sequence[str], cli: tuple[list[str], dict[str, str]] | None
) -> FileResult:
    """Each variant once per repetition, back to back, in an order that turns round each time
    (so that no variant always runs first on a cold cache)."""
    result = FileResult(path.name, count_pages(path), {name: Timings() for name in names})
    for rep in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench_pdf_") as tmp:
            variants = variants_of(path, Path(tmp), names, cli)
            shift = rep % len(variants)
            for name, action in variants[shift:] + variants[:shift]:
                result.timings[name].seconds.append(timed(action))
    return result


def rate(pages: int, seconds: float) -> str:
    return f"{pages / seconds:.1f}"


def render_table(results: Sequence[FileResult], names: Sequence[str]) -> list[str]:
    header = ["file", "pages"] + [f"{name} p/s" for name in names]
    header.append("pdfium/plumber")
    rows: list[list[str]] = []
    for r in results:
        row = [r.name, str(r.pages)] + [rate(r.pages, r.median(name)) for name in names]
        row.append(f"{r.median('plumber') / r.median('pdfium'):.2f}")
        rows.append(row)
    pages = sum(r.pages for r in results)
    sums = {name: sum(r.median(name) for r in results) for name in names}
    total = ["TOTAL (pages / sum of medians)", str(pages)]
    total += [rate(pages, sums[name]) for name in names]
    total.append(f"{sums['plumber'] / sums['pdfium']:.2f}")
    widths = [max(len(line[i]) for line in [header, *rows, total]) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(fmt(["-" * w for w in widths]))
    return [fmt(header), rule, *(fmt(row) for row in rows), rule, fmt(total)]


def header_lines(
    repeat: int, with_cli: bool, cli: tuple[list[str], dict[str, str]] | None
) -> list[str]:
    processor = platform.processor() or platform.machine() or "unknown processor"
    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = [
        f"bench_pdf  {now}",
        f"machine: {processor}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"pdfplumber {pdfplumber.__version__}, bulletin_ocr {bulletin_ocr.__version__}",
        f"pdfs: {PDF_DIR}",
        f"repeat {repeat}: p/s = pages / MEDIAN wall-clock seconds over the repetitions",
        "bare = pdfplumber open + extract_text() per page; pdftotext = poppler's "
        "`pdftotext -layout FILE -` (a subprocess); plumber / pdfium = "
        "bulletin_ocr.api.convert(pdf_reader=...) + write_outputs(txt, tei, json)",
        "pdfium/plumber = how many times faster the full conversion is with the pdfium reader",
    ]
    if with_cli and cli is not None:
        lines.append(
            f"cli = subprocess `{' '.join(cli[0])} convert FILE -o TMP --quiet`; "
            "INCLUDES interpreter start-up and imports"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions per file and variant (default 3)"
    )
    parser.add_argument(
        "--cli",
        action="store_true",
        help="also time `bulletin-ocr convert FILE -o TMP` as a subprocess (includes start-up)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if not PDF_DIR.is_dir():
        sys.exit(
            f"bench_pdf: PDF directory not found: {PDF_DIR}\n(expected ../shared/real/gov-pdf/ "
            "next to the repository root)"
        )
    pdfs = sorted(p for p in PDF_DIR.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
    if not pdfs:
        sys.exit(f"bench_pdf: no PDF files in {PDF_DIR}")

    cli = cli_command() if args.cli else None
    for line in header_lines(args.repeat, args.cli, cli):
        print(line)
    print(flush=True)

    # Untimed warm-up: lazy imports and one-off initialisation are not charged to the first file.
    with tempfile.TemporaryDirectory(prefix="bench_pdf_warmup_") as tmp:
        run_bare(pdfs[0])
        run_ours(pdfs[0], Path(tmp) / "a", "pdfium")
        run_ours(pdfs[0], Path(tmp) / "b", "pdfplumber")

    names = [n for n in VARIANTS if n != "pdftotext" or shutil.which("pdftotext")]
    if args.cli:
        names.append("cli")
    results = []
    for path in pdfs:
        results.append(measure(path, args.repeat, names, cli))
        print(f"  measured {path.name}", file=sys.stderr, flush=True)
    for line in render_table(results, names):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
