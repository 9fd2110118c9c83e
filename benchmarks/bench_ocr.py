"""Speed and accuracy of bulletin-ocr's OCR on scanned pages, against Tesseract 5 (chi_sim).

Every page is decoded once, before any timing, into the grayscale array bulletin-ocr itself
reads (``bulletin_ocr.inputs.image.read_image_pages`` for image files,
``bulletin_ocr.inputs.pdf_raster.render_page`` for PDF pages); both engines then get that same
page image. Per page, in the same run and the same process, this measures the wall clock of:

* **ours** -- bulletin-ocr's per-page work as ``bulletin_ocr.api.convert`` does it for an image,
  without decoding the file: ``ocr_page(pixels, dpi, number, options)`` (preprocessing,
  detection, recognition, line layout), ``set_aside_furniture`` and ``build_document([page])``
  (layout and structure), then ``render_text`` (the clean text). The OCR engine is created
  (``bulletin_ocr.ocr.paddle.get_engine``, model loading) BEFORE any timing, and one untimed
  warm-up page is run, so neither is charged to the first page.

* **tesseract** -- ``tesseract in.png stdout -l chi_sim --psm 3`` as a subprocess on the same page
  image written as an 8-bit grayscale PNG (with its dpi, when known) into a temporary directory
  outside the timed region. The time includes process start-up, PNG decoding and loading the
  chi_sim model, since that is what one call costs. ``OMP_THREAD_LIMIT`` is removed from its
  environment, so Tesseract uses its default (all cores), as onnxruntime does for ours. If
  ``tesseract`` or its ``chi_sim`` data is missing, only our columns are shown.

The two engines alternate which runs first from page to page, so neither always gets the warmer
cache. With ``--repeat N`` (default 1) each page is timed N times and its median kept.

Sets of pages:

* ``samples`` -- the degraded sample scans in ``samples/scans/`` (see ``manifest.json``): the three
  300-dpi JPEGs, the 200-dpi black-and-white PNG, both pages of the two-page TIFF and the three
  pages of the image-only PDF. (The page turned 90 degrees is left out: Tesseract's ``--psm 3``
  does not turn pages.) ``samples-300dpi`` is the subset of 300-dpi pages, the design target.
  Truth: the text layer of the same page of ``samples/pdf/<sample>.pdf`` (typeset from the same
  source), read with pdfplumber's ``page.extract_text()``.

* ``scanned-book`` -- the 8 pages of ``../shared/real/scanned/scanned-book-8p.pdf`` (next to the
  repository; skipped with a message if absent). It has NO truth, so instead of CER the table
  shows how far the engines DISAGREE: the CER of Tesseract's text measured against ours. That is
  a disagreement, not an accuracy: it is high if either engine is wrong.

CER = Levenshtein distance / reference length, after normalising both texts the same way: all
whitespace removed (Tesseract spaces out CJK text; our text has no line breaks inside a
paragraph), the half-width , : ; ( ) ! ? mapped to full-width (``bulletin_ocr.repair.fixes.
FULL_WIDTH``, everywhere, so 8:30 becomes 8：30 on both sides), and page-number lines (``— 3 —``,
or an OCR reading of one such as ``-3-``) dropped.

Verdicts printed at the end: ours median <= 1.5 s per 300-dpi page; ours >= 3x faster than
Tesseract (median s/page) on every set; ours lower mean CER than Tesseract on every set with
truth.

``--sweep`` instead times our pipeline alone on ``samples-300dpi`` for several ``OcrOptions``
(det_limit_side_len, rec_batch_size, threads), varying one setting at a time around the
defaults and then trying the best value of each together (``--grid`` tries every combination,
which takes much longer). Each setting gets its own engine, created and warmed up untimed, and
each page is timed 3 times by default (the differences are small).

``--dense`` instead measures the dense set (issue 12): full A4 pages of 16-pt body text at 300
dpi in five faces, degraded, made by ``benchmarks/dense_pages.py`` into a cache directory. Per
page, alternating with Tesseract (``--repeat N`` times, default 3, medians), it times the whole
conversion of the JPEG file as ``convert`` does it -- decoding, preprocessing, OCR, layout,
structure and the three exports written to disk -- and splits it into stages by wrapping the
functions the pipeline calls; Tesseract runs on the same file. ``--cli 6 --cli 50`` adds the
CLI's wall time (``bulletin-ocr convert DIR --jobs 1``, start-up included) on folders of 6 and 50
of those pages, the 6-page job against Tesseract run six times; jobs over 10 pages run once.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_ocr.py --dense [--pages 8] [--cli 6 --cli 50]
    PYTHONPATH=src python benchmarks/bench_ocr.py [--repeat N]
    PYTHONPATH=src python benchmarks/bench_ocr.py --sweep [--grid] [--repeat N]
    .venv-paddleocr/bin/python benchmarks/bench_ocr.py --engines [--pages N] [--device cuda]

``--engines`` compares the OCR engines (onnx, paddleocr, Tesseract) in one run: see
``bench_engines.py``.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pdfplumber

import bulletin_ocr
from bulletin_ocr.export.text import render_text
from bulletin_ocr.inputs.image import read_image_pages
from bulletin_ocr.inputs.pdf_raster import render_page
from bulletin_ocr.layout.furniture import set_aside_furniture
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.ocr.models import package_version
from bulletin_ocr.ocr.registry import get_engine
from bulletin_ocr.pipeline import ConvertOptions, build_document, ocr_page
from bulletin_ocr.repair.fixes import FULL_WIDTH

REPO = Path(__file__).resolve().parents[1]
SCAN_DIR = REPO / "samples" / "scans"
SAMPLE_PDF_DIR = REPO / "samples" / "pdf"
BOOK_PDF = REPO.parent / "shared" / "real" / "scanned" / "scanned-book-8p.pdf"
# The scans measured, in this order; yunxi-2022-15-p1-rot90.png is left out (see the docstring).
SAMPLE_SCANS = (
    "qingchuan-2023-07-p1-300dpi.jpg",
    "yunxi-2022-15-p1-300dpi.jpg",
    "lanshan-2024-03-p1-300dpi.jpg",
    "yunxi-2022-15-p1-200dpi.png",
    "qingchuan-2023-07-2p.tif",
    "lanshan-2024-03-scan.pdf",
)
TARGET_DPI = 300
TARGET_SECONDS = 1.5
TARGET_SPEEDUP = 3.0
TESSERACT_ARGS = ("-l", "chi_sim", "--psm", "3")
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
# A line holding only a page number between dashes: — 3 —, -3-, 一 3 一 (Tesseract), 3.
PAGE_NUMBER_LINE = re.compile(r"^[\s—–―‒\-一_~·.]*\d{1,4}[\s—–―‒\-一_~·.]*$")
WHITESPACE = re.compile(r"\s+")
HALF_TO_FULL = str.maketrans(FULL_WIDTH)
# Sweep values; 0 threads = onnxruntime's default (every core).
SWEEP_DET = (960, 1280, 1600)
SWEEP_BATCH = (6, 8, 16, 32)
# Tolerance for "best" in the sweep: the fastest setting within this much of the lowest mean CER.
SWEEP_CER_TOLERANCE = 0.005


@dataclass
class PageCase:
    """One page image, decoded once, with its truth (None when there is none)."""

    name: str
    pixels: Any
    dpi: float | None
    reference: str | None
    png: Path | None = None


@dataclass
class PageResult:
    case: PageCase
    ours_seconds: list[float] = field(default_factory=list)
    tess_seconds: list[float] = field(default_factory=list)
    ours_text: str = ""
    tess_text: str | None = None

    @property
    def ours_s(self) -> float:
        return statistics.median(self.ours_seconds)

    @property
    def tess_s(self) -> float | None:
        return statistics.median(self.tess_seconds) if self.tess_seconds else None

    @property
    def ours_cer(self) -> float | None:
        return None if self.case.reference is None else cer(self.case.reference, self.ours_text)

    @property
    def tess_cer(self) -> float | None:
        if self.case.reference is None or self.tess_text is None:
            return None
        return cer(self.case.reference, self.tess_text)

    @property
    def disagreement(self) -> float | None:
        """CER of Tesseract's text against ours: how much the engines disagree."""
        return None if self.tess_text is None else cer(self.ours_text, self.tess_text)


