"""Pages per second of the full conversion of the six real gov-pdf files, for comparing two
checkouts of the code (issue 24: "at least 2.5x today's pages/s").

Run it alternately from each checkout's root with the same interpreter, e.g. the state before
the pdfium reader in a worktree:

    git worktree add --detach /tmp/before 5d89290
    for r in 1 2 3; do
      (cd /tmp/before && PYTHONPATH=src python benchmarks/pdf_against_before.py before)
      PYTHONPATH=src python benchmarks/pdf_against_before.py now
    done

Each run converts the files once to warm up, then three times, and prints the median.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bulletin_ocr.api import convert

GOV_PDF = Path(__file__).resolve().parents[1].parent / "shared" / "real" / "gov-pdf"


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else "now"
    files = sorted(GOV_PDF.glob("*.pdf"))
    for path in files:
        convert(path)
    rates = []
    for _ in range(3):
        start, pages = time.perf_counter(), 0
        for path in files:
            pages += len(convert(path).pages)
        rates.append(pages / (time.perf_counter() - start))
    runs = ", ".join(f"{rate:.1f}" for rate in rates)
    print(f"{label}: {statistics.median(rates):.1f} pages/s (runs {runs})")


if __name__ == "__main__":
    main()
