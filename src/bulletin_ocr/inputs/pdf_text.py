"""Born-digital PDFs: pdfplumber's characters, with positions and fonts, into pages of Lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError
from bulletin_ocr.inputs.trust import TextLayerVerdict, judge_text_layer
from bulletin_ocr.layout.glyphs import Fragment, Glyph, build_fragments
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.model import BBox, Line, Page, Table
from bulletin_ocr.repair import apply_fixes

MAX_CELL_CHARS = 80
_BOLD_NAMES = re.compile(r"bold|black|heavy|demi|semibold|黑|粗|hei", re.IGNORECASE)


@dataclass
class PdfPage:
    page: Page
    tables: list[Table] = field(default_factory=list)
    verdict: TextLayerVerdict | None = None
    figures: list[BBox] = field(default_factory=list)
    """Images on the page: text may wrap around them."""

    def text_frame(self) -> BBox | None:
        """The area the page's text and tables occupy."""
        boxes = [line.bbox for line in self.page.lines if line.bbox is not None]
        boxes += [table.bbox for table in self.tables]
        if not boxes:
            return None
        return BBox(
            min(b.x0 for b in boxes),
            min(b.top for b in boxes),
            max(b.x1 for b in boxes),
            max(b.bottom for b in boxes),
        )


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
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name


def _colour(value: Any) -> str | None:
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


def glyphs_of(chars: Sequence[dict[str, Any]]) -> list[Glyph]:
    glyphs = []
    seen: set[tuple[str, int, int]] = set()
    for char in chars:
        text = char.get("text", "")
        if not text or text.isspace() or not char.get("upright", True):
            continue
        # Overprinting the same glyph two or three times is a common fake bold.
        key = (text, round(float(char["x0"]) * 2), round(float(char["top"]) * 2))
        if key in seen:
            continue
        seen.add(key)
        name = font_name(str(char.get("fontname", "")))
        glyphs.append(
            Glyph(
                text=text,
                x0=float(char["x0"]),
                x1=float(char["x1"]),
                top=float(char["top"]),
                bottom=float(char["bottom"]),
                size=float(char.get("size") or (char["bottom"] - char["top"])),
                font=name,
                color=_colour(char.get("non_stroking_color")),
                bold=bool(_BOLD_NAMES.search(name)),
            )
        )
    return glyphs


def open_pdf(path: Path, password: str | None = None) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(path, password=password or "")
    except PDFPasswordIncorrect as error:
        raise InputError(str(path), "encrypted PDF: wrong or missing password") from error
    except PDFEncryptionError as error:
        raise InputError(str(path), f"encrypted PDF that cannot be opened ({error})") from error
    except PDFSyntaxError as error:
        raise InputError(str(path), f"not a valid PDF ({error})") from error
    except Exception as error:  # pdfminer raises many kinds on damaged files
        raise InputError(str(path), f"cannot open PDF ({type(error).__name__}: {error})") from error


def read_pdf(path: Path, password: str | None = None) -> Iterator[PdfPage]:
    """Yield each page's lines in reading order, its ruled tables, and the trust verdict."""
    pdf = open_pdf(path, password)
    with pdf:
        if not pdf.pages:
            raise InputError(str(path), "PDF has no pages")
        for number, plumber_page in enumerate(pdf.pages, start=1):
            yield read_page(plumber_page, number)
            plumber_page.close()  # drops pdfminer's layout cache: memory stays per page


def read_page(plumber_page: Any, number: int) -> PdfPage:
    page = Page(
        number=number,
        width=float(plumber_page.width),
        height=float(plumber_page.height),
        unit="pt",
        source="pdf",
    )
    chars = plumber_page.chars
    tables = _find_tables(plumber_page, number, chars)
    table_boxes = [t.bbox for t in tables]
    glyphs = [
        g for g in glyphs_of(chars) if not any(_inside(g, box) for box in table_boxes)
    ]
    fragments = build_fragments(glyphs)
    for index, fragment in enumerate(order_fragments(fragments), start=1):
        page.lines.append(_line(fragment, number, index))
    verdict = judge_text_layer(plumber_page, chars)
    if not verdict.trusted:
        page.needs_ocr = True
        page.warnings.append(f"text layer not trusted ({verdict.reason}); page needs OCR")
    figures = [
        BBox(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"]))
        for i in plumber_page.images
    ]
    return PdfPage(page=page, tables=tables, verdict=verdict, figures=figures)


def _line(fragment: Fragment, page: int, index: int) -> Line:
    return Line(
        id=f"p{page}l{index}",
        text=fragment.text(),
        page=page,
        source="pdf",
        bbox=fragment.bbox,
        font=fragment.font(),
    )


def _inside(glyph: Glyph, box: BBox) -> bool:
    x = (glyph.x0 + glyph.x1) / 2
    return box.x0 <= x <= box.x1 and box.top <= glyph.middle <= box.bottom


def _find_tables(plumber_page: Any, number: int, chars: Sequence[dict[str, Any]]) -> list[Table]:
    """Ruled tables only: a table needs drawn cell borders, so prose is never taken for one."""
    if not plumber_page.rects and not plumber_page.lines:
        return []
    tables = []
    for found in plumber_page.find_tables():
        rows = [[_cell_text(cell) for cell in row] for row in found.extract()]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2 or _holds_prose(rows):
            continue
        x0, top, x1, bottom = found.bbox
        tables.append(Table(page=number, bbox=BBox(x0, top, x1, bottom), rows=rows))
    return tables


def _holds_prose(rows: Sequence[Sequence[str]]) -> bool:
    """Page frames drawn as boxes are not tables: their "cells" hold whole paragraphs."""
    return any(len(cell) > MAX_CELL_CHARS for row in rows for cell in row)


def _cell_text(cell: str | None) -> str:
    # Cells wrap inside their borders; the same repair as for body text rejoins them.
    return apply_fixes(cell)[0] if cell else ""
