"""The OCR engines side by side: the default "onnx" engine, the "paddleocr" engine (the official
PaddleOCR package, when installed) and Tesseract 5 chi_sim, in one run on the same pages.

Run as ``bench_ocr.py --engines [--pages N] [--repeat N] [--device cuda]`` from the paddleocr
extra's environment, so that both of our engines are there::

    make .venv-paddleocr/.installed
    .venv-paddleocr/bin/python benchmarks/bench_ocr.py --engines

Pages: the 300-dpi sample scans (``bench_ocr.sample_pages``; truth: the sample PDF's text
layer) and the first N dense pages (``dense_pages.py``; truth: the typeset lines). Every page is
decoded once, before any timing. Per page and engine the wall clock of bench_ocr's ``run_ours``
(preprocessing, recognition, layout, structure, clean text) with ``OcrOptions(engine=...)``;
Tesseract as bench_ocr runs it (a subprocess on the same page image as PNG). Each engine is
created and runs one page before timing; the engines take turns at going first, page by page.
CER as bench_ocr computes it (whitespace removed, half-width punctuation made full-width).
``--device cuda`` runs both of our engines on the GPU; Tesseract stays on the CPU.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_ocr import (
    INSTALL_HINT,
    OtherLoad,
    PageCase,
    cer,
    is_target,
    load_line,
    num,
    pct,
    processor_name,
    run_ours,
    run_tesseract,
    sample_pages,
    table,
    tesseract_env,
    tesseract_problem,
    tesseract_version,
    write_pngs,
)

from bulletin_ocr.inputs.image import read_image_pages
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.ocr.models import package_version
from bulletin_ocr.ocr.registry import get_engine
from bulletin_ocr.pipeline import ConvertOptions

ENGINES = ("onnx", "paddleocr")
TESSERACT = "tesseract"


@dataclass
class Timing:
    """One engine on one set of pages."""

    seconds: list[float] = field(default_factory=list)
    errors: list[float] = field(default_factory=list)


def dense_cases(count: int) -> list[PageCase]:
    from dense_pages import dense_pages

    cases = []
    for page in dense_pages(count):
        (image,) = read_image_pages(page.image)
        cases.append(PageCase(f"dense {page.image.name}", image.pixels, image.dpi,
                              page.reference()))
    return cases


def engine_problem(name: str, device: str) -> str | None:
    """Why our engine ``name`` cannot run here, or None when it can (it is then created)."""
    from bulletin_ocr.errors import BulletinOcrError

    try:
        get_engine(OcrOptions(engine=name, device=device))
    except BulletinOcrError as error:
        return str(error)
    return None


def run_set(
    cases: list[PageCase], engines: list[str], device: str, tess: dict[str, str] | None,
    repeat: int,
) -> dict[str, Timing]:
    timings = {name: Timing() for name in [*engines, *([TESSERACT] if tess else [])]}
    options = {name: ConvertOptions(ocr=OcrOptions(engine=name, device=device))
               for name in engines}
    for index, case in enumerate(cases):
        order = list(timings)
        shift = index % len(order)
        order = order[shift:] + order[:shift]
        texts: dict[str, str] = {}
        for name in order:
            runs = []
            for _ in range(repeat):
                if name == TESSERACT:
                    assert tess is not None
                    seconds, texts[name] = run_tesseract(case, tess)
                else:
                    seconds, texts[name] = run_ours(case, options[name])
                runs.append(seconds)
            timings[name].seconds.append(statistics.median(runs))
            if case.reference is not None:
                timings[name].errors.append(cer(case.reference, texts[name]))
        note = ", ".join(f"{name} {timings[name].seconds[-1]:.2f} s" for name in timings)
        print(f"  {case.name}: {note}", file=sys.stderr, flush=True)
    return timings


def engines_benchmark(pages: int, repeat: int, device: str) -> int:
    load, others = load_line(), OtherLoad()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sets = {
        "samples-300dpi": [case for case in sample_pages() if is_target(case)],
        f"dense ({pages} pages)": dense_cases(pages),
    }
    started = time.perf_counter()
    problems = {name: engine_problem(name, device) for name in ENGINES}
    created = time.perf_counter() - started
    engines = [name for name, problem in problems.items() if problem is None]
    tess_problem = tesseract_problem()
    tess = tesseract_env() if tess_problem is None else None
    print(f"bench_ocr --engines  device {device}, repeat {repeat}")
    print(f"machine: {processor_name()}; {load}")
    print(f"onnxruntime {package_version('onnxruntime')}, paddleocr "
          f"{package_version('paddleocr')}, paddlex {package_version('paddlex')}")
    if tess is not None:
        print(f"tesseract: {tesseract_version()}")
    for name, problem in problems.items():
        if problem is not None:
            print(f"{name}: NOT RUN ({problem})")
    if tess_problem is not None:
        print(f"tesseract: NOT RUN ({tess_problem}); install it with: {INSTALL_HINT}")
    print(f"engines created before timing ({created:.1f} s, not counted); one untimed page each")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_engines_") as tmp:
        for label, cases in sets.items():
            directory = Path(tmp) / label.split()[0]
            directory.mkdir()
            write_pngs(cases, directory)
            run_set(cases[:1], engines, device, tess, 1)  # warm-up, untimed
            timings = run_set(cases, engines, device, tess, repeat)
            for name, timing in timings.items():
                rows.append([
                    label, name, str(len(timing.seconds)),
                    num(statistics.median(timing.seconds)), num(statistics.fmean(timing.seconds)),
                    pct(statistics.fmean(timing.errors) if timing.errors else None),
                ])
    header = ["set", "engine", "pages", "median s/page", "mean s/page", "mean CER"]
    print()
    print("\n".join(table(header, rows, [i for i in range(1, len(rows))
                                         if rows[i][0] != rows[i - 1][0]])))
    print(others.report())
    return 0
