"""Export stage: render a Document in each output format and write the files atomically."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.export.context import ExportContext, image_urls
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document

__all__ = [
    "FORMATS", "ExportContext", "Exporter", "render_json", "render_tei", "render_text",
    "write_outputs",
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


def _text(doc: Document, _context: ExportContext) -> bytes:
    return render_text(doc).encode("utf-8")


def _json(doc: Document, _context: ExportContext) -> bytes:
    return render_json(doc)


def _tei(doc: Document, context: ExportContext) -> bytes:
    return render_tei(doc, image_urls(doc, context))


def _alto(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.alto import render_alto

    return render_alto(doc, image_urls(doc, context))


def _page_xml(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.pagexml import render_page_xml

    pages = render_page_xml(doc, image_urls(doc, context))
    return pages[min(pages)]


def _page_xml_later_pages(doc: Document, context: ExportContext) -> dict[str, bytes]:
    """PAGE holds one page per file: pages after the first go to ``<stem>.page-<n>.xml``."""
    from bulletin_ocr.export.pagexml import render_page_xml

    pages = render_page_xml(doc, image_urls(doc, context))
    first = min(pages)
    return {f".page-{n}.xml": data for n, data in pages.items() if n != first}


def _hocr(doc: Document, context: ExportContext) -> bytes:
    from bulletin_ocr.export.hocr import render_hocr

    return render_hocr(doc, image_urls(doc, context))


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
        Exporter("alto", ".alto.xml", _alto),
        Exporter("page", ".page.xml", _page_xml, _page_xml_later_pages),
        Exporter("hocr", ".hocr", _hocr),
        # Never the input's own name: ``x.pdf`` converted beside itself must survive.
        Exporter("pdf", ".ocr.pdf", _pdf),
        Exporter("html", ".html", _html),
    )
}


def write_outputs(
    doc: Document,
    outdir: Path,
    stem: str,
    formats: Sequence[str],
    context: ExportContext | None = None,
) -> list[Path]:
    """Write ``outdir/<stem><suffix>`` for each format, in the order given; return the paths.

    ``context`` names the input file (the PDF, HTML and page-image outputs read its pixels).
    Everything is rendered before anything is written, so a rendering error leaves no partial set
    of files, and each file appears whole or not at all.
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    context = context or ExportContext(outdir=outdir, stem=stem)
    rendered: list[tuple[str, bytes]] = []
    for name in dict.fromkeys(formats):
        exporter = FORMATS[name]
        rendered.append((exporter.suffix, exporter.render(doc, context)))
        if exporter.extras is not None:
            rendered += exporter.extras(doc, context).items()
    if context.page_images:
        from bulletin_ocr.export.page_images import page_image_files

        files = page_image_files(doc, context)
        rendered += [(name.removeprefix(stem), data) for name, data in files.items()]
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, data in rendered:
        path = outdir / f"{stem}{suffix}"
        _write_atomically(path, data)
        paths.append(path)
    return paths


# Where a file is written before it is renamed into place; a killed run can leave these.
TEMPORARY_NAME = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def remove_stale_temporaries(outdir: Path) -> int:
    """Delete half-written files an interrupted run left behind; return how many."""
    removed = 0
    if outdir.is_dir():
        for path in outdir.rglob(".*.tmp"):
            if TEMPORARY_NAME.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _write_atomically(path: Path, data: bytes) -> None:
    # A reader (or a crash) must never see half a file; os.replace is atomic within a directory.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open honours the umask, unlike tempfile, whose 0600 would stick to the final file.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
