"""Export stage: render a Document in each output format and write the files atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.export.context import ExportContext, image_uris
from bulletin_ocr.export.files import write_file_set
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document

__all__ = [
    "FORMATS", "ExportContext", "Exporter", "render_json", "render_outputs", "render_tei",
    "render_text", "write_outputs",
]  # fmt: skip

Render = Callable[[Document, ExportContext], bytes]
Extras = Callable[[Document, ExportContext], dict[str, bytes]]


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    render: Render
    """The main file, ``<stem><suffix>``."""
    extras: Extras | None = None
    """Further files, by the suffix that follows ``<stem>`` (e.g. PAGE XML's later pages)."""
    needs_geometry: bool = False
    """Only for pages with geometry (PDFs, images): raw text has nothing to place."""


def _text(doc: Document, _context: ExportContext) -> bytes:
    return render_text(doc).encode("utf-8")


def _json(doc: Document, _context: ExportContext) -> bytes:
    return render_json(doc)


def _tei(doc: Document, context: ExportContext) -> bytes:
    return render_tei(doc, image_uris(doc, context))


def _alto(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.alto import render_alto

    return render_alto(doc, image_uris(doc, context))


def _page_xml(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.pagexml import render_page_xml

    pages = render_page_xml(doc, image_uris(doc, context))
    return pages[min(pages)]


def _page_xml_later_pages(doc: Document, context: ExportContext) -> dict[str, bytes]:
    """PAGE holds one page per file: pages after the first go to ``<stem>.page-<n>.xml``."""
    from bulletin_ocr.export.pagexml import render_page_xml

    pages = render_page_xml(doc, image_uris(doc, context))
    first = min(pages)
    return {f".page-{n}.xml": data for n, data in pages.items() if n != first}


def _hocr(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.hocr import render_hocr

    return render_hocr(doc, image_uris(doc, context))


def _pdf(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.searchable_pdf import render_searchable_pdf

    return render_searchable_pdf(doc, context)


def _html(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.proof_html import render_proof_html

    return render_proof_html(doc, context)


FORMATS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("txt", ".txt", _text),
        Exporter("tei", ".tei.xml", _tei),
        Exporter("json", ".json", _json),
        Exporter("alto", ".alto.xml", _alto, needs_geometry=True),
        Exporter("page", ".page.xml", _page_xml, _page_xml_later_pages, needs_geometry=True),
        Exporter("hocr", ".hocr", _hocr, needs_geometry=True),
        # Never the input's own name: ``x.pdf`` converted beside itself must survive.
        Exporter("pdf", ".ocr.pdf", _pdf, needs_geometry=True),
        Exporter("html", ".html", _html, needs_geometry=True),
    )
}


def render_outputs(
    doc: Document, stem: str, formats: Sequence[str], context: ExportContext | None = None
) -> dict[str, bytes]:
    """Every file the formats make, by name (``<stem><suffix>``), in the order given.

    Raises ValueError, before rendering anything, when a format is unknown.
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    context = context or ExportContext(stem=stem)
    rendered: dict[str, bytes] = {}
    # The searchable PDF is rendered first: its warnings (active content removed, not PDF/A)
    # join the document's before the JSON says what they are.
    early = {"pdf": FORMATS["pdf"].render(doc, context)} if "pdf" in formats else {}
    for name in dict.fromkeys(formats):
        exporter = FORMATS[name]
        data = early.get(name)
        rendered[stem + exporter.suffix] = exporter.render(doc, context) if data is None else data
        if exporter.extras is not None:
            extras = exporter.extras(doc, context)
            rendered.update((stem + suffix, data) for suffix, data in extras.items())
    if context.page_images:
        from bulletin_ocr.export.page_images import page_image_files

        rendered.update(page_image_files(doc, context))
    return rendered


def write_outputs(
    doc: Document,
    outdir: Path,
    stem: str,
    formats: Sequence[str],
    context: ExportContext | None = None,
    staging: Path | None = None,
) -> list[Path]:
    """Write ``outdir/<stem><suffix>`` for each format, in the order given; return the paths.

    ``context`` names the input file (the PDF, HTML and page-image outputs read its pixels).
    Everything is rendered before anything is written, and the files are installed as a set
    (see ``write_file_set``): a rendering error or a full disk leaves no partial set.
    """
    context = context or ExportContext(outdir=outdir, stem=stem)
    rendered = render_outputs(doc, stem, formats, context)
    outdir.mkdir(parents=True, exist_ok=True)
    return write_file_set(outdir, rendered, staging)
