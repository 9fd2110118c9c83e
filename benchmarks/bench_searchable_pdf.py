"""Time each step of the searchable PDF adds per page (issue 23).

Run from the repository root: ``PYTHONPATH=src python benchmarks/bench_searchable_pdf.py``.
Each input is converted once (not timed); then each step is run ``--repeat`` times in this
process and the median, divided by the input's page count, is reported in milliseconds:

- text layer: opening the input, drawing the invisible lines with reportlab, laying them over
  the recognised pages (the old text taken off first);
- silence old text: parsing and rewriting the recognised pages' content (invisible old text
  removed, visible old text wrapped in an empty /ActualText span; part of the above);
- active content: looking for (and removing) JavaScript, actions, embedded files;
- PDF/A: pikepdf's preparation, writing and validating the written bytes, over a plain save;
- whole: ``render_searchable_pdf`` as the exporter runs it (PDF/A).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bulletin_ocr.api import convert
from bulletin_ocr.export.context import ExportContext
from bulletin_ocr.export.coords import require_geometry
from bulletin_ocr.export.pdf_sanitise import remove_active_content, silence_old_text
from bulletin_ocr.export.pdf_text_layer import TextFonts, register_fonts
from bulletin_ocr.export.pdfa import save_pdfa
from bulletin_ocr.export.searchable_pdf import _overlay_pdf, render_searchable_pdf

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
INPUTS = {
    "scanned PDF (lanshan, 3 p.)": ROOT / "samples" / "scans" / "lanshan-2024-03-scan.pdf",
    "garbled layer (textbook, 1 p.)": SHARED
    / "real" / "broken-text-layer" / "textbook-garbled-layer.pdf",
    "real scan (book, 8 p.)": SHARED / "real" / "scanned" / "scanned-book-8p.pdf",
    "image (lanshan JPEG, 1 p.)": ROOT / "samples" / "scans" / "lanshan-2024-03-p1-300dpi.jpg",
}


def median_ms(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(path: Path, fonts: TextFonts, repeat: int) -> list[float]:
    """Milliseconds per page of each step (nan where it does not apply: image inputs)."""
    import pikepdf

    doc = convert(path)
    pages = require_geometry(doc, "searchable PDF")
    is_pdf = path.suffix == ".pdf"

    def plain() -> bytes:
        return render_searchable_pdf(doc, ExportContext(input_path=path, pdf_type="pdf"))

    def layer() -> None:
        _overlay_pdf(path, pages, fonts, None).close()

    def strip() -> None:
        with pikepdf.open(path) as pdf:
            for page, _ in pages:
                if page.source == "ocr":
                    silence_old_text(pdf, pdf.pages[page.number - 1])

    def active() -> None:
        with pikepdf.open(path) as pdf:
            remove_active_content(pdf)

    def pdfa_after_plain() -> None:
        with pikepdf.open(io.BytesIO(plain())) as pdf:
            save_pdfa(pdf, doc)

    def plain_save_after_plain() -> None:
        with pikepdf.open(io.BytesIO(plain())) as pdf:
            pdf.save(io.BytesIO())

    def whole() -> None:
        render_searchable_pdf(doc, ExportContext(input_path=path))

    nan = float("nan")
    cells = [
        median_ms(layer, repeat) if is_pdf else nan,
        median_ms(strip, repeat) if is_pdf else nan,
        median_ms(active, repeat) if is_pdf else nan,
        median_ms(pdfa_after_plain, repeat) - median_ms(plain_save_after_plain, repeat),
        median_ms(whole, repeat),
    ]
    return [cell / len(doc.pages) for cell in cells]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fonts = register_fonts()
    print("| input | text layer | silence old text | active content | PDF/A | whole |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, path in INPUTS.items():
        cells = measure(path, fonts, args.repeat)
        print(f"| {label} | " + " | ".join(f"{cell:.1f}" for cell in cells) + " |")


if __name__ == "__main__":
    main()
