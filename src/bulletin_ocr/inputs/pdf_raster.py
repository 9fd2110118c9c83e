"""PDF pages as images for OCR, rendered with pypdfium2 at the resolution their scans had."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DPI = 300.0
MIN_DPI, MAX_DPI = 150.0, 400.0
# An A3 page at 400 dpi is 31 megapixels; preprocessing scales anything over 40 down anyway,
# so rendering more only costs memory (a 200-inch page at 300 dpi would take 3.6 GB).
DEFAULT_MAX_PAGE_PIXELS = 40_000_000


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


@dataclass
class RenderedPage:
    pixels: Any
    """uint8 grayscale array."""
    dpi: float | None
    warnings: list[str] = field(default_factory=list)


def budget_scale(width: float, height: float, scale: float, max_pixels: int) -> float:
    """``scale`` (pixels per point), lowered so that the page fits in ``max_pixels``.

    >>> budget_scale(612, 792, 300 / 72, 40_000_000)  # Letter at 300 dpi: 8.4 MP, fits
    4.166666666666667
    >>> round(budget_scale(14400, 14400, 300 / 72, 40_000_000) * 72)  # 200 inches square
    32
    """
    if width * height * scale * scale <= max_pixels:
        return scale
    return math.sqrt(max_pixels / (width * height))


def render_page(
    source: Path | bytes,
    number: int,
    password: str | None = None,
    max_pixels: int = DEFAULT_MAX_PAGE_PIXELS,
) -> RenderedPage:
    """Page ``number`` (1-based) as a grayscale array, and its resolution in dpi.

    The resolution is None when the page claims a size no paper has: the pixels are then
    rendered at the scan's own resolution and the text size has to tell the real one. A page
    that would take more than ``max_pixels`` is rendered at a lower resolution, with a
    warning: a 200-inch page at 300 dpi is 3.6 gigapixels.
    """
    from bulletin_ocr.inputs.pdfium_lock import PDFIUM_LOCK

    with PDFIUM_LOCK:  # the main thread may be reading the next page's text with pdfium
        return _render(source, number, password, max_pixels)


def _render(
    source: Path | bytes, number: int, password: str | None, max_pixels: int
) -> RenderedPage:
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(
        source if isinstance(source, bytes) else str(source), password=password
    )
    try:
        page = document[number - 1]
        scale = native_scale(page)
        dpi: float | None
        if not plausible_paper(page) and scale is not None:
            dpi = None
        else:
            dpi = DEFAULT_DPI if scale is None else min(MAX_DPI, max(MIN_DPI, round(scale * 72)))
            scale = dpi / 72
        width, height = page.get_size()
        warnings = []
        fitted = budget_scale(width, height, scale, max_pixels)
        if fitted < scale:
            warnings.append(
                f"page of {width / 72:.0f}x{height / 72:.0f} in rendered at "
                f"{fitted * 72:.0f} dpi instead of {scale * 72:.0f} to stay within "
                f"{max_pixels:,} pixels"
            )
            dpi = None if dpi is None else fitted * 72
            scale = fitted
        bitmap = page.render(scale=scale, grayscale=True)
        pixels = np.array(bitmap.to_numpy(), copy=True)
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        page.close()
        return RenderedPage(pixels, dpi, warnings)
    finally:
        document.close()
