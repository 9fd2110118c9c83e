"""Runs the document-level stages on pages of lines: layout, repair, structure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bulletin_ocr.inputs.text import split_pages
from bulletin_ocr.layout.blocks import Block, segment_around_tables
from bulletin_ocr.layout.furniture import set_aside_furniture
from bulletin_ocr.layout.measure import measure_geometry_lines, measure_text_lines
from bulletin_ocr.model import Document, Page, Table
from bulletin_ocr.structure.cues import RULE_LINE
from bulletin_ocr.structure.items import assemble


def build_document(
    pages: Sequence[Page], source: str, sha256: str, tables: Sequence[Table] = ()
) -> Document:
    """Segment the pages' lines into blocks and assemble masthead, items and footer."""
    lines = [line for page in pages if not page.needs_ocr for line in page.lines]
    blocks = segment_around_tables(lines, tables)
    _set_aside_rules(blocks, pages)
    structure = assemble(blocks)
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
    )


def _set_aside_rules(blocks: Sequence[Block], pages: Sequence[Page]) -> None:
    """Decorative rules under a masthead are furniture: kept on their page, not in the text."""
    by_number = {page.number: page for page in pages}
    for block in blocks:
        if block.kind != "masthead":
            continue
        for line in block.lines:
            if RULE_LINE.match(line.text):
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


def document_from_pdf(
    path: Path, source: str, sha256: str, password: str | None = None
) -> Document:
    """A born-digital PDF: its text layer with real geometry, page by page."""
    from bulletin_ocr.inputs.pdf_text import read_pdf

    pages: list[Page] = []
    tables: list[Table] = []
    for pdf_page in read_pdf(path, password):
        measure_geometry_lines(pdf_page.page.lines, pdf_page.figures, pdf_page.text_frame())
        pages.append(pdf_page.page)
        tables.extend(pdf_page.tables)
    set_aside_furniture(pages)
    document = build_document(pages, source, sha256, tables)
    document.engine = [f"pdfplumber {_version('pdfplumber')}"]
    return document


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
