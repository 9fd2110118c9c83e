"""PDF pages as images for OCR, rendered with pypdfium2 at the resolution their scans had."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

DEFAULT_DPI = 300.0
MIN_DPI, MAX_DPI = 150.0, 400.0


def native_scale(page: Any) -> float | None:
    """Pixels per point of the page's embedded images (the scan's own resolution), if any.

    A scanned page is one image (or a stack of strips) across the page; rendering at its
    own resolution keeps every pixel the scanner captured without inventing more.
    """
    import pypdfium2.raw as pdfium_c

    scales = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, _, right, _ = obj.get_bounds()
        pixel_width, _ = obj.get_px_size()
        if right - left > 72 and pixel_width:
            scales.append(pixel_width / (right - left))
    return statistics.median(scales) if scales else None


def plausible_paper(page: Any) -> bool:
    """Whether the page size is a real sheet: scans are often wrapped in 96-dpi page sizes."""
    width, height = page.get_size()
    return bool(max(width, height) / 72 <= 17.5)  # A3 and tabloid still count


def render_page(
    path: Path, number: int, password: str | None = None
) -> tuple[Any, float | None]:
    """Page ``number`` (1-based) as a grayscale array, and its resolution in dpi.

    The resolution is None when the page claims a size no paper has: the pixels are then
    rendered at the scan's own resolution and the text size has to tell the real one.
    """
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path), password=password)
    try:
        page = document[number - 1]
        scale = native_scale(page)
        dpi: float | None
        if not plausible_paper(page) and scale is not None:
            dpi = None
        else:
            dpi = DEFAULT_DPI if scale is None else min(MAX_DPI, max(MIN_DPI, round(scale * 72)))
            scale = dpi / 72
        bitmap = page.render(scale=scale, grayscale=True)
        pixels = np.array(bitmap.to_numpy(), copy=True)
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        page.close()
        return pixels, dpi
    finally:
        document.close()