def alternate(ours: Callable[[], None], tess: Callable[[], None], index: int, repeat: int) -> None:
    """Run both engines ``repeat`` times, taking turns at going first (page by page, too)."""
    for rep in range(repeat):
        variants = [ours, tess]
        if (index + rep) % 2:
            variants.reverse()
        for variant in variants:
            variant()


# --- text comparison -------------------------------------------------------------------------


def normalise(text: str) -> str:
    """The text as CER compares it: no page-number lines, no whitespace, full-width , : ; ( ) ! ?.

    >>> normalise("— 2 —\\n区委 (办公室) 8:30\\n-2-")
    '区委（办公室）8：30'
    """
    lines = [line for line in text.splitlines() if not PAGE_NUMBER_LINE.match(line)]
    return WHITESPACE.sub("", "".join(lines)).translate(HALF_TO_FULL)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute, each 1), bit-parallel (Myers/Hyyrö).

    One pass over ``b`` with ``len(a)``-bit integers: about a millisecond for two pages.

    >>> levenshtein("kitten", "sitting"), levenshtein("", "abc"), levenshtein("工作动态", "工作动")
    (3, 3, 1)
    """
    if not a:
        return len(b)
    if not b:
        return len(a)
    peq: dict[str, int] = {}
    for index, char in enumerate(a):
        peq[char] = peq.get(char, 0) | (1 << index)
    mask = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    pv, mv, score = mask, 0, len(a)
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference``, both normalised."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)


# --- the pages -------------------------------------------------------------------------------


def pdf_page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def sample_pages() -> Iterator[PageCase]:
    """Every page of the sample scans, with the text of the same page of the sample PDF."""
    manifest = json.loads((SCAN_DIR / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in manifest["files"]}
    truths: dict[str, list[str]] = {}
    for file in SAMPLE_SCANS:
        entry = entries[file]
        sample = entry["sample"]
        if sample not in truths:
            truths[sample] = pdf_page_texts(SAMPLE_PDF_DIR / f"{sample}.pdf")
        path = SCAN_DIR / file
        images: list[tuple[Any, float | None]]
        if path.suffix.lower() == ".pdf":
            rendered = [render_page(path, n) for n in range(1, len(entry["pages"]) + 1)]
            images = [(page.pixels, page.dpi) for page in rendered]
        else:
            images = [(image.pixels, image.dpi) for image in read_image_pages(path)]
        if len(images) != len(entry["pages"]):
            raise RuntimeError(f"{file}: {len(images)} pages, manifest says {entry['pages']}")
        for number, ((pixels, dpi), pdf_page) in enumerate(
            zip(images, entry["pages"], strict=True), start=1
        ):
            name = file if len(images) == 1 else f"{file} p{number}"
            yield PageCase(name, pixels, dpi, truths[sample][pdf_page - 1])


def book_pages() -> Iterator[PageCase]:
    with pdfplumber.open(BOOK_PDF) as pdf:
        count = len(pdf.pages)
    for number in range(1, count + 1):
        page = render_page(BOOK_PDF, number)
        yield PageCase(f"{BOOK_PDF.name} p{number}", page.pixels, page.dpi, None)


def is_target(case: PageCase) -> bool:
    return case.dpi is not None and round(case.dpi) == TARGET_DPI


def write_pngs(cases: Sequence[PageCase], directory: Path) -> None:
    from PIL import Image

    for index, case in enumerate(cases):
        case.png = directory / f"page-{index:03d}.png"
        image = Image.fromarray(case.pixels)
        if case.dpi is not None:
            image.save(case.png, dpi=(round(case.dpi), round(case.dpi)))
        else:
            image.save(case.png)


# --- the engines -----------------------------------------------------------------------------


def run_ours(case: PageCase, options: ConvertOptions) -> tuple[float, str]:
    start = time.perf_counter()
    page = ocr_page(case.pixels, case.dpi, 1, options)
    set_aside_furniture([page])
    document = build_document([page], case.name, "0" * 64)
    text = render_text(document)
    return time.perf_counter() - start, text


def tesseract_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OMP_THREAD_LIMIT", None)
    return env


def tesseract_problem() -> str | None:
    """Why Tesseract cannot run here, or None when it can."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed"
    listed = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    )
    if "chi_sim" not in (listed.stdout + listed.stderr).split():
        return "tesseract has no chi_sim language data"
    return None


