"""Page images in the pixels the exported coordinates use: the input image, or the PDF page
rendered at the resolution its boxes were mapped to."""

from __future__ import annotations

import io
from typing import Any

from bulletin_ocr.export.context import ExportContext, image_urls, page_image_name
from bulletin_ocr.export.coords import render_scale
from bulletin_ocr.model import Document, Page


def load_page_image(context: ExportContext, page: Page, width: int | None = None) -> Any:
    """The page as a Pillow image whose size matches ``page_geometry(page, pixels=True)``.

    ``width`` asks for a preview about that wide instead (no wider than the full image),
    which is much quicker to render or decode.
    """
    from PIL import Image

    from bulletin_ocr.inputs.image import WIDE_MODES, to_eight_bits

    path = context.input_path
    if path is None:
        raise ValueError("page images need the input file (ExportContext.input_path)")
    if path.suffix.lower() != ".pdf":
        with Image.open(path) as image:
            image.seek(page.number - 1)
            if width is not None and width < image.width:
                # JPEG decodes straight to a smaller scale; other formats ignore this.
                image.draft(image.mode, (width, round(image.height * width / image.width)))
            if image.mode in WIDE_MODES:
                # As recognition read it: convert() would clip 16-bit samples to a white page,
                # and RGB would triple a 119-megapixel page's memory.
                return Image.fromarray(to_eight_bits(image))
            return image.convert("RGB" if image.mode not in ("L", "1") else "L")
    if width is not None:
        return _render_pdf_page(context, page, width)
    if page.transform is not None:
        from bulletin_ocr.inputs.pdf_raster import render_page
        from bulletin_ocr.inputs.pdf_repair import readable_pdf

        # The copy qpdf repaired when PDFium cannot read the file, as the OCR stage read it.
        source, password = readable_pdf(path, context.password)
        return Image.fromarray(render_page(source, page.number, password).pixels)
    return _render_pdf_page(context, page, None)


def _render_pdf_page(context: ExportContext, page: Page, width: int | None) -> Any:
    """A PDF page rendered as its exported coordinates measure it (``render_scale``: 300 dpi
    within the pixel budget), or at the scale that makes it ``width`` pixels wide."""
    import pypdfium2 as pdfium

    from bulletin_ocr.inputs.pdf_repair import readable_pdf

    assert context.input_path is not None
    document = pdfium.PdfDocument(*readable_pdf(context.input_path, context.password))
    try:
        pdf_page = document[page.number - 1]
        # The scale its exported coordinates use (a text-layer page always has a size).
        size = page.width or pdf_page.get_width(), page.height or pdf_page.get_height()
        scale = render_scale(*size)
        if width is not None:
            scale = min(scale, width / pdf_page.get_width())
        return pdf_page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def page_image_files(doc: Document, context: ExportContext) -> dict[str, bytes]:
    """PNG files for the pages whose image only exists inside the input (``--page-images``)."""
    if not context.page_images:
        return {}
    wanted = {
        number: name
        for number, name in image_urls(doc, context).items()
        if name == page_image_name(context.stem, number)
    }
    files = {}
    for page in doc.pages:
        if page.number in wanted:
            buffer = io.BytesIO()
            load_page_image(context, page).save(buffer, format="PNG", optimize=False)
            files[wanted[page.number]] = buffer.getvalue()
    return files
