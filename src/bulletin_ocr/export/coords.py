"""Page coordinates as every exporter writes them: in the pixels of the image the user supplied.

Inside the pipeline, OCR boxes are in the image preprocessing made (resampled, turned upright,
deskewed), because layout measures pixels there. Exporters map them back here, so that TEI
zones, JSON lines, ALTO, PAGE, hOCR, the searchable PDF and the proof view all overlay the
input image. PDF text-layer pages keep PDF points, or pixels of the page rendered at
``RENDER_DPI`` for the formats that only know pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bulletin_ocr.errors import UnsupportedInputError
from bulletin_ocr.model import BBox, Document, ImageTransform, Line, Page

Point = tuple[float, float]

RENDER_DPI = 300.0
"""Resolution at which PDF text-layer pages are rendered for pixel-only formats and page images."""
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageGeometry:
    """One page's coordinate space as exported: its size, unit, and the map into it."""

    width: float
    height: float
    unit: str
    """``px`` (pixels of the input image, or of the rendered PDF page) or ``pt`` (PDF points)."""
    dpi: float | None
    space: str
    """In words, what the coordinates are measured on (stated in the JSON)."""
    transform: ImageTransform | None = None
    factor: float = 1.0
    """Multiplier from the page's own unit (points) into this space (pixels), for PDF pages."""

    def point(self, x: float, y: float) -> Point:
        if self.transform is not None:
            x, y = to_input(self.transform, x, y)
        x, y = x * self.factor, y * self.factor
        # Deskewing uncovers corners outside the input; nothing exported may point there.
        return min(max(x, 0.0), self.width), min(max(y, 0.0), self.height)

    def polygon(self, line: Line) -> list[Point] | None:
        """The line's outline in this space: its recognised polygon, else its box's corners."""
        if line.polygon:
            return [self.point(x, y) for x, y in line.polygon]
        if line.bbox is None:
            return None
        return [self.point(x, y) for x, y in corners(line.bbox)]

    def box(self, bbox: BBox | None) -> BBox | None:
        """The upright box around ``bbox`` once mapped (a deskewed box leans in the input)."""
        if bbox is None:
            return None
        return bounds([self.point(x, y) for x, y in corners(bbox)])

    def line_box(self, line: Line) -> BBox | None:
        polygon = self.polygon(line)
        return bounds(polygon) if polygon else None


def render_scale(width: float, height: float) -> float:
    """Pixels per point at which a PDF text-layer page is rendered (page images) and measured
    (pixel formats): ``RENDER_DPI``, lowered for a page so large that it would pass the pixel
    budget the OCR path keeps to (a 200-inch page at 300 dpi is 3.6 gigapixels).

    >>> round(render_scale(612, 792) * 72)
    300
    >>> round(render_scale(14400, 14400) * 72)
    32
    """
    from bulletin_ocr.inputs.pdf_raster import DEFAULT_MAX_PAGE_PIXELS, budget_scale

    scale = RENDER_DPI / POINTS_PER_INCH
    fitted = budget_scale(width, height, scale, DEFAULT_MAX_PAGE_PIXELS)
    # A hair under the budget's scale: the sizes rounded up must stay within it too.
    return scale if fitted >= scale else fitted * 0.999


def page_geometry(page: Page, pixels: bool = False) -> PageGeometry | None:
    """How ``page``'s coordinates are exported; None for pages without geometry (raw text).

    ``pixels`` asks for a pixel space even for PDF text-layer pages (ALTO, PAGE, hOCR).
    """
    if page.transform is not None:
        transform = page.transform
        return PageGeometry(
            width=float(transform.input_width),
            height=float(transform.input_height),
            unit="px",
            dpi=transform.input_dpi,
            space="pixels of the input image" if page.source == "ocr" else "pixels",
            transform=transform,
        )
    if page.width is None or page.height is None:
        return None
    if page.unit == "pt" and pixels:
        factor = render_scale(page.width, page.height)
        dpi = round(factor * POINTS_PER_INCH, 3)
        return PageGeometry(
            width=round(page.width * factor),
            height=round(page.height * factor),
            unit="px",
            dpi=dpi,
            space=f"pixels of the PDF page rendered at {dpi:g} dpi",
            factor=factor,
        )
    space = "PDF points from the top-left corner" if page.unit == "pt" else "pixels"
    return PageGeometry(page.width, page.height, page.unit or "px", page.dpi, space)


def to_input(transform: ImageTransform, x: float, y: float) -> Point:
    """A point of the preprocessed image, in the input image's pixels.

    Undoes, in reverse order, the deskew (about the centre of the turned image), the quarter
    turn and the resampling.

    >>> to_input(ImageTransform(100, 50, scale_x=2.0, scale_y=2.0, rotation=90), 10.0, 30.0)
    (85.0, 5.0)
    """
    scaled_width = transform.input_width * transform.scale_x
    scaled_height = transform.input_height * transform.scale_y
    turned = transform.rotation % 180 == 90
    width, height = (scaled_height, scaled_width) if turned else (scaled_width, scaled_height)
    if transform.skew:
        # deskew turned the image by -skew degrees with OpenCV's matrix; this is its inverse.
        cx, cy = width / 2, height / 2
        theta = math.radians(transform.skew)
        cos, sin = math.cos(theta), math.sin(theta)
        dx, dy = x - cx, y - cy
        x, y = cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy
    # The input was turned clockwise by ``rotation``; preprocessing turned it back.
    if transform.rotation == 90:
        x, y = scaled_width - y, x
    elif transform.rotation == 180:
        x, y = scaled_width - x, scaled_height - y
    elif transform.rotation == 270:
        x, y = y, scaled_height - x
    return x / transform.scale_x, y / transform.scale_y


def bounds(points: Sequence[Point]) -> BBox:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return BBox(min(xs), min(ys), max(xs), max(ys))


def corners(bbox: BBox) -> list[Point]:
    return [
        (bbox.x0, bbox.top), (bbox.x1, bbox.top), (bbox.x1, bbox.bottom), (bbox.x0, bbox.bottom)
    ]


class NoGeometryError(UnsupportedInputError):
    """A page format was asked of a document whose lines have no place on a page."""


def require_geometry(doc: Document, format_name: str) -> list[tuple[Page, PageGeometry]]:
    """Each page with its pixel geometry; refuse documents that have none (raw text).

    Raw text carries no positions, and inventing some would mislead every viewer that lays
    the file over a scan, so the page formats refuse it instead.
    """
    pages = [(page, page_geometry(page, pixels=True)) for page in doc.pages]
    placed = [(page, geometry) for page, geometry in pages if geometry is not None]
    if not placed:
        raise NoGeometryError(
            doc.source,
            f"no page geometry (raw text), so no {format_name} output: the page formats "
            "(alto, page, hocr, pdf, html) need a PDF or an image; use --to txt,tei,json",
        )
    return placed
