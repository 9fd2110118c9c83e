"""Time each output format adds per page, over the sample PDFs, scans and images.

Run from the repository root: ``PYTHONPATH=src python benchmarks/bench_formats.py``.
Each input is converted once (not timed); then each format is rendered ``--repeat`` times in
this process and the median, divided by the input's page count, is reported in milliseconds.
Writing the files is not included (it is the same atomic write for every format).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bulletin_ocr.api import convert
from bulletin_ocr.export import FORMATS, ExportContext

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples" / "scans"
INPUTS = {
    "text-layer PDF": sorted((ROOT / "samples" / "pdf").glob("*.pdf")),
    "scanned PDF": [SCANS / "lanshan-2024-03-scan.pdf"],
    "image": [*sorted(SCANS.glob("*-p1-300dpi.jpg")), SCANS / "qingchuan-2023-07-2p.tif"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = list(FORMATS)
    print(f"| input kind | pages | {' | '.join(names)} |")
    print("|---|---:|" + "---:|" * len(names))
    for kind, paths in INPUTS.items():
        per_page: dict[str, list[float]] = {name: [] for name in names}
        pages = 0
        for path in paths:
            doc = convert(path)
            pages += len(doc.pages)
            context = ExportContext(input_path=path, outdir=path.parent, stem=path.stem)
            for name in names:
                render = FORMATS[name].render
                times = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    render(doc, context)
                    times.append(time.perf_counter() - started)
                per_page[name].append(statistics.median(times) / len(doc.pages))
        cells = [f"{1000 * statistics.mean(per_page[name]):.1f}" for name in names]
        print(f"| {kind} | {pages} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