def run_tesseract(case: PageCase, env: dict[str, str]) -> tuple[float, str]:
    if case.png is None:
        raise RuntimeError(f"{case.name}: no PNG written")
    command = ["tesseract", str(case.png), "stdout", *TESSERACT_ARGS]
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{case.name}: tesseract exited {completed.returncode}: {error}")
    return seconds, completed.stdout.decode("utf-8", "replace")


def measure(
    cases: Sequence[PageCase],
    options: ConvertOptions,
    repeat: int,
    tess_env: dict[str, str] | None,
    label: str,
) -> list[PageResult]:
    results = []
    for index, case in enumerate(cases):
        result = PageResult(case)

        def ours(result: PageResult = result, case: PageCase = case) -> None:
            seconds, result.ours_text = run_ours(case, options)
            result.ours_seconds.append(seconds)

        def tess(result: PageResult = result, case: PageCase = case) -> None:
            if tess_env is not None:
                seconds, result.tess_text = run_tesseract(case, tess_env)
                result.tess_seconds.append(seconds)

        alternate(ours, tess, index, repeat)
        tess_note = f", tesseract {result.tess_s:.2f} s" if result.tess_s is not None else ""
        print(
            f"  {label}: {case.name}: ours {result.ours_s:.2f} s{tess_note}",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
    return results


def warm_up(case: PageCase, options: ConvertOptions, tess_env: dict[str, str] | None) -> float:
    """Create the engine (timed separately, reported) and run one page untimed on each engine."""
    start = time.perf_counter()
    get_engine(options.ocr)
    created = time.perf_counter() - start
    run_ours(case, options)
    if tess_env is not None:
        run_tesseract(case, tess_env)
    return created


# --- statistics and tables -------------------------------------------------------------------


def p90(values: Sequence[float]) -> float:
    """The 90th percentile, nearest rank (the largest value when there are fewer than 10)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], rules: Sequence[int]) -> list[str]:
    """Left-aligned first column, the others right-aligned; a rule before each row in ``rules``."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(fmt(["-" * w for w in widths]))
    lines = [fmt(header), rule]
    for index, row in enumerate(rows):
        if index in rules:
            lines.append(rule)
        lines.append(fmt(row))
    return lines


@dataclass
class SetSummary:
    name: str
    pages: int
    ours_median: float
    ours_p90: float
    tess_median: float | None
    tess_p90: float | None
    ours_cer: list[float]
    tess_cer: list[float]
    disagreement: list[float]

    @property
    def speedup(self) -> float | None:
        return None if self.tess_median is None else self.tess_median / self.ours_median


def summarise(name: str, results: Sequence[PageResult]) -> SetSummary:
    ours = [r.ours_s for r in results]
    tess = [s for r in results if (s := r.tess_s) is not None]
    return SetSummary(
        name=name,
        pages=len(results),
        ours_median=statistics.median(ours),
        ours_p90=p90(ours),
        tess_median=statistics.median(tess) if tess else None,
        tess_p90=p90(tess) if tess else None,
        ours_cer=[c for r in results if (c := r.ours_cer) is not None],
        tess_cer=[c for r in results if (c := r.tess_cer) is not None],
        disagreement=[d for r in results if (d := r.disagreement) is not None],
    )


def median_or_none(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def mean_or_none(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def page_table(name: str, results: Sequence[PageResult], with_truth: bool) -> list[str]:
    """Per-page rows, then the median, p90 and mean of each column."""
    if with_truth:
        header = ["page", "dpi", "ref chars", "ours s", "tess s", "ours CER", "tess CER"]
    else:
        header = ["page", "dpi", "ours chars", "tess chars", "ours s", "tess s", "disagree"]
    rows: list[list[str]] = []
    for r in results:
        dpi = "?" if r.case.dpi is None else str(round(r.case.dpi))
        if with_truth:
            chars = str(len(normalise(r.case.reference or "")))
            rows.append(
                [
                    r.case.name,
                    dpi,
                    chars,
                    num(r.ours_s),
                    num(r.tess_s),
                    pct(r.ours_cer),
                    pct(r.tess_cer),
                ]
            )
        else:
            tess_chars = "-" if r.tess_text is None else str(len(normalise(r.tess_text)))
            rows.append(
                [
                    r.case.name,
                    dpi,
                    str(len(normalise(r.ours_text))),
                    tess_chars,
                    num(r.ours_s),
                    num(r.tess_s),
                    pct(r.disagreement),
                ]
            )
    ours = [r.ours_s for r in results]
    tess = [s for r in results if (s := r.tess_s) is not None]
    if with_truth:
        ours_cer = [c for r in results if (c := r.ours_cer) is not None]
        tess_cer = [c for r in results if (c := r.tess_cer) is not None]
        stats: list[tuple[str, Callable[[Sequence[float]], float | None]]] = [
            ("MEDIAN", median_or_none),
            ("P90", lambda v: p90(v) if v else None),
            ("MEAN", mean_or_none),
        ]
        for label, f in stats:
            rows.append(
                [
                    "  " + label,
                    "",
                    "",
                    num(f(ours)),
                    num(f(tess)),
                    pct(f(ours_cer)),
                    pct(f(tess_cer)),
                ]
            )
    else:
        dis = [d for r in results if (d := r.disagreement) is not None]
        rows.append(
            [
                "  MEDIAN",
                "",
                "",
                "",
                num(statistics.median(ours)),
                num(median_or_none(tess)),
                pct(median_or_none(dis)),
            ]
        )
        rows.append(["  P90", "", "", "", num(p90(ours)), num(p90(tess) if tess else None), ""])
        rows.append(["  MEAN", "", "", "", "", "", pct(mean_or_none(dis))])
    truth = (
        "CER against the text layer of samples/pdf/<sample>.pdf"
        if with_truth
        else "NO truth: disagree = CER of tesseract's text against ours "
        "(disagreement, NOT accuracy)"
    )
    title = f"== {name}: {len(results)} pages; s = wall-clock seconds per page; {truth}"
    return [title, *table(header, rows, rules=[len(results)])]


def summary_table(summaries: Sequence[SetSummary]) -> list[str]:
    header = [
        "set",
        "pages",
        "ours med s",
        "ours p90 s",
        "tess med s",
        "tess p90 s",
        "speed-up",
        "ours CER med",
        "ours CER mean",
        "tess CER med",
        "tess CER mean",
    ]
    rows = []
    for s in summaries:
        row = [
            s.name,
            str(s.pages),
            num(s.ours_median),
            num(s.ours_p90),
            num(s.tess_median),
            num(s.tess_p90),
            "-" if s.speedup is None else f"{s.speedup:.2f}x",
        ]
        if s.ours_cer:
            row += [
                pct(median_or_none(s.ours_cer)),
                pct(mean_or_none(s.ours_cer)),
                pct(median_or_none(s.tess_cer)),
                pct(mean_or_none(s.tess_cer)),
            ]
        else:
            row += ["no truth", "", "", ""]
        rows.append(row)
    lines = ["== summary (speed-up = tess median s / ours median s)", *table(header, rows, [])]
    for s in summaries:
        if not s.ours_cer and s.disagreement:
            lines.append(
                f"{s.name}: no truth; tesseract vs ours DISAGREEMENT (not accuracy): median "
                f"{pct(median_or_none(s.disagreement))}, mean {pct(mean_or_none(s.disagreement))}"
            )
    return lines


def verdicts(summaries: Sequence[SetSummary], tesseract: bool) -> list[str]:
    lines = ["== verdicts"]
    target = next((s for s in summaries if s.name == "samples-300dpi"), None)
    if target is None:
        lines.append(f"median <= {TARGET_SECONDS} s per 300-dpi page: n/a (no 300-dpi pages)")
    else:
        ok = target.ours_median <= TARGET_SECONDS
        lines.append(
            f"median <= {TARGET_SECONDS} s per 300-dpi page: {'PASS' if ok else 'FAIL'} "
            f"(ours {target.ours_median:.2f} s median on samples-300dpi)"
        )
    if not tesseract:
        lines.append(f">= {TARGET_SPEEDUP:g}x faster than tesseract: n/a (no tesseract)")
        lines.append("lower CER than tesseract on every set: n/a (no tesseract)")
        return lines
    speedups = [(s.name, s.speedup) for s in summaries if s.speedup is not None]
    ok = all(v >= TARGET_SPEEDUP for _, v in speedups)
    detail = ", ".join(f"{n} {v:.2f}x" for n, v in speedups)
    lines.append(
        f">= {TARGET_SPEEDUP:g}x faster than tesseract: {'PASS' if ok else 'FAIL'} ({detail})"
    )
    with_truth = [s for s in summaries if s.ours_cer and s.tess_cer]
    ours_means = [
        (s.name, statistics.fmean(s.ours_cer), statistics.fmean(s.tess_cer)) for s in with_truth
    ]
    ok = bool(ours_means) and all(o < t for _, o, t in ours_means)
    detail = ", ".join(f"{n} {pct(o)} vs {pct(t)}" for n, o, t in ours_means)
    lines.append(
        f"lower CER than tesseract on every set: {'PASS' if ok else 'FAIL'} (mean CER ours vs "
        f"tesseract: {detail}; sets with truth only)"
    )
    return lines


# --- header ----------------------------------------------------------------------------------


def processor_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown processor"


def tesseract_version() -> str:
    completed = subprocess.run(
        ["tesseract", "--version"], capture_output=True, text=True, check=False
    )
    first = (completed.stdout or completed.stderr).splitlines()
    version = first[0].strip() if first else "tesseract (unknown version)"
    data = "chi_sim"
    dpkg = shutil.which("dpkg-query")
    if dpkg is not None:
        query = subprocess.run(
            [dpkg, "-W", "-f=${Version}", "tesseract-ocr-chi-sim"],
            capture_output=True,
            text=True,
            check=False,
        )
        if query.returncode == 0 and query.stdout:
            data = f"chi_sim (tesseract-ocr-chi-sim {query.stdout.strip()})"
    return f"{version}, {data}"


def header_lines(
    title: str,
    options: ConvertOptions,
    repeat: int,
    tesseract: str | None,
    created: float | None,
    load: str,
    timed: str = "ocr_page + set_aside_furniture + build_document + render_text",
) -> list[str]:
    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    ocr = options.ocr
    lines = [
        f"{title}  {now}",
        f"machine: {processor_name()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}",
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"bulletin_ocr {bulletin_ocr.__version__}, "
        f"onnxruntime {package_version('onnxruntime')}, opencv {package_version_cv2()}, "
        f"pdfplumber {pdfplumber.__version__}",
        "models: " + "; ".join(line for line in get_engine(ocr).describe() if "(" in line),
        f"ours: OcrOptions(det_limit_side_len={ocr.det_limit_side_len}, "
        f"rec_batch_size={ocr.rec_batch_size}, threads={ocr.threads}), default preprocessing; "
        f"timed: {timed}",
    ]
    if created is not None:
        lines.append(
            f"engine created before timing ({created:.2f} s, not counted); one untimed warm-up "
            "page per engine"
        )
    if tesseract is not None:
        lines.append(
            f"tesseract: {tesseract}; `tesseract in.png stdout {' '.join(TESSERACT_ARGS)}`, "
            "OMP_THREAD_LIMIT unset; time includes process start-up"
        )
    alternate = "; the engines alternate which goes first" if tesseract is not None else ""
    lines.append(f"repeat {repeat}: per page the median of {repeat} run(s){alternate}")
    lines.append(load)
    return lines


def load_line() -> str:
    """The load average before the benchmark starts (it lags: a busy minute ago still shows)."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average before start: unknown"
    return f"load average before start: {one:.2f} (1 min), {five:.2f} (5 min)"


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    except (OSError, IndexError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this process and of the subprocesses it has waited for (tesseract)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class OtherLoad:
    """How much CPU everything else on the machine used while the benchmark ran."""

    wall: float = field(default_factory=time.perf_counter)
    busy: float | None = field(default_factory=busy_cpu_seconds)
    own: float = field(default_factory=own_cpu_seconds)

    def report(self) -> str:
        busy = busy_cpu_seconds()
        if busy is None or self.busy is None:
            return "other processes during the run: unknown (no /proc/stat)"
        wall = time.perf_counter() - self.wall
        others = max(0.0, (busy - self.busy) - (own_cpu_seconds() - self.own))
        share = others / (wall * (os.cpu_count() or 1))
        warning = (
            "  WARNING: timings are inflated, run again on a quiet machine"
            if (share > 0.05)
            else ""
        )
        return (
            f"other processes during the run: {others:.1f} CPU-seconds in {wall:.0f} s "
            f"({100 * share:.1f}% of the machine){warning}"
        )


def package_version_cv2() -> str:
    import cv2

    return str(cv2.__version__)


# --- main runs -------------------------------------------------------------------------------


def benchmark(repeat: int) -> int:
    load, others = load_line(), OtherLoad()
    options = ConvertOptions()
    problem = tesseract_problem()
    tess_env = tesseract_env() if problem is None else None
    samples = list(sample_pages())
    book = list(book_pages()) if BOOK_PDF.is_file() else []

    created = warm_up(samples[0], options, None)
    tesseract = tesseract_version() if problem is None else None
    for line in header_lines("bench_ocr", options, repeat, tesseract, created, load):
        print(line)
    if problem is not None:
        print(f"tesseract: NOT RUN ({problem}); install it with: {INSTALL_HINT}")
    if not book:
        print(f"scanned-book: SKIPPED ({BOOK_PDF} not found)")
    print(flush=True)

    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        if tess_env is not None:
            write_pngs([*samples, *book], Path(tmp))
            run_tesseract(samples[0], tess_env)  # untimed warm-up (page cache, model file)
        results = measure(samples, options, repeat, tess_env, "samples")
        book_results = measure(book, options, repeat, tess_env, "scanned-book") if book else []

    target = [r for r in results if is_target(r.case)]
    summaries = [summarise("samples", results), summarise("samples-300dpi", target)]
    for line in page_table("samples", results, with_truth=True):
        print(line)
    print()
    if book_results:
        summaries.append(summarise("scanned-book", book_results))
        for line in page_table("scanned-book", book_results, with_truth=False):
            print(line)
        print()
    for line in summary_table(summaries):
        print(line)
    print()
    for line in verdicts(summaries, tess_env is not None):
        print(line)
    print(others.report())
    return 0


def sweep_settings(grid: bool) -> list[OcrOptions]:
    base = OcrOptions()
    threads = list(dict.fromkeys([1, os.cpu_count() or 1, 0]))
    if grid:
        return [
            replace(base, det_limit_side_len=d, rec_batch_size=b, threads=t)
            for d, b, t in itertools.product(SWEEP_DET, SWEEP_BATCH, threads)
        ]
    settings = [base]
    settings += [replace(base, det_limit_side_len=d) for d in SWEEP_DET]
    settings += [replace(base, rec_batch_size=b) for b in SWEEP_BATCH]
    settings += [replace(base, threads=t) for t in threads]
    return list(dict.fromkeys(settings))


@dataclass
class SweepRow:
    options: OcrOptions
    median: float
    mean_cer: float


def measure_settings(
    cases: Sequence[PageCase], settings: Sequence[OcrOptions], repeat: int
) -> list[SweepRow]:
    """Time every setting on every page, round robin, so slow spells hit all settings alike."""
    for ocr in settings:
        get_engine(ocr)  # model loading, untimed
        run_ours(cases[0], ConvertOptions(ocr=ocr))  # warm-up, untimed
    seconds: dict[OcrOptions, list[list[float]]] = {ocr: [[] for _ in cases] for ocr in settings}
    cers: dict[OcrOptions, list[float]] = {ocr: [] for ocr in settings}
    for rep in range(repeat):
        order = list(settings) if rep % 2 == 0 else list(reversed(settings))
        for ocr in order:
            options = ConvertOptions(ocr=ocr)
            match_opencv_threads(ocr)
            for index, case in enumerate(cases):
                elapsed, text = run_ours(case, options)
                seconds[ocr][index].append(elapsed)
                if rep == 0 and case.reference is not None:
                    cers[ocr].append(cer(case.reference, text))
        print(f"  sweep: repetition {rep + 1}/{repeat} done", file=sys.stderr, flush=True)
    return [
        SweepRow(
            ocr,
            statistics.median(statistics.median(page) for page in seconds[ocr]),
            statistics.fmean(cers[ocr]),
        )
        for ocr in settings
    ]


def match_opencv_threads(ocr: OcrOptions) -> None:
    """OpenCV's thread count as a process running only this setting would have it.

    The engine sets OpenCV's (process-wide) thread count when ``threads`` is given, so the
    engine created last would otherwise decide it for every setting of the sweep.
    """
    import cv2

    cv2.setNumThreads(ocr.threads if ocr.threads else -1)


def best_of(rows: Sequence[SweepRow]) -> SweepRow:
    """The fastest setting whose mean CER is within SWEEP_CER_TOLERANCE of the lowest."""
    lowest = min(row.mean_cer for row in rows)
    return min(
        (r for r in rows if r.mean_cer <= lowest + SWEEP_CER_TOLERANCE), key=lambda r: r.median
    )


SWEPT = ("det_limit_side_len", "rec_batch_size", "threads")


def combine_best(rows: Sequence[SweepRow]) -> OcrOptions:
    """The best value of each setting, when varied alone around the defaults, all together."""
    defaults = OcrOptions()
    combined = defaults
    for attr in SWEPT:
        alone = [
            r
            for r in rows
            if all(getattr(r.options, o) == getattr(defaults, o) for o in SWEPT if o != attr)
        ]
        combined = replace(combined, **{attr: getattr(best_of(alone).options, attr)})
    return combined


def sweep_table(title: str, rows: Sequence[SweepRow]) -> list[str]:
    fastest = min(rows, key=lambda r: r.median)
    accurate = min(rows, key=lambda r: r.mean_cer)
    same_cer = len({row.mean_cer for row in rows}) == 1
    best = best_of(rows)
    default = next((r for r in rows if r.options == OcrOptions()), None)
    header = [
        "det_limit_side_len",
        "rec_batch_size",
        "threads",
        "median s/page",
        "vs default",
        "mean CER",
        "",
    ]
    body = []
    for row in rows:
        marks = []
        if row is best:
            marks.append("BEST")
        if row is fastest:
            marks.append("fastest")
        if row.mean_cer == accurate.mean_cer and not same_cer:
            marks.append("lowest CER")
        if row is default:
            marks.append("current default")
        threads = str(row.options.threads) + (" (all)" if row.options.threads == 0 else "")
        relative = "-" if default is None else f"{row.median / default.median:.2f}x"
        body.append(
            [
                str(row.options.det_limit_side_len),
                str(row.options.rec_batch_size),
                threads,
                num(row.median),
                relative,
                pct(row.mean_cer),
                ", ".join(marks),
            ]
        )
    lines = [title, *table(header, body, [])]
    if same_cer:
        lines.append("(mean CER is the same for every setting)")
    return lines


def sweep(repeat: int, grid: bool) -> int:
    load, others = load_line(), OtherLoad()
    cases = [case for case in sample_pages() if is_target(case)]
    base = ConvertOptions()
    created = warm_up(cases[0], base, None)
    for line in header_lines("bench_ocr --sweep", base, repeat, None, created, load):
        print(line)
    print(
        f"pages: samples-300dpi ({len(cases)} pages); each setting gets its own engine, "
        "created and warmed up on one page untimed; settings timed round robin"
    )
    print(
        f"median s/page = median over pages of each page's median over {repeat} runs; "
        f"BEST = fastest within {100 * SWEEP_CER_TOLERANCE:.1f} points of the lowest mean CER"
    )
    print(flush=True)

    settings = sweep_settings(grid)
    rows = measure_settings(cases, settings, repeat)
    what = "every combination" if grid else "one setting varied at a time around the defaults"
    for line in sweep_table(f"== sweep on samples-300dpi: {what}", rows):
        print(line)
    if not grid:
        combined = combine_best(rows)
        if combined not in settings:
            print()
            pair = measure_settings(cases, [OcrOptions(), combined], repeat)
            title = "== the best value of each setting together, timed against the default again"
            for line in sweep_table(title, pair):
                print(line)
    print()
    print(others.report())
    return 0


# --- dense pages (issue 12) ------------------------------------------------------------------

DENSE_TARGET_SECONDS = 2.0
DENSE_TARGET_SPEEDUP = 2.5
DENSE_TARGET_CER = 0.010
DENSE_FORMATS = ("txt", "tei", "json")
STAGES = ("decode", "preprocess", "detection", "recognition", "layout", "structure", "export")


class StageClock:
    """Wall-clock seconds per pipeline stage, by wrapping the functions the pipeline calls.

    The wrappers sit on module attributes that ``bulletin_ocr.pipeline`` looks up at call
    time, so the code measured is the code ``convert`` runs; a target that has been renamed is
    reported as missing rather than silently left out.
    """

    TARGETS = (
        ("bulletin_ocr.inputs.image", "read_image_pages", "decode"),
        ("bulletin_ocr.preprocess", "preprocess", "preprocess"),
        ("bulletin_ocr.ocr.ghosts", "split_ghosts", "layout"),
        ("bulletin_ocr.layout.ink", "measure_glyphs", "layout"),
        ("bulletin_ocr.structure.faces", "style_glyphs", "structure"),
        ("bulletin_ocr.layout.ocr_lines", "lines_from_glyphs", "layout"),
        ("bulletin_ocr.pipeline", "measure_geometry_lines", "layout"),
        ("bulletin_ocr.pipeline", "set_aside_furniture", "layout"),
        ("bulletin_ocr.pipeline", "build_document", "structure"),
    )

    def __init__(self) -> None:
        import importlib

        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.missing: list[str] = []
        for module_name, attribute, stage in self.TARGETS:
            module = importlib.import_module(module_name)
            original = getattr(module, attribute, None)
            if original is None:
                self.missing.append(f"{module_name}.{attribute}")
                continue
            setattr(module, attribute, self._wrap(original, stage))
        self._engine = get_engine(ConvertOptions().ocr)
        recognise = self._engine.recognise

        def timed_recognise(image: Any) -> Any:
            start = time.perf_counter()
            lines = recognise(image)
            total = time.perf_counter() - start
            timings = getattr(self._engine, "last_timings", {})
            detection = timings.get("detection", 0.0)
            self.seconds["detection"] += detection
            self.seconds["recognition"] += total - detection
            return lines

        self._engine.recognise = timed_recognise  # type: ignore[method-assign]

    def _wrap(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        import inspect

        if inspect.isgeneratorfunction(function):

            def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                items = function(*args, **kwargs)
                while True:
                    start = time.perf_counter()
                    try:
                        item = next(items)
                    except StopIteration:
                        self.seconds[stage] += time.perf_counter() - start
                        return
                    self.seconds[stage] += time.perf_counter() - start
                    yield item

            return generator

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - start

        return timed

    def reset(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)


@dataclass
class DenseResult:
    page: Any
    ours_seconds: list[float] = field(default_factory=list)
    tess_seconds: list[float] = field(default_factory=list)
    stages: list[dict[str, float]] = field(default_factory=list)
    ours_text: str = ""
    tess_text: str | None = None
    lines: int = 0


def run_ours_file(path: Path, clock: StageClock, outdir: Path) -> tuple[float, str, int]:
    """One page file the way ``convert`` does it: decode, preprocess, OCR, layout, structure,
    and all three exports written to ``outdir``."""
    from bulletin_ocr.api import convert
    from bulletin_ocr.export import render_outputs

    clock.reset()
    start = time.perf_counter()
    document = convert(path)
    exported = time.perf_counter()
    rendered = render_outputs(document, path.stem, DENSE_FORMATS)
    for name, data in rendered.items():
        (outdir / name).write_bytes(data)
    done = time.perf_counter()
    clock.seconds["export"] += done - exported
    lines = sum(len(page.lines) for page in document.pages)
    return done - start, rendered[f"{path.stem}.txt"].decode("utf-8"), lines


def run_tesseract_file(path: Path, env: dict[str, str]) -> tuple[float, str]:
    command = ["tesseract", str(path), "stdout", *TESSERACT_ARGS]
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{path}: tesseract exited {completed.returncode}")
    return seconds, completed.stdout.decode("utf-8", "replace")


def busiest_processes(count: int = 6) -> str:
    """The processes using the most CPU right now (``ps``), to say what else was running."""
    listed = subprocess.run(
        ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],
        capture_output=True, text=True, check=False,
    )
    rows = [" ".join(line.split()) for line in listed.stdout.splitlines()[:count]]
    return "busiest processes at start (%CPU command): " + "; ".join(rows)


def measure_dense(
    pages: Sequence[Any], repeat: int, tess_env: dict[str, str] | None, clock: StageClock,
    outdir: Path,
) -> list[DenseResult]:
    results = []
    for index, page in enumerate(pages):
        result = DenseResult(page)

        def ours(result: DenseResult = result, page: Any = page) -> None:
            seconds, result.ours_text, result.lines = run_ours_file(page.image, clock, outdir)
            result.ours_seconds.append(seconds)
            result.stages.append(dict(clock.seconds))

        def tess(result: DenseResult = result, page: Any = page) -> None:
            if tess_env is not None:
                seconds, result.tess_text = run_tesseract_file(page.image, tess_env)
                result.tess_seconds.append(seconds)

        alternate(ours, tess, index, repeat)
        tess_note = (
            f", tesseract {statistics.median(result.tess_seconds):.2f} s"
            if result.tess_seconds else ""
        )
        print(
            f"  dense: {page.image.name}: ours {statistics.median(result.ours_seconds):.2f} s"
            f"{tess_note}",
            file=sys.stderr, flush=True,
        )
        results.append(result)
    return results


def dense_page_table(results: Sequence[DenseResult]) -> list[str]:
    header = ["page", "face", "lines", "ref chars", "ours s", "tess s", "ours CER", "tess CER"]
    rows = []
    for r in results:
        reference = r.page.reference()
        rows.append([
            r.page.image.name, Path(r.page.font).stem, str(r.lines),
            str(len(normalise(reference))), num(statistics.median(r.ours_seconds)),
            num(median_or_none(r.tess_seconds)), pct(cer(reference, r.ours_text)),
            pct(None if r.tess_text is None else cer(reference, r.tess_text)),
        ])
    ours = [statistics.median(r.ours_seconds) for r in results]
    tess = [statistics.median(r.tess_seconds) for r in results if r.tess_seconds]
    ours_cer = [cer(r.page.reference(), r.ours_text) for r in results]
    tess_cer = [cer(r.page.reference(), r.tess_text) for r in results if r.tess_text is not None]
    rows.append(["  MEDIAN", "", "", "", num(statistics.median(ours)), num(median_or_none(tess)),
                 pct(statistics.median(ours_cer)), pct(median_or_none(tess_cer))])
    rows.append(["  MEAN", "", "", "", num(statistics.fmean(ours)), num(mean_or_none(tess)),
                 pct(statistics.fmean(ours_cer)), pct(mean_or_none(tess_cer))])
    title = (
        f"== dense: {len(results)} pages (A4, 300 dpi, 16 pt, degraded); s = wall-clock seconds "
        "per page, file to exports; CER against the typeset text"
    )
    return [title, *table(header, rows, rules=[len(results)])]


def stage_table(results: Sequence[DenseResult]) -> list[str]:
    """Median seconds per page of each stage (over every run of every page)."""
    runs = [stages for r in results for stages in r.stages]
    totals = [seconds for r in results for seconds in r.ours_seconds]
    rows = []
    for stage in STAGES:
        values = [run[stage] for run in runs]
        rows.append([stage, num(statistics.median(values), 3),
                     f"{100 * statistics.fmean(values) / statistics.fmean(totals):.0f}%"])
    other = [total - sum(run.values()) for total, run in zip(totals, runs, strict=True)]
    rows.append(["other (convert's own work)", num(statistics.median(other), 3),
                 f"{100 * statistics.fmean(other) / statistics.fmean(totals):.0f}%"])
    rows.append(["TOTAL", num(statistics.median(totals), 3), "100%"])
    return ["== dense: per stage, median s/page (share of the mean total)",
            *table(["stage", "median s", "share"], rows, rules=[len(rows) - 1])]


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("bulletin-ocr")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bulletin_ocr"]


def time_cli_job(folder: Path, outdir: Path, jobs: int) -> float:
    """Wall clock of ``bulletin-ocr convert FOLDER -o OUTDIR --jobs N``, start-up included."""
    shutil.rmtree(outdir, ignore_errors=True)
    command = [*cli_command(), "convert", str(folder), "-o", str(outdir), "--jobs", str(jobs),
               "-q", "--to", ",".join(DENSE_FORMATS)]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace")[-500:]
        raise RuntimeError(f"bulletin-ocr exited {completed.returncode}: {error}")
    return seconds


def time_tesseract_job(folder: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    for path in sorted(folder.iterdir()):
        run_tesseract_file(path, env)
    return time.perf_counter() - start


def cli_jobs(
    pages: Sequence[Any], sizes: Sequence[int], repeat: int, tess_env: dict[str, str] | None,
    tmp: Path,
) -> list[tuple[int, int, float, float | None]]:
    """The CLI on folders of 6 (and 50) pages, against Tesseract's runs on the same files:
    per job its size, runs, and median wall seconds of ours and of Tesseract."""
    jobs = []
    for size in sizes:
        folder = tmp / f"job-{size}"
        folder.mkdir()
        for page in pages[:size]:
            shutil.copyfile(page.image, folder / page.image.name)
        runs = repeat if size <= 10 else 1  # long jobs once: they take minutes
        ours: list[float] = []
        tess: list[float] = []
        for rep in range(runs):
            order = ["ours", "tess"] if rep % 2 == 0 else ["tess", "ours"]
            for which in order:
                if which == "ours":
                    ours.append(time_cli_job(folder, tmp / f"out-{size}", jobs=1))
                elif tess_env is not None and size <= 10:
                    tess.append(time_tesseract_job(folder, tess_env))
            print(f"  cli: {size} pages, run {rep + 1}/{runs} done", file=sys.stderr, flush=True)
        jobs.append((size, runs, statistics.median(ours), median_or_none(tess)))
    return jobs


def cli_table(jobs: Sequence[tuple[int, int, float, float | None]]) -> list[str]:
    header = ["job", "runs", "ours wall s", "ours s/page", "tess wall s", "speed-up"]
    rows = [
        [f"{size} pages, --jobs 1", str(runs), num(ours), num(ours / size), num(tess),
         "-" if tess is None else f"{tess / ours:.2f}x"]
        for size, runs, ours, tess in jobs
    ]
    title = ("== CLI jobs: `bulletin-ocr convert DIR -o OUT --jobs 1` (start-up and model loading "
             "included) against `tesseract` run once per page; medians")
    return [title, *table(header, rows, rules=[])]


def dense_verdicts(
    results: Sequence[DenseResult], jobs: Sequence[tuple[int, int, float, float | None]]
) -> list[str]:
    ours = statistics.median(statistics.median(r.ours_seconds) for r in results)
    tess_values = [statistics.median(r.tess_seconds) for r in results if r.tess_seconds]
    ours_cer = statistics.fmean(cer(r.page.reference(), r.ours_text) for r in results)
    lines = ["== verdicts (issue 12)"]
    ok = ours <= DENSE_TARGET_SECONDS
    lines.append(f"dense median <= {DENSE_TARGET_SECONDS} s/page: {'PASS' if ok else 'FAIL'} "
                 f"({ours:.2f} s)")
    if tess_values:
        speedup = statistics.median(tess_values) / ours
        ok = speedup >= DENSE_TARGET_SPEEDUP
        lines.append(f">= {DENSE_TARGET_SPEEDUP}x tesseract per page: {'PASS' if ok else 'FAIL'} "
                     f"({speedup:.2f}x)")
    ok = ours_cer <= DENSE_TARGET_CER
    lines.append(f"mean CER <= {100 * DENSE_TARGET_CER:.1f}%: {'PASS' if ok else 'FAIL'} "
                 f"({pct(ours_cer)})")
    for size, _, ours_job, tess_job in jobs:
        if tess_job is not None:
            ok = tess_job / ours_job >= DENSE_TARGET_SPEEDUP
            lines.append(f"{size}-page CLI job >= {DENSE_TARGET_SPEEDUP}x tesseract's {size} runs: "
                         f"{'PASS' if ok else 'FAIL'} ({tess_job / ours_job:.2f}x)")
    return lines


def dense_benchmark(pages: int, repeat: int, cli_sizes: Sequence[int]) -> int:
    from dense_pages import dense_pages

    load, others = load_line(), OtherLoad()
    busy = busiest_processes()
    cases = dense_pages(max([pages, *cli_sizes]))
    options = ConvertOptions()
    problem = tesseract_problem()
    tess_env = tesseract_env() if problem is None else None
    start = time.perf_counter()
    clock = StageClock()  # creates the engine (model loading), untimed
    created = time.perf_counter() - start
    tesseract = tesseract_version() if problem is None else None
    timed = "convert(page file) + txt, TEI and JSON written (decode to exports)"
    for line in header_lines("bench_ocr --dense", options, repeat, tesseract, created, load, timed):
        print(line)
    print(busy)
    if clock.missing:
        print(f"stage clock: not found, so not timed apart: {', '.join(clock.missing)}")
    if problem is not None:
        print(f"tesseract: NOT RUN ({problem}); install it with: {INSTALL_HINT}")
    print(f"pages cached in {cases[0].image.parent}", flush=True)
    print()
    with tempfile.TemporaryDirectory(prefix="bench_dense_") as tmp:
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        run_ours_file(cases[0].image, clock, outdir)  # untimed warm-up
        if tess_env is not None:
            run_tesseract_file(cases[0].image, tess_env)
        results = measure_dense(cases[:pages], repeat, tess_env, clock, outdir)
        jobs = cli_jobs(cases, cli_sizes, max(repeat, 3), tess_env, Path(tmp))
    for block in (dense_page_table(results), stage_table(results),
                  cli_table(jobs) if jobs else [], dense_verdicts(results, jobs)):
        if block:
            print("\n".join(block))
            print()
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
    print(others.report())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed runs per page and engine; the page's median counts (default 1, --sweep 3)",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="time our pipeline on the 300-dpi samples for several OcrOptions instead",
    )
    parser.add_argument(
        "--grid",
        action="store_true",
        help="with --sweep: every combination of the values (up to 36 settings, slow)",
    )
    parser.add_argument(
        "--dense",
        action="store_true",
        help="the dense set (full A4 pages of 16-pt text, see dense_pages.py) instead",
    )
    parser.add_argument("--pages", type=int, default=8,
                        help="with --dense or --engines: dense pages timed (8)")
    parser.add_argument(
        "--cli",
        type=int,
        action="append",
        default=None,
        metavar="N",
        help="with --dense: also time the CLI on a folder of N pages (repeatable, e.g. "
        "--cli 6 --cli 50; jobs over 10 pages run once)",
    )
    parser.add_argument(
        "--engines",
        action="store_true",
        help="the onnx and paddleocr engines and Tesseract side by side instead "
        "(bench_engines.py; run from the paddleocr extra's environment)",
    )
    parser.add_argument("--device", default="cpu",
                        help="with --engines: cpu, cuda or cuda:N for our engines (cpu)")
    args = parser.parse_args(argv)
    if args.engines:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_engines import engines_benchmark

        return engines_benchmark(args.pages, args.repeat or 1, args.device)
    if args.dense:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        return dense_benchmark(args.pages, args.repeat or 3, args.cli or [])
    if args.repeat is None:
        args.repeat = 3 if args.sweep else 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.grid and not args.sweep:
        parser.error("--grid needs --sweep")
    missing = [str(p) for p in (SCAN_DIR / "manifest.json", SAMPLE_PDF_DIR) if not p.exists()]
    if missing:
        sys.exit(f"bench_ocr: not found: {', '.join(missing)}")
    return sweep(args.repeat, args.grid) if args.sweep else benchmark(args.repeat)


if __name__ == "__main__":
    sys.exit(main())
