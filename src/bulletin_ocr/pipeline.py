"""Runs the document-level stages on pages of lines: layout, repair, structure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import UnsupportedInputError
from bulletin_ocr.inputs.text import split_pages
from bulletin_ocr.layout.furniture import set_aside_furniture
from bulletin_ocr.layout.measure import measure_geometry_lines, measure_text_lines
from bulletin_ocr.model import BBox, Document, Line, Page, Rule, Table
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.preprocess import PreprocessOptions
from bulletin_ocr.structure import recognise
from bulletin_ocr.timeouts import page_deadline


def build_document(
    pages: Sequence[Page], source: str, sha256: str, tables: Sequence[Table] = ()
) -> Document:
    """Recognise masthead, items and footer in the pages' lines."""
    structure = recognise(pages, tables)
    _set_aside(structure.set_aside, pages)
    warnings = [f"page {page.number}: {w}" for page in pages for w in page.warnings]
    return Document(
        source=source,
        sha256=sha256,
        pages=list(pages),
        masthead=structure.masthead,
        items=structure.items,
        distribution=structure.distribution,
        warnings=warnings,
        repairs=structure.repairs,
        explain=structure.explain,
    )


def _set_aside(lines: Sequence[Line], pages: Sequence[Page]) -> None:
    """Move what the recogniser found to be furniture off the pages' text, keeping it."""
    by_number = {page.number: page for page in pages}
    for line in lines:
        page = by_number[line.page]
        page.lines.remove(line)
        page.furniture.append(line)


def document_from_text(text: str, source: str, sha256: str) -> Document:
    """A raw extraction: lines without geometry, widths estimated from their characters."""
    pages = split_pages(text)
    measure_text_lines([line for page in pages for line in page.lines])
    document = build_document(pages, source, sha256)
    document.engine = ["raw-text"]
    return document


@dataclass(frozen=True)
class ConvertOptions:
    """Everything a conversion can be told; the CLI and the API both build one."""

    ocr: OcrOptions = field(default_factory=OcrOptions)
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    use_ocr: bool = True
    """Recognise scans and PDF pages whose text layer is missing or garbage."""
    force_ocr: bool = False
    """Recognise every PDF page, ignoring its text layer."""
    password: str | None = None
    page_timeout: float | None = None
    """Seconds one page may take before the input fails (None: no limit)."""


def document_from_pdf(path: Path, source: str, sha256: str, options: ConvertOptions) -> Document:
    """A PDF: its text layer with real geometry, and OCR for the pages that have none."""
    from bulletin_ocr.inputs.pdf_text import read_pdf

    pages: list[Page] = []
    tables: list[Table] = []
    engine_lines: list[str] = [f"pdfplumber {_version('pdfplumber')}"]
    for pdf_page in read_pdf(path, options.password, options.page_timeout):
        page = pdf_page.page
        if options.use_ocr and (page.needs_ocr or options.force_ocr):
            from bulletin_ocr.inputs.pdf_raster import render_page

            with page_deadline(options.page_timeout, str(path), page.number):
                pixels, dpi = render_page(path, page.number, options.password)
                reason = pdf_page.verdict.reason if pdf_page.verdict else ""
                page = ocr_page(pixels, dpi, page.number, options)
            page.text_layer = "ignored (--force-ocr)" if options.force_ocr else reason
        else:
            frame = pdf_page.text_frame()
            measure_geometry_lines(page.lines, pdf_page.figures, frame, pdf_page.columns)
            tables.extend(pdf_page.tables)
        pages.append(page)
    set_aside_furniture(pages)
    document = build_document(pages, source, sha256, tables)
    document.engine = _engines(pages, engine_lines, options)
    return document


def document_from_images(path: Path, source: str, sha256: str, options: ConvertOptions) -> Document:
    """An image file (every frame of a TIFF is a page), recognised page by page."""
    from bulletin_ocr.inputs.image import read_image_pages

    if not options.use_ocr:
        raise UnsupportedInputError(str(path), "images need OCR, which --no-ocr turned off")
    pages = []
    for image in read_image_pages(path):
        with page_deadline(options.page_timeout, str(path), image.number):
            pages.append(ocr_page(image.pixels, image.dpi, image.number, options))
    set_aside_furniture(pages)
    document = build_document(pages, source, sha256)
    document.engine = _engines(pages, [], options)
    return document


def ocr_page(pixels: Any, dpi: float | None, number: int, options: ConvertOptions) -> Page:
    """Preprocess one page image, recognise it, and lay its lines out like a PDF page's."""
    from bulletin_ocr.layout.ocr_lines import lines_from_ocr
    from bulletin_ocr.layout.style import find_rules
    from bulletin_ocr.ocr.ghosts import split_ghosts
    from bulletin_ocr.ocr.paddle import get_engine
    from bulletin_ocr.preprocess import preprocess

    engine = get_engine(options.ocr)
    image, report = preprocess(pixels, dpi, options.preprocess)
    height, width = image.shape[:2]
    recognised, ghosts = split_ghosts(image, engine.recognise(image))
    rules = find_rules(image)
    page = Page(
        number=number,
        width=float(width),
        height=float(height),
        unit="px",
        dpi=report.dpi,
        source="ocr",
        lines=lines_from_ocr(recognised, number, image=image, dividers=[b for b, _ in rules]),
        preprocessing=list(report.steps),
        rules=[Rule(number, box, colour) for box, colour in rules],
    )
    if ghosts:
        # Kept as furniture (in JSON and TEI zones), out of the text: they print on the back.
        page.furniture += lines_from_ocr(ghosts, number, first_index=len(page.lines) + 1)
        page.notes.append(f"{len(ghosts)} faint line(s) showing through from the back set aside")
    frame = BBox.union(line.bbox for line in page.lines if line.bbox is not None)
    measure_geometry_lines(page.lines, frame=frame or BBox(0.0, 0.0, float(width), float(height)))
    return page


def _engines(pages: Sequence[Page], text_layer: list[str], options: ConvertOptions) -> list[str]:
    """What produced the text: the PDF reader if any page kept its layer, the OCR models if any
    page was recognised."""
    engines = list(text_layer) if any(page.source == "pdf" for page in pages) else []
    if any(page.source == "ocr" for page in pages):
        from bulletin_ocr.ocr.paddle import get_engine

        engines += get_engine(options.ocr).describe()
    return engines


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
