"""Runs the document-level stages on pages of lines: layout, repair, structure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from bulletin_ocr import stages
from bulletin_ocr.errors import UnsupportedInputError, UsageError
from bulletin_ocr.inputs.text import split_pages
from bulletin_ocr.layout.furniture import set_aside_furniture
from bulletin_ocr.layout.measure import (
    measure_geometry_lines,
    measure_text_lines,
    measure_with_columns_before,
)
from bulletin_ocr.layout.type_size import one_body_size
from bulletin_ocr.model import Document, Line, Page, Table
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.page_selection import END, PageSelection
from bulletin_ocr.preprocess import PreprocessOptions
from bulletin_ocr.repair.controls import drop_control_characters, dropped_warning
from bulletin_ocr.stages import stage
from bulletin_ocr.structure import recognise

if TYPE_CHECKING:
    from bulletin_ocr.inputs.pdf_raster import RenderedPage
    from bulletin_ocr.inputs.pdf_text import PdfPage
    from bulletin_ocr.layout.gutters import Strip

R = TypeVar("R")


# Said of a document whose pages hold no text once furniture is set aside (only page numbers,
# only blank space): its outputs are empty, which must not pass for a clean conversion.
NO_TEXT = "no text: the document holds no text once page numbers and blank space are set aside"

# PDF's implementation limit on a page side (ISO 32000-1, annex C): 14,400 units, 200 inches.
# Geometry beyond it is damage or a trick; the text is kept, with a warning.
PDF_MAX_PAGE_SIDE = 14_400.0


def build_document(
    pages: Sequence[Page],
    source: str,
    sha256: str,
    tables: Sequence[Table] = (),
    decider: str = "auto",
) -> Document:
    """Recognise masthead, items and footer in the pages' lines (``decider``: see
    ``ConvertOptions.decider``)."""
    from bulletin_ocr.structure.decider import chosen

    stages.enter("structure")
    with chosen(decider):
        structure = recognise(pages, tables)
    _set_aside(structure.set_aside, pages)
    for page in pages:
        page.furniture_reasons.update(
            {line.id: structure.reasons[line.id] for line in page.furniture
             if line.id in structure.reasons}
        )
    warnings = [f"page {page.number}: {w}" for page in pages for w in page.warnings]
    if not warnings and not any(line.text.strip() for page in pages for line in page.lines):
        warnings.append(NO_TEXT)  # unless a page's warning already says why it is empty
    return Document(
        source=source,
        sha256=sha256,
        pages=list(pages),
        masthead=structure.masthead,
        items=structure.items,
        distribution=structure.distribution,
        contents=structure.contents,
        warnings=warnings,
        repairs=[*structure.repairs, *_line_repairs(pages, structure.repairs)],
        explain=structure.explain,
        notes=structure.notes,
    )


def _line_repairs(pages: Sequence[Page], known: Sequence[str]) -> list[str]:
    """The repairs made to printed lines before structure (``Line.repairs``), not yet named."""
    names: list[str] = []
    for page in pages:
        for line in [*page.lines, *page.furniture]:
            names += [name for name in line.repairs if name not in known and name not in names]
    return names


def _set_aside(lines: Sequence[Line], pages: Sequence[Page]) -> None:
    """Move what the recogniser found to be furniture off the pages' text, keeping it."""
    by_number = {page.number: page for page in pages}
    for line in lines:
        page = by_number[line.page]
        page.lines.remove(line)
        page.furniture.append(line)


def document_from_text(
    text: str, source: str, sha256: str, warnings: Sequence[str] = (), decider: str = "auto"
) -> Document:
    """A raw extraction: lines without geometry, widths estimated from their characters.

    ``warnings`` are what reading the file had to forgive (its encoding's).
    """
    pages = split_pages(text)
    measure_text_lines([line for page in pages for line in page.lines])
    document = build_document(pages, source, sha256, decider=decider)
    document.warnings[:0] = warnings
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
    read_ahead: bool = True
    """Render or decode the next page in a background thread while this one is recognised
    (one page ahead; see ``inputs.ahead``)."""
    pdf_reader: str = "pdfium"
    """The character reader of text-layer PDF pages: "pdfium" (fast), or "pdfplumber" (the
    reference; see ``inputs.pdfium_chars``)."""
    max_page_pixels: int = 40_000_000
    """Pixel budget of one page image: PDF pages are rendered, and larger images reduced, to
    fit it (with a warning). 40 MP holds an A3 page at 400 dpi; images over three times the
    budget are refused undecoded, as decompression bombs."""
    pages: PageSelection | None = None
    """Only these pages of a PDF or image (``--pages``); raw text is converted whole."""
    pdf_type: Literal["pdfa", "pdf"] = "pdfa"
    """The searchable PDF (``--to pdf``): PDF/A-2b when it passes the checks, or plain PDF."""
    decider: str = "auto"
    """Who decides the structure (``--decider``): "auto" (per input kind,
    ``structure.decider.DEFAULTS``), "rules" or "crf" (the trained labeller)."""


