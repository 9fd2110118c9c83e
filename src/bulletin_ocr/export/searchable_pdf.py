"""Searchable PDF (``x.ocr.pdf``): the input's page images under an invisible text layer.

reportlab draws the text layer (``pdf_text_layer``); pikepdf lays it over the input PDF's
recognised pages, after taking their old text off (``pdf_sanitise``), and leaves trusted
born-digital pages' content exactly as it was. An image input becomes one page per frame at
its own resolution. Active content (JavaScript, launch actions, embedded files) is removed
with a warning, and the file is PDF/A-2b (``pdfa``) unless asked for a plain PDF or unless
it fails the PDF/A checks, which a warning then names.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulletin_ocr.export.context import ExportContext
from bulletin_ocr.export.coords import PageGeometry, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.export.pdf_text_layer import TextFonts, draw_text_layer, register_fonts
from bulletin_ocr.model import Document, Page

POINTS_PER_INCH = 72.0
DEFAULT_IMAGE_DPI = 300.0


def render_searchable_pdf(doc: Document, context: ExportContext) -> bytes:
    """The searchable PDF of ``doc``, made from the input file named in ``context``.

    What had to be removed, and why the file is not PDF/A when it was asked to be, are
    added to ``doc.warnings``.
    """
    import pikepdf

    from bulletin_ocr.export.pdf_sanitise import remove_active_content

    pages = require_geometry(doc, "searchable PDF")
    path = context.input_path
    if path is None:
        raise ValueError("the searchable PDF needs the input file (ExportContext.input_path)")
    fonts = register_fonts()
    if path.suffix.lower() == ".pdf":
        pdf = _overlay_pdf(path, pages, fonts, context.password)
    else:
        pdf = pikepdf.open(io.BytesIO(_image_pdf(path, pages, fonts)))
        _unwrap_jpegs(pdf)
        # reportlab's placeholders ("untitled", "anonymous", "unspecified") say nothing.
        for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
    with pdf:
        removed = remove_active_content(pdf)
        if removed:
            _warn(doc, f"removed from the searchable PDF: {'; '.join(removed)}")
        pdf.docinfo["/Producer"] = f"{SOFTWARE} {software_version()} (pikepdf, reportlab)"
        if context.pdf_type == "pdfa":
            data, problems = _save_pdfa(pdf, doc, fonts, [page for page, _ in pages])
            if data is not None:
                return data
            why = "; ".join(problems)
            _warn(doc, f"searchable PDF written as a plain PDF, not PDF/A-2b: {why}")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, min_version="1.4")
    return out.getvalue()


def _warn(doc: Document, warning: str) -> None:
    """Add ``warning`` once, however often the PDF is rendered."""
    if warning not in doc.warnings:
        doc.warnings.append(warning)


def _overlay_pdf(
    path: Path, pages: Sequence[tuple[Page, PageGeometry]], fonts: TextFonts, password: str | None
) -> Any:
    """The input PDF, open, with its recognised pages' old text replaced by the new layer."""
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    from bulletin_ocr.export.pdf_sanitise import silence_old_text
    from bulletin_ocr.inputs.pdf_repair import open_qpdf

    recognised = [(page, geometry) for page, geometry in pages if page.source == "ocr"]
    with open_qpdf(path, password, "qpdf cannot read to make the searchable PDF") as opened:
        # open_qpdf closes its file on exit; a copy in memory outlives it.
        buffer = io.BytesIO()
        opened.save(buffer)
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    if not recognised:
        return pdf
    layer_buffer = io.BytesIO()
    canvas = Canvas(layer_buffer, invariant=True, initialFontName=fonts.names[0])
    for page, geometry in recognised:
        width, height = _shown_size(pdf.pages[page.number - 1])
        canvas.setPageSize((width, height))
        draw_text_layer(canvas, page, geometry, width / geometry.width, height, fonts)
        canvas.showPage()
    canvas.save()
    layer = pikepdf.open(io.BytesIO(layer_buffer.getvalue()))
    for index, (page, _) in enumerate(recognised):
        target = pdf.pages[page.number - 1]
        silence_old_text(pdf, target)
        # Placed on the crop box (what is rendered, hence recognised), turned back by the
        # page's /Rotate: qpdf inverts the page's own transformations for the overlay.
        target.add_overlay(layer.pages[index], pikepdf.Rectangle(target.cropbox))
    return pdf


def _shown_size(page: Any) -> tuple[float, float]:
    """Width and height of the page as shown: its crop box, turned by its /Rotate."""
    box = page.cropbox
    width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
    turned = int(page.obj.get("/Rotate", 0)) % 180 == 90
    return (height, width) if turned else (width, height)


def _image_pdf(path: Path, pages: Sequence[tuple[Page, PageGeometry]], fonts: TextFonts) -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, initialFontName=fonts.names[0])
    with Image.open(path) as image:
        for page, geometry in pages:
            image.seek(page.number - 1)
            scale = POINTS_PER_INCH / (geometry.dpi or DEFAULT_IMAGE_DPI)
            width, height = geometry.width * scale, geometry.height * scale
            canvas.setPageSize((width, height))
            # A JPEG file goes in as it is (no re-encoding); other images losslessly.
            single_jpeg = image.format == "JPEG"
            source: Any = str(path) if single_jpeg else ImageReader(image.copy())
            canvas.drawImage(source, 0, 0, width, height)
            draw_text_layer(canvas, page, geometry, scale, height, fonts)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _unwrap_jpegs(pdf: Any) -> None:
    """reportlab wraps a JPEG in ASCII85; unwrapped, the image stream is the JPEG file itself
    (a quarter smaller, and the same bytes as the input)."""
    import pikepdf

    for page in pdf.pages:
        for image in page.get_images().values():
            if list(image.get("/Filter", [])) == ["/ASCII85Decode", "/DCTDecode"]:
                encoded = image.read_raw_bytes().strip().removesuffix(b"~>")
                image.write(base64.a85decode(encoded), filter=pikepdf.Name.DCTDecode)


def _save_pdfa(
    pdf: Any, doc: Document, fonts: TextFonts, pages: Sequence[Page]
) -> tuple[bytes | None, list[str]]:
    """``pdf`` as validated PDF/A-2b bytes, or None and why not."""
    from bulletin_ocr.export.pdfa import save_pdfa

    unmapped = fonts.missing(pages)
    if unmapped:
        return None, [f"the text fonts have no glyph for {''.join(unmapped[:10])}"]
    return save_pdfa(pdf, doc)
