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
from bulletin_ocr.model import BBox, Document, ImageTransform, Line, Page, Rule, Table
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.page_selection import END, PageSelection
from bulletin_ocr.preprocess import PreprocessOptions
from bulletin_ocr.repair.controls import drop_control_characters, dropped_warning
from bulletin_ocr.stages import stage
from bulletin_ocr.structure import recognise
from bulletin_ocr.timeouts import page_deadline

if TYPE_CHECKING:
    from bulletin_ocr.inputs.pdf_raster import RenderedPage
    from bulletin_ocr.inputs.pdf_text import PdfPage

R = TypeVar("R")


# Said of a document whose pages hold no text once furniture is set aside (only page numbers,
# only blank space): its outputs are empty, which must not pass for a clean conversion.
NO_TEXT = "no text: the document holds no text once page numbers and blank space are set aside"

# PDF's implementation limit on a page side (ISO 32000-1, annex C): 14,400 units, 200 inches.
# Geometry beyond it is damage or a trick; the text is kept, with a warning.
PDF_MAX_PAGE_SIDE = 14_400.0


def build_document(
    pages: Sequence[Page], source: str, sha256: str, tables: Sequence[Table] = ()
) -> Document:
    """Recognise masthead, items and footer in the pages' lines."""
    stages.enter("structure")
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
        repairs=structure.repairs,
        explain=structure.explain,
        notes=structure.notes,
    )


def _set_aside(lines: Sequence[Line], pages: Sequence[Page]) -> None:
    """Move what the recogniser found to be furniture off the pages' text, keeping it."""
    by_number = {page.number: page for page in pages}
    for line in lines:
        page = by_number[line.page]
        page.lines.remove(line)
        page.furniture.append(line)


def document_from_text(
    text: str, source: str, sha256: str, warnings: Sequence[str] = ()
) -> Document:
    """A raw extraction: lines without geometry, widths estimated from their characters.

    ``warnings`` are what reading the file had to forgive (its encoding's).
    """
    pages = split_pages(text)
    measure_text_lines([line for page in pages for line in page.lines])
    document = build_document(pages, source, sha256)
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
    document = build_document(pages, source, sha256, tables)
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
    for (pdf_page, damage), rendering in prepared:
        page = pdf_page.page
        if _wants_ocr(page, options):
            stages.enter("ocr", page.number)
            with page_deadline(options.page_timeout, str(path), page.number):
                rendered = rendering.result()
                assert rendered is not None
                reason = pdf_page.verdict.reason if pdf_page.verdict else ""
                page = ocr_page(
                    rendered.pixels, rendered.dpi, page.number, options, source=str(path)
                )
            page.warnings[:0] = rendered.warnings
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
    for image in read_ahead(images) if options.read_ahead else images:
        stages.enter("ocr", image.number)
        with page_deadline(options.page_timeout, str(path), image.number):
            page = ocr_page(image.pixels, image.dpi, image.number, options, source=str(path))
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
    pixels: Any, dpi: float | None, number: int, options: ConvertOptions, source: str = "<image>"
) -> Page:
    """Preprocess one page image, recognise it, and lay its lines out like a PDF page's.

    ``source`` names the input in the errors a library raises on this page.
    """
    from bulletin_ocr.layout.ocr_lines import lines_from_ocr
    from bulletin_ocr.layout.style import find_rules
    from bulletin_ocr.ocr.ghosts import split_ghosts
    from bulletin_ocr.ocr.quality import doubtful_page, ink_share
    from bulletin_ocr.ocr.registry import geometry, get_engine
    from bulletin_ocr.preprocess import preprocess, unreadable_shape
    from bulletin_ocr.preprocess.binarize import to_gray

    shape_problem = unreadable_shape(pixels.shape)
    if shape_problem:
        return _unrecognised_page(pixels, number, f"page image is {shape_problem}")
    engine = get_engine(options.ocr)
    with stage("preprocessing", source, number):
        image, report = preprocess(pixels, dpi, options.preprocess)
    height, width = image.shape[:2]
    with stage("recognition", source, number):
        recognised, ghosts = split_ghosts(image, engine.recognise(image))
    doubt = doubtful_page(recognised, ink_share(to_gray(image)))
    rules = find_rules(image)
    boxes = geometry(options.ocr)
    lines, columns = lines_from_ocr(
        recognised, number, boxes, image=image, dividers=[b for b, _ in rules]
    )
    page = Page(
        number=number,
        width=float(width),
        height=float(height),
        unit="px",
        dpi=report.dpi,
        source="ocr",
        lines=lines,
        preprocessing=list(report.steps),
        warnings=[doubt] if doubt else [],
        transform=_transform(pixels.shape, image.shape, report),
        rules=[Rule(number, box, colour) for box, colour in rules],
        columns=list(columns),
    )
    if ghosts:
        # Kept as furniture (in JSON and TEI zones), out of the text: they print on the back.
        page.furniture += lines_from_ocr(ghosts, number, boxes, first_index=len(page.lines) + 1)[0]
        page.notes.append(f"{len(ghosts)} faint line(s) showing through from the back set aside")
    frame = BBox.union(line.bbox for line in page.lines if line.bbox is not None)
    measure_geometry_lines(
        page.lines, frame=frame or BBox(0.0, 0.0, float(width), float(height)), gutters=columns
    )
    return page


def _unrecognised_page(pixels: Any, number: int, problem: str) -> Page:
    """An OCR page left empty, saying why: the batch record then has status warning."""
    height, width = pixels.shape[:2]
    return Page(
        number=number,
        width=float(width),
        height=float(height),
        unit="px",
        source="ocr",
        warnings=[f"{problem}; not recognised"],
    )


def _transform(input_shape: Any, output_shape: Any, report: Any) -> ImageTransform:
    """The steps ``preprocess`` took from the input image to the recognised one."""
    input_height, input_width = input_shape[:2]
    height, width = output_shape[:2]
    # A quarter turn swaps the sides; the scaled (unturned) image had them the other way.
    if report.rotation in (90, 270):
        width, height = height, width
    return ImageTransform(
        input_width=int(input_width),
        input_height=int(input_height),
        scale_x=width / input_width,
        scale_y=height / input_height,
        rotation=report.rotation,
        skew=report.skew,
        input_dpi=report.dpi / report.scale if report.dpi else None,
    )


def _engines(pages: Sequence[Page], text_layer: list[str], options: ConvertOptions) -> list[str]:
    """What produced the text: the PDF reader if any page kept its layer, the OCR models if any
    page was recognised."""
    engines = list(text_layer) if any(page.source == "pdf" for page in pages) else []
    if any(page.source == "ocr" for page in pages):
        from bulletin_ocr.ocr.registry import get_engine

        engines += get_engine(options.ocr).describe()
    return engines
