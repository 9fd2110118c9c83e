"""What a PDF character reader hands the layout stage for one page: glyphs, images, drawings,
and the page's size and visible box. Both readers (pdfplumber, pdfium) fill the same shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from bulletin_ocr.inputs.pdf_open import PdfFile
from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.model import BBox

RULE_WIDTH = 2.0  # points: drawn boxes thinner than this are rules, not shapes
BOLD_NAMES = re.compile(r"bold|black|heavy|demi|semibold|黑|粗|hei", re.IGNORECASE)
STROKED_MODES = (1, 2, 5, 6)
"""Text render modes that stroke the glyphs' outlines: with a line width, faux bold."""


@dataclass
class PageLayout:
    """What one pass over a page's objects tells us about it."""

    glyphs: list[Glyph] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    text_area: float = 0.0
    sideways: int = 0
    """Characters of ``texts`` set sideways or upside down (pdfminer's ``upright`` false,
    the page's /Rotate applied): not laid out into lines."""
    images: list[BBox] = field(default_factory=list)
    drawings: int = 0
    """Rectangles, lines and curves: candidate table rules (and signs of vector art)."""
    rules: list[BBox] = field(default_factory=list)
    """Axis-aligned lines and rectangles, where table borders come from."""
    horizontal: list[tuple[BBox, str | None]] = field(default_factory=list)
    """Long flat drawings with their colours: candidate masthead and footer rules."""


@dataclass(frozen=True)
class PageFrame:
    """A page's size and the part a viewer shows, in the glyphs' coordinates (points from
    the MediaBox's top left, the page turned by its /Rotate as pdfminer turns it)."""

    width: float
    height: float
    visible: BBox


class PageReader(Protocol):
    """Reads the pages of one open PDF; ``open`` raises ``InputError`` (a password problem)
    or ``MalformedInputError`` (damage qpdf may repair)."""

    name: str

    def open(self, pdf_file: PdfFile) -> None: ...

    def count(self) -> int: ...

    def read(self, index: int) -> tuple[PageFrame, PageLayout]: ...

    def release(self, index: int) -> None: ...

    def close(self) -> None: ...


def font_name(raw: str) -> str:
    """pdfminer shows GBK-encoded font names as a bytes repr (``b'ABCDEE+\\xba\\xda\\xcc\\xe5'``).

    >>> font_name("b'ABCDEE+\\\\xba\\\\xda\\\\xcc\\\\xe5'")
    '黑体'
    >>> font_name("BGLQOD+SimSun,Bold")
    'SimSun,Bold'
    """
    name = raw
    if raw.startswith(("b'", 'b"')) and raw.endswith(raw[1]):
        try:
            data = raw[2:-1].encode("latin-1").decode("unicode_escape").encode("latin-1")
            name = data.decode("gb18030")
        except (UnicodeError, ValueError):
            name = raw
    return without_subset(name)


def without_subset(name: str) -> str:
    """A font name without its subset tag (``ABCDEE+``)."""
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name


def colour(value: Any) -> str | None:
    """A fill colour as ``#rrggbb`` (grey, RGB and CMYK fills), None when unknown."""
    if not isinstance(value, (tuple, list)) or not all(isinstance(v, (int, float)) for v in value):
        return None
    if len(value) == 1:
        rgb = (value[0],) * 3
    elif len(value) == 3:
        rgb = tuple(value)
    elif len(value) == 4:
        c, m, y, k = value
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in rgb)


def pdfminer_origin(rotation: int, mediabox: tuple[float, float, float, float]) -> Any:
    """The page turn pdfminer applies (``PDFPageInterpreter.process_page``) as a function of
    a user-space point, followed by pdfplumber's flip to a top-left origin: every reader
    places glyphs and drawings as pdfplumber does.

    >>> to_page = pdfminer_origin(0, (0, 0, 595, 842))
    >>> to_page(100.0, 742.0)
    (100.0, 100.0)
    """
    x0, y0, x1, y1 = (float(v) for v in mediabox)
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    # pdfplumber's page box: the MediaBox, sides swapped on a quarter turn, flipped.
    nx0, ny0, ny1 = (y0, x0, x1) if rotation in (90, 270) else (x0, y0, y1)
    height = ny1 - ny0
    dx, dy = nx0, -ny0

    def turned(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            px, py = y - y0, x1 - x
        elif rotation == 180:
            px, py = x1 - x, y1 - y
        else:
            px, py = y1 - y, x - x0
        return px + dx, height - py + dy

    def upright(x: float, y: float) -> tuple[float, float]:
        # The same sums as ``turned`` makes, in the same order: the same floats.
        return (x - x0) + dx, height - (y - y0) + dy

    return turned if rotation in (90, 180, 270) else upright

