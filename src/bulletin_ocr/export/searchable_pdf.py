"""Searchable PDF (``x.ocr.pdf``): the input's page images under an invisible text layer.

reportlab draws the text layer (invisible text, render mode 3, in an embedded subset of a CJK
TrueType font, so every viewer and ``pdftotext`` can map it back to Unicode); pikepdf lays it
over the input PDF's recognised pages and leaves born-digital pages exactly as they were. An
image input becomes one page per frame at its own resolution. The result is a plain PDF, not
PDF/A (see the README).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.export.context import ExportContext
from bulletin_ocr.export.coords import PageGeometry, Point, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.export.regions import line_text
from bulletin_ocr.model import Document, Line, Page

# TrueType (not CFF) CJK fonts, which reportlab can subset and embed; the glyphs are never
# seen, only their Unicode mapping matters. Debian: fonts-arphic-uming.
CJK_FONTS = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_NAME = "BulletinOcrText"
# Where the baseline sits in a line box, and how much of the box the type fills (CJK faces
# fill most of the em square; the detector's box adds a margin around the glyphs).
BASELINE_SHARE, SIZE_SHARE = 0.82, 0.8
POINTS_PER_INCH = 72.0
DEFAULT_IMAGE_DPI = 300.0


def render_searchable_pdf(doc: Document, context: ExportContext) -> bytes:
    """The searchable PDF of ``doc``, made from the input file named in ``context``."""
    pages = require_geometry(doc, "searchable PDF")
    path = context.input_path
    if path is None:
        raise ValueError("the searchable PDF needs the input file (ExportContext.input_path)")
    font = _register_font()
    if path.suffix.lower() == ".pdf":
        return _overlay_pdf(path, pages, font, context.password)
    return _image_pdf(path, pages, font)


def _overlay_pdf(
    path: Path, pages: Sequence[tuple[Page, PageGeometry]], font: str, password: str | None
) -> bytes:
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    from bulletin_ocr.inputs.pdf_repair import open_qpdf

    recognised = [(page, geometry) for page, geometry in pages if page.source == "ocr"]
    with open_qpdf(path, password, "qpdf cannot read to make the searchable PDF") as pdf:
        if recognised:
            buffer = io.BytesIO()
            canvas = Canvas(buffer, invariant=True)
            for page, geometry in recognised:
                box = pdf.pages[page.number - 1].mediabox
                width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
                canvas.setPageSize((width, height))
                _text_layer(canvas, page, geometry, width / geometry.width, height, font)
                canvas.showPage()
            canvas.save()
            with pikepdf.open(io.BytesIO(buffer.getvalue())) as layer:
                for index, (page, _) in enumerate(recognised):
                    pdf.pages[page.number - 1].add_overlay(layer.pages[index])
        pdf.docinfo["/Producer"] = f"{SOFTWARE} {software_version()} (pikepdf, reportlab)"
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _image_pdf(path: Path, pages: Sequence[tuple[Page, PageGeometry]], font: str) -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setProducer(f"{SOFTWARE} {software_version()} (reportlab)")
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
            _text_layer(canvas, page, geometry, scale, height, font)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _text_layer(
    canvas: Any, page: Page, geometry: PageGeometry, scale: float, height: float, font: str
) -> None:
    """Invisible text on every line of ``page``, along the line as it leans on the input."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for line in page.lines + page.furniture:
        placed = _line_frame(line, geometry)
        text = line_text(line)
        if placed is None or not text:
            continue
        (x, y), length, thickness, angle = placed
        size = max(1.0, thickness * scale * SIZE_SHARE)
        natural = stringWidth(text, font, size)
        if natural <= 0:
            continue
        text_object = canvas.beginText()
        text_object.setTextRenderMode(3)  # invisible: neither filled nor stroked
        text_object.setFont(font, size)
        text_object.setHorizScale(100 * length * scale / natural)
        # The baseline starts below the top-left corner, along the normal of the leaning line;
        # in PDF space y grows upwards, so the lean flips sign.
        base_x = x - math.sin(angle) * thickness * BASELINE_SHARE
        base_y = y + math.cos(angle) * thickness * BASELINE_SHARE
        cos, sin = math.cos(-angle), math.sin(-angle)
        text_object.setTextTransform(cos, sin, -sin, cos, base_x * scale, height - base_y * scale)
        text_object.textOut(text)
        canvas.drawText(text_object)


def _line_frame(line: Line, geometry: PageGeometry) -> tuple[Point, float, float, float] | None:
    """Top-left corner, length, thickness and lean (radians, clockwise) of the line's box."""
    polygon = geometry.polygon(line)
    if not polygon or len(polygon) < 4:
        return None
    xs = [x for x, _ in polygon]
    ys = [y for _, y in polygon]
    if len(polygon) != 4:
        polygon = [(min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))]
    (x0, y0), (x1, y1), _, (x3, y3) = polygon
    length = math.hypot(x1 - x0, y1 - y0)
    thickness = math.hypot(x3 - x0, y3 - y0)
    if length <= 0 or thickness <= 0:
        return None
    return (x0, y0), length, thickness, math.atan2(y1 - y0, x1 - x0)


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for candidate in CJK_FONTS:
        if Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate, subfontIndex=0))
            return FONT_NAME
    raise MissingDependencyError(
        "searchable PDF",
        "no CJK TrueType font for the text layer; install one, e.g. "
        "sudo apt-get install fonts-arphic-uming",
    )
