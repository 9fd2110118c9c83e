"""What an exporter may need besides the Document: where the input and the outputs are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bulletin_ocr.model import Document


@dataclass(frozen=True)
class ExportContext:
    """The input file and the output folder of one conversion (both optional).

    The page formats name the image each page's coordinates are measured on; the searchable
    PDF and the proof view need the input's pixels.
    """

    input_path: Path | None = None
    outdir: Path | None = None
    stem: str = "document"
    page_images: bool = False
    """Write each PDF page as a PNG beside the outputs (``<stem>.page-<n>.png``)."""
    password: str | None = None
    pdf_type: Literal["pdfa", "pdf"] = "pdfa"
    """The searchable PDF's kind: PDF/A-2b when it passes the checks, or a plain PDF."""


def page_image_name(stem: str, number: int) -> str:
    return f"{stem}.page-{number}.png"


def image_urls(doc: Document, context: ExportContext) -> dict[int, str]:
    """For each page, the URL (relative to the outputs) of the image its coordinates fit."""
    urls: dict[int, str] = {}
    is_pdf = context.input_path is not None and context.input_path.suffix.lower() == ".pdf"
    for page in doc.pages:
        if page.source == "text":
            continue
        if is_pdf or len(doc.pages) > 1:
            # A PDF page, or a frame of a multi-page TIFF, is only addressable as its own file.
            if context.page_images:
                urls[page.number] = page_image_name(context.stem, page.number)
        elif context.input_path is not None:
            urls[page.number] = _relative(context.input_path, context.outdir)
    return urls


def image_uris(doc: Document, context: ExportContext) -> dict[int, str]:
    """``image_urls`` as URI references, for the XML formats (TEI ``graphic/@url`` is one)."""
    return {number: uri_reference(url) for number, url in image_urls(doc, context).items()}


def uri_reference(path: str) -> str:
    """A relative path as a URI reference: bytes that are not UTF-8, controls, invisible and
    reserved characters (``[ ] # ? %``, space) percent-encoded; Chinese and other letters kept
    (an IRI, which XML's anyURI allows).

    >>> uri_reference("br[a]\\nx 1.png"), uri_reference(os.fsdecode(b"\\xc7\\xe0.png"))
    ('br%5Ba%5D%0Ax%201.png', '%C7%E0.png')
    >>> uri_reference("sub/青川 #1.tif")
    'sub/青川%20%231.tif'
    """
    import unicodedata
    from urllib.parse import quote

    out = []
    for char in path:
        if "\udc80" <= char <= "\udcff":  # a byte os.fsdecode could not decode
            out.append(f"%{ord(char) - 0xDC00:02X}")
        elif char.isascii() or unicodedata.category(char)[0] in "CZ":
            out.append(quote(char, safe="/"))
        else:
            out.append(char)
    return "".join(out)


def _relative(path: Path, outdir: Path | None) -> str:
    if outdir is None:
        return path.name
    return Path(os.path.relpath(path.resolve(), outdir.resolve())).as_posix()