@dataclass
class PageRun:
    """Pages of one input read and recognised, before the whole-document stages (picklable).

    What a worker hands back for a range of a long input's pages; ``assemble`` joins the
    runs of all its ranges into the document one pass over the input would have made.
    """

    pages: list[Page]
    tables: list[Table] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    """The text-layer reader, for the TEI header when a page kept its text layer."""


def assemble(
    runs: Sequence[PageRun], source: str, sha256: str, options: ConvertOptions
) -> Document:
    """The document of an input's pages (in order): furniture set aside, structure recognised."""
    pages = [page for run in runs for page in run.pages]
    tables = [table for run in runs for table in run.tables]
    one_body_size(pages)
    measure_with_columns_before(pages)
    set_aside_furniture(pages)
    document = build_document(pages, source, sha256, tables, options.decider)
    document.engine = _engines(pages, runs[0].readers if runs else [], options)
    return document


def pdf_pages(path: Path, options: ConvertOptions, numbers: range | None = None) -> PageRun:
    """A PDF's pages (all, or those ``numbers``): text layer where trusted, OCR elsewhere.

    With ``options.read_ahead`` the next page is rendered while this one is recognised.
    """
    from functools import partial

    from bulletin_ocr.inputs.ahead import prepare_ahead
    from bulletin_ocr.inputs.pdf_text import reader_version

    run = PageRun(pages=[], readers=[reader_version(options.pdf_reader)])
    read = _read_pdf_pages(path, options, numbers)
    render = partial(_render_for_ocr, path=path, options=options)
    prepared = (
        prepare_ahead(read, render)
        if options.read_ahead
        else ((item, _done(render(item))) for item in read)
    )
    columns: list[Strip] = []  # the last recognised page's gutters, in its pixels
    for (pdf_page, damage), rendering in prepared:
        page = pdf_page.page
        if _wants_ocr(page, options):
            from bulletin_ocr.page_steps import RENDERED_STEPS, PageWork, run_steps

            reason = pdf_page.verdict.reason if pdf_page.verdict else ""
            work = PageWork(page.number, str(path), options.ocr, options.preprocess,
                            rendering=rendering, known_columns=columns)
            page = run_steps(RENDERED_STEPS, work, options.page_timeout)
            columns = page.columns
            page.text_layer = "ignored (--force-ocr)" if options.force_ocr else reason
        else:
            stages.enter("layout", page.number)
            dropped = drop_control_characters(page.lines)
            if dropped:
                page.warnings.append(dropped_warning(dropped))
            frame = pdf_page.text_frame()
            measure_geometry_lines(page.lines, pdf_page.figures, frame, pdf_page.columns)
            run.tables.extend(pdf_page.tables)
        if damage:
            page.warnings.insert(0, damage)
        oversized = _oversized(pdf_page.page)
        if oversized:
            page.warnings.append(oversized)
        run.pages.append(page)
        stages.page_done(page.number)
    return run


def _oversized(page: Page) -> str:
    """The warning for a page beyond PDF's size limit (its coordinates are suspect), or ""."""
    if max(page.width or 0.0, page.height or 0.0) <= PDF_MAX_PAGE_SIDE:
        return ""
    return (
        f"page size {page.width:.4g} x {page.height:.4g} pt exceeds PDF's limit of "
        f"{PDF_MAX_PAGE_SIDE:,.0f} pt (200 inches); its positions may be wrong"
    )


def _read_pdf_pages(
    path: Path, options: ConvertOptions, numbers: range | None
) -> Iterator[tuple[PdfPage, str]]:
    """Each page's text layer, with the file's damage as it stood when the page was read
    (reading ahead may find damage further on that earlier pages were read without)."""
    from bulletin_ocr.inputs.pdf_text import read_pdf

    stages.enter("open")
    pages = read_pdf(path, options.password, options.page_timeout, numbers, options.pdf_reader)
    for pdf_page in pages:
        yield pdf_page, pdf_page.file.repair_warning() if pdf_page.file.damage else ""
        stages.enter("text layer", pdf_page.page.number + 1)


def _wants_ocr(page: Page, options: ConvertOptions) -> bool:
    return options.use_ocr and (page.needs_ocr or options.force_ocr)


def _render_for_ocr(
    item: tuple[PdfPage, str], path: Path, options: ConvertOptions
) -> RenderedPage | None:
    """The page's image when it is to be recognised, else None."""
    from bulletin_ocr.inputs.pdf_raster import render_page

    pdf_page, _damage = item
    if not _wants_ocr(pdf_page.page, options):
        return None
    pdf, number = pdf_page.file, pdf_page.page.number
    with stage("rendering", str(path), number):
        return render_page(pdf.source, number, pdf.password, options.max_page_pixels)


def _done(result: R) -> Future[R]:
    """``result`` as a future that has already finished (the pages read in turn)."""
    future: Future[R] = Future()
    future.set_result(result)
    return future


def image_pages(path: Path, options: ConvertOptions, numbers: range | None = None) -> PageRun:
    """An image file's frames (all, or those ``numbers``), each recognised as a page.

    With ``options.read_ahead`` the next frame is decoded while this one is recognised.
    """
    from bulletin_ocr.inputs.ahead import read_ahead
    from bulletin_ocr.inputs.image import read_image_pages

    if not options.use_ocr:
        raise UnsupportedInputError(str(path), "images need OCR, which --no-ocr turned off")
    run = PageRun(pages=[])
    stages.enter("decode", numbers.start if numbers else 1)
    images = read_image_pages(path, options.max_page_pixels, numbers)
    columns: list[Strip] = []
    for image in read_ahead(images) if options.read_ahead else images:
        page = ocr_page(image.pixels, image.dpi, image.number, options, source=str(path),
                        deadline=options.page_timeout, columns=columns)
        columns = page.columns
        page.warnings[:0] = image.warnings
        run.pages.append(page)
        stages.page_done(image.number)
        stages.enter("decode", image.number + 1)
    return run


PageSource = Callable[[Path, "ConvertOptions", "range | None"], PageRun]

READERS: dict[str, PageSource] = {"pdf": pdf_pages, "image": image_pages}
"""The page source of each kind of input with pages (``inputs.kinds``); raw text is read
whole (``document_from_text``)."""


def convert_input(
    path: Path, kind: str, options: ConvertOptions, source: str, sha256: str
) -> Document:
    """A PDF or image input from its pages to its document, in one pass down the layers:
    the page source of its ``kind`` (``READERS``), then the whole-document stages."""
    if options.pages is None:
        return assemble([READERS[kind](path, options, None)], source, sha256, options)
    runs = selected_pages(path, kind, options, options.pages)
    document = assemble(runs, source, sha256, options)
    document.page_selection = options.pages.spec
    return document


def selected_pages(
    path: Path, kind: str, options: ConvertOptions, selection: PageSelection
) -> list[PageRun]:
    """The runs of ``selection``'s ranges, in page order; UsageError when it asks for a page
    beyond the document's end (as OCRmyPDF does), before any other range is recognised: the
    last range is read first."""
    runs = []
    for numbers in reversed(selection.ranges):
        run = READERS[kind](path, options, numbers)
        read = {page.number for page in run.pages}
        needed = numbers.start if numbers.stop == END else numbers.stop - 1
        if needed not in read:
            from bulletin_ocr.batch.parts import count_pages

            count = count_pages(path, options.password)
            raise UsageError(str(path), f"--pages {selection.spec}: page {needed} is beyond "
                             f"the end of the document ({count} page(s))")
        runs.append(run)
    return runs[::-1]


def ocr_page(
    pixels: Any,
    dpi: float | None,
    number: int,
    options: ConvertOptions,
    source: str = "<image>",
    deadline: float | None = None,
    columns: Sequence[Strip] = (),
) -> Page:
    """Preprocess one page image, recognise it, and lay its lines out like a PDF page's
    (``page_steps.OCR_STEPS``), within ``deadline`` seconds when given.

    ``source`` names the input in the errors a library raises on this page; ``columns`` are
    the gutters of the page recognised before it.
    """
    from bulletin_ocr.page_steps import OCR_STEPS, PageWork, run_steps

    work = PageWork(number, source, options.ocr, options.preprocess, pixels=pixels, dpi=dpi,
                    known_columns=columns)
    return run_steps(OCR_STEPS, work, deadline)


def _engines(pages: Sequence[Page], text_layer: list[str], options: ConvertOptions) -> list[str]:
    """What produced the text: the PDF reader if any page kept its layer, the OCR models if any
    page was recognised."""
    engines = list(text_layer) if any(page.source == "pdf" for page in pages) else []
    if any(page.source == "ocr" for page in pages):
        from bulletin_ocr.ocr.registry import get_engine

        engines += get_engine(options.ocr).describe()
    return engines
