"""Born-digital PDFs: pdfplumber's characters, with positions and fonts, into pages of Lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError, MalformedInputError
from bulletin_ocr.inputs.page_layout import (
    BOLD_NAMES,
    RULE_WIDTH,
    PageFrame,
    PageLayout,
    PageReader,
    colour,
    font_name,
)
from bulletin_ocr.inputs.pdf_open import PdfFile, close_pdf, describe, open_pdf
from bulletin_ocr.inputs.trust import TextLayerVerdict, judge_text_layer
from bulletin_ocr.layout.glyphs import Fragment, Glyph, build_fragments, column_strips
from bulletin_ocr.layout.gutters import Strip
from bulletin_ocr.layout.reading_order import order_fragments
from bulletin_ocr.model import BBox, Line, Page, Rule, SetAside, Table
from bulletin_ocr.repair import apply_fixes

MAX_CELL_CHARS = 80
MIN_TABLE_RULES = 4  # a ruled table has at least a frame of four rules
# Why text printed beyond the visible page box is not part of the page's text.
OFF_PAGE = "outside the page"
# The character readers: pdfium is the default, pdfplumber the reference it is checked against.
PDF_READERS = ("pdfium", "pdfplumber")
DEFAULT_PDF_READER = "pdfium"


@dataclass
class PdfPage:
    page: Page
    tables: list[Table] = field(default_factory=list)
    verdict: TextLayerVerdict | None = None
    figures: list[BBox] = field(default_factory=list)
    """Images on the page: text may wrap around them."""
    file: PdfFile = field(default_factory=lambda: PdfFile(Path()))
    """Where the page was read from, and where to render it from should it need OCR."""
    columns: list[Strip] = field(default_factory=list)
    """The gutters between the page's columns (the next page may need them)."""

    def text_frame(self) -> BBox | None:
        """The area the page's text and tables occupy."""
        boxes = [line.bbox for line in self.page.lines if line.bbox is not None]
        return BBox.union(boxes + [table.bbox for table in self.tables])


def _walk(objects: Iterable[Any]) -> Iterator[Any]:
    from pdfminer.layout import LTContainer

    for obj in objects:
        if isinstance(obj, LTContainer):
            yield from _walk(obj)
        else:
            yield obj


def _layout_with_render_modes(plumber_page: Any) -> Any:
    """pdfplumber's layout of the page, each character marked with its text render mode.

    Word and WPS, and reportlab, draw faux bold as fill + stroke (render mode 2) of the
    regular face: the font name says nothing, only the text state does, and pdfminer drops
    it. The layout is stored where pdfplumber keeps its own, so the table finder reuses it.
    """
    if hasattr(plumber_page, "_layout"):
        return plumber_page.layout
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class _Device(PDFPageAggregatorWithMarkedContent):
        render_mode = 0
        stroke_width = 0.0

        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            self.render_mode = textstate.render
            self.stroke_width = float(graphicstate.linewidth or 0.0)
            super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            advance: float = super().render_char(*args, **kwargs)
            char: Any = self.cur_item._objs[-1]
            char.render_mode = self.render_mode
            char.stroke_width = self.stroke_width
            return advance

    device = _Device(plumber_page.pdf.rsrcmgr, pageno=plumber_page.page_number,
                     laparams=plumber_page.pdf.laparams)
    PDFPageInterpreter(plumber_page.pdf.rsrcmgr, device).process_page(plumber_page.page_obj)
    plumber_page._layout = device.get_result()
    return plumber_page._layout


def _stroked(char: Any) -> bool:
    """Drawn with a stroke round the fill (render modes 1, 2, 5, 6): faux bold."""
    return getattr(char, "render_mode", 0) in (1, 2, 5, 6) and getattr(char, "stroke_width", 0) > 0


def read_layout(plumber_page: Any) -> PageLayout:
    """Glyphs, images and drawings straight from pdfminer's layout objects.

    pdfplumber's ``page.chars`` turns every character into a dict of twenty attributes;
    reading the layout objects it wraps directly costs a fraction of that and is what keeps
    a conversion as fast as pdfplumber's own ``extract_text``.
    """
    from pdfminer.layout import LTChar, LTCurve, LTImage, LTLine, LTRect

    result = PageLayout()
    height = float(plumber_page.height)
    dx, dy = float(plumber_page.mediabox[0]), float(plumber_page.mediabox[1])
    seen: set[tuple[str, int, int]] = set()
    fonts: dict[Any, tuple[str, bool]] = {}
    colours: dict[Any, str | None] = {}
    for obj in _walk(_layout_with_render_modes(plumber_page)):
        if isinstance(obj, LTChar):
            text = obj.get_text()
            top, bottom = height - obj.y1 + dy, height - obj.y0 + dy
            if text.strip():
                result.texts.append(text)
                result.text_area += max(0.0, obj.width) * max(0.0, obj.height)
            if not text or text.isspace():
                continue
            if not obj.upright:
                result.sideways += 1
                continue
            # Overprinting the same glyph two or three times is a common fake bold.
            key = (text, round(obj.x0 * 2), round(top * 2))
            if key in seen:
                continue
            seen.add(key)
            if obj.fontname not in fonts:
                name = font_name(_font_string(obj.fontname))
                fonts[obj.fontname] = (name, bool(BOLD_NAMES.search(name)))
            name, bold = fonts[obj.fontname]
            fill: Any = obj.graphicstate.ncolor
            key = fill if isinstance(fill, tuple) else (fill,)
            if key not in colours:
                colours[key] = colour(key)
            result.glyphs.append(
                Glyph(
                    text=text,
                    x0=obj.x0 + dx,
                    x1=obj.x1 + dx,
                    top=top,
                    bottom=bottom,
                    size=obj.size or (bottom - top),
                    font=name,
                    color=colours[key],
                    bold=bold or _stroked(obj),
                    baseline=height - obj.matrix[5] + dy,
                )
            )
        elif isinstance(obj, LTImage):
            result.images.append(
                BBox(obj.x0 + dx, height - obj.y1 + dy, obj.x1 + dx, height - obj.y0 + dy)
            )
        elif isinstance(obj, LTCurve):  # LTRect and LTLine are curves too
            result.drawings += 1
            box = BBox(obj.x0 + dx, height - obj.y1 + dy, obj.x1 + dx, height - obj.y0 + dy)
            if isinstance(obj, (LTRect, LTLine)) or min(obj.width, obj.height) < RULE_WIDTH:
                result.rules.append(box)
            drawn = _drawn_box(obj, box)
            if drawn.width > 4 * max(drawn.height, 1.0):
                result.horizontal.append((drawn, _drawn_colour(obj, colours)))
    return result


def _drawn_box(obj: Any, box: BBox) -> BBox:
    """A stroked line's box as printed: its bounding box leaves out the line width."""
    half = float(obj.linewidth or 0.0) / 2 if obj.stroke and not obj.fill else 0.0
    return BBox(box.x0, box.top - half, box.x1, box.bottom + half)


def _drawn_colour(obj: Any, colours: dict[Any, str | None]) -> str | None:
    """A drawing's visible colour: its fill when filled, else its stroke."""
    value: Any = obj.non_stroking_color if obj.fill else obj.stroking_color
    key = value if isinstance(value, tuple) else (value,)
    if key not in colours:
        colours[key] = colour(key)
    return colours[key]


def _font_string(raw: Any) -> str:
    if isinstance(raw, bytes):
        return repr(raw)
    return str(raw)


class PlumberReader:
    """Pages of one PDF read with pdfplumber (pdfminer): the reference reader (``PageReader``)."""

    name = "pdfplumber"

    def __init__(self) -> None:
        self._pdf: Any = None

    def open(self, pdf_file: PdfFile) -> None:
        self._pdf = open_pdf(pdf_file)

    def count(self) -> int:
        return len(self._pdf.pages)

    def read(self, index: int) -> tuple[PageFrame, PageLayout]:
        return self.geometry(index)[0], read_layout(self._pdf.pages[index])

    def geometry(
        self, index: int
    ) -> tuple[PageFrame, int, tuple[float, float, float, float]]:
        """The page's frame, and the /Rotate and MediaBox pdfminer places everything by
        (inherited from the page tree where the page has none: pdfium does not look)."""
        plumber_page = self._pdf.pages[index]
        frame = PageFrame(
            float(plumber_page.width), float(plumber_page.height), visible_box(plumber_page)
        )
        page_obj = plumber_page.page_obj
        x0, y0, x1, y1 = (float(v) for v in page_obj.mediabox)
        return frame, int(page_obj.rotate), (x0, y0, x1, y1)

    def release(self, index: int) -> None:
        self._pdf.pages[index].close()  # drops pdfminer's layout cache: memory stays per page

    def close(self) -> None:
        if self._pdf is not None:
            close_pdf(self._pdf)
        self._pdf = None


def page_reader(name: str) -> PageReader:
    """The character reader called ``name`` (one of ``PDF_READERS``)."""
    if name == "pdfplumber":
        return PlumberReader()
    if name == "pdfium":
        from bulletin_ocr.inputs.pdfium_chars import PdfiumReader

        return PdfiumReader()
    raise ValueError(f"unknown PDF reader {name!r} ({', '.join(PDF_READERS)})")


def reader_version(name: str) -> str:
    """The reader as the TEI header names it: ``pdfium 5.15.2``."""
    from importlib.metadata import PackageNotFoundError, version

    package = "pypdfium2" if name == "pdfium" else name
    try:
        return f"{name} {version(package)}"
    except PackageNotFoundError:
        return f"{name} unknown"


def _open_or_repair(reader: PageReader, pdf_file: PdfFile) -> None:
    """Open the PDF; when the reader cannot, open the copy qpdf repairs instead."""
    try:
        reader.open(pdf_file)
        return
    except MalformedInputError as error:
        damage = error.problem
    pdf_file.repair(damage)
    reader.open(pdf_file)


def read_pdf(
    path: Path,
    password: str | None = None,
    page_timeout: float | None = None,
    pages: range | None = None,
    reader_name: str = DEFAULT_PDF_READER,
) -> Iterator[PdfPage]:
    """Yield each page's lines in reading order, its ruled tables, and the trust verdict.

    A file the reader cannot open, or a page it cannot read, is repaired by qpdf and read
    again from the copy; each page's ``file`` says which was read (and what the damage was).
    ``pages`` (1-based numbers, step 1) yields only those: the pages before them are still
    read, because a page's columns may come from the page before it.
    """
    from bulletin_ocr.timeouts import page_deadline

    pdf_file = PdfFile(path, password)
    reader = page_reader(reader_name)
    _open_or_repair(reader, pdf_file)
    columns: list[Strip] = []
    try:
        number = 1
        while number <= reader.count():
            try:
                with page_deadline(page_timeout, str(path), number):
                    frame, layout = reader.read(number - 1)
                    page = lay_out_page(frame, layout, number, columns)
            except InputError:
                raise
            except Exception as error:  # pdfminer fails in many ways on damaged pages
                problem = f"page {number} cannot be read ({describe(error)})"
                if pdf_file.repaired is not None:
                    raise MalformedInputError(str(path), problem) from error
                reader.close()
                pdf_file.repair(problem)
                reader.open(pdf_file)
                continue  # the same page again, from the repaired copy
            page.file = pdf_file
            columns = page.columns or columns
            if pages is None or number in pages:
                yield page
            reader.release(number - 1)
            if pages is not None and number >= pages.stop - 1:
                return
            number += 1
    finally:
        reader.close()


def read_page(plumber_page: Any, number: int, columns: Sequence[Strip] = ()) -> PdfPage:
    """One pdfplumber page's lines, tables and text-layer verdict (see ``lay_out_page``)."""
    frame = PageFrame(float(plumber_page.width), float(plumber_page.height),
                      visible_box(plumber_page))
    return lay_out_page(frame, read_layout(plumber_page), number, columns)


def lay_out_page(
    frame: PageFrame, layout: PageLayout, number: int, columns: Sequence[Strip] = ()
) -> PdfPage:
    """One page's lines, tables and text-layer verdict; ``columns`` are the gutters of the
    page before, for a page whose own columns are too uneven to show them."""
    width, height = frame.width, frame.height
    page = Page(number=number, width=width, height=height, unit="pt", source="pdf")
    glyphs, off_page = split_off_page(layout.glyphs, frame.visible)
    if off_page:
        _set_aside_off_page(page, off_page)
    tables = []
    if len(layout.rules) >= MIN_TABLE_RULES:
        tables = find_tables(number, layout.rules, glyphs)
    if tables:
        glyphs = [g for g in glyphs if not any(_inside(g, t.bbox) for t in tables)]
    dividers = [box for box, _ in layout.horizontal]
    strips = column_strips(glyphs, columns, dividers)
    fragments = build_fragments(glyphs, strips)
    gutters = [(x0 + x1) / 2 for x0, x1 in strips]
    for index, fragment in enumerate(order_fragments(fragments, dividers, gutters), start=1):
        page.lines.append(_line(fragment, number, index))
    page.rules = [_rule(box, colour, obj_page=number) for box, colour in layout.horizontal]
    verdict = judge_text_layer(
        page_area=width * height,
        texts=layout.texts,
        text_area=layout.text_area,
        images=layout.images,
        drawings=layout.drawings,
        sideways=layout.sideways,
    )
    if not verdict.trusted:
        page.needs_ocr = True
        page.warnings.append(f"text layer not trusted ({verdict.reason}); page needs OCR")
    elif layout.sideways:
        count = layout.sideways
        page.warnings.append(
            f"{count} {'character' if count == 1 else 'characters'} set sideways or upside "
            "down not in the text"
        )
    return PdfPage(
        page=page, tables=tables, verdict=verdict, figures=layout.images, columns=strips
    )


def visible_box(plumber_page: Any) -> BBox:
    """The part of the page a viewer shows: the CropBox within the MediaBox, in the glyphs'
    coordinates (points from the MediaBox's top left)."""
    crop, media = plumber_page.cropbox, plumber_page.mediabox
    # As floats, like the glyphs' positions: an integer box (10**30) compares exactly, and the
    # float nearest 10**30 lies past it, so every glyph of a huge page would count as outside.
    return BBox(
        float(max(crop[0], media[0])), float(max(crop[1], media[1])),
        float(min(crop[2], media[2])), float(min(crop[3], media[3])),
    )


def split_off_page(glyphs: Sequence[Glyph], box: BBox) -> tuple[list[Glyph], list[Glyph]]:
    """The glyphs on the visible page, and those printed outside it.

    WPS exports carry copies of a page's text 253 pt above the page; a glyph counts as on the
    page when its baseline and the middle of its width are, as for poppler's ``pdftotext``
    (a line whose baseline is below the bottom edge is not shown whole, and is not read).

    >>> page = BBox(0, 0, 595, 842)
    >>> on = Glyph("上", 100, 112, 90, 102, 12, baseline=101)
    >>> above = Glyph("上", 100, 112, -253, -241, 12, baseline=-242)
    >>> split_off_page([on, above], page) == ([on], [above])
    True
    """
    inside: list[Glyph] = []
    outside: list[Glyph] = []
    for glyph in glyphs:
        x = (glyph.x0 + glyph.x1) / 2
        shown = box.x0 <= x <= box.x1 and box.top <= glyph.level <= box.bottom
        (inside if shown else outside).append(glyph)
    return inside, outside


def _set_aside_off_page(page: Page, glyphs: Sequence[Glyph]) -> None:
    """Off-page text as lines of its own, set aside with their reason and a warning."""
    fragments = sorted(build_fragments(glyphs, strips=[]), key=lambda f: (f.bbox.top, f.bbox.x0))
    for index, fragment in enumerate(fragments, start=1):
        line = _line(fragment, page.number, index, kind="x")
        page.set_aside.append(SetAside(line, OFF_PAGE))
    count = len(fragments)
    page.warnings.append(
        f"{count} {'line' if count == 1 else 'lines'} {OFF_PAGE} set aside (not in the text)"
    )


def _line(fragment: Fragment, page: int, index: int, kind: str = "l") -> Line:
    """A fragment as a Line; ``kind`` marks its id: ``l`` text, ``x`` set aside."""
    text, runs = fragment.styled_text()
    return Line(
        id=f"p{page}{kind}{index}",
        text=text,
        page=page,
        source="pdf",
        bbox=fragment.bbox,
        font=fragment.font(),
        runs=runs,
    )


def _rule(box: BBox, colour: str | None, obj_page: int) -> Rule:
    return Rule(page=obj_page, bbox=box, color=colour)


def _inside(glyph: Glyph, box: BBox) -> bool:
    x = (glyph.x0 + glyph.x1) / 2
    return box.x0 <= x <= box.x1 and box.top <= glyph.middle <= box.bottom


def _edges(rules: Sequence[BBox]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Table rules as pdfplumber edges: thin boxes are one rule, larger ones four."""
    vertical: list[dict[str, Any]] = []
    horizontal: list[dict[str, Any]] = []

    def edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> None:
        target = vertical if orientation == "v" else horizontal
        target.append(
            {
                "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                "width": x1 - x0, "height": bottom - top,
                "orientation": orientation, "object_type": "rect_edge",
            }
        )

    for box in rules:
        if box.height < RULE_WIDTH and box.width >= RULE_WIDTH:
            middle = (box.top + box.bottom) / 2
            edge(box.x0, middle, box.x1, middle, "h")
        elif box.width < RULE_WIDTH and box.height >= RULE_WIDTH:
            centre = (box.x0 + box.x1) / 2
            edge(centre, box.top, centre, box.bottom, "v")
        elif box.width >= RULE_WIDTH and box.height >= RULE_WIDTH:
            edge(box.x0, box.top, box.x1, box.top, "h")
            edge(box.x0, box.bottom, box.x1, box.bottom, "h")
            edge(box.x0, box.top, box.x0, box.bottom, "v")
            edge(box.x1, box.top, box.x1, box.bottom, "v")
    return vertical, horizontal


def find_tables(number: int, rules: Sequence[BBox], glyphs: Sequence[Glyph]) -> list[Table]:
    """Ruled tables only: a table needs drawn cell borders, so prose is never taken for one.

    pdfplumber's table finder gets the rules as explicit edges (``table_cells``), and the
    cells' text comes from our own glyphs: it needs no page, whichever reader read the
    characters.
    """
    from bulletin_ocr.inputs import table_cells

    vertical, horizontal = _edges(rules)
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    tables = []
    # Each glyph's centre, worked out once: a page of forms has a thousand cells to fill.
    centred = [((g.x0 + g.x1) / 2, g.middle, g) for g in glyphs]
    for found in table_cells.find(settings):
        bbox = BBox(*found.bbox)  # pdfplumber works it out from the cells at every call
        in_table = _within(centred, bbox.x0, bbox.top, bbox.x1, bbox.bottom)
        rows = []
        for row in found.rows:
            _, top, _, bottom = row.bbox
            in_row = [c for c in in_table if top <= c[1] <= bottom]
            rows.append([_cell_text(cell, in_row) for cell in row.cells])
        rows = [row for row in rows if any(row)]
        if not _is_table(rows):
            continue
        tables.append(Table(page=number, bbox=bbox, rows=rows))
    return tables


def _is_table(rows: Sequence[Sequence[str]]) -> bool:
    """Ruled cells with text (``rows``) hold a table when they form two rows and two
    columns, or one row of two cells with text: a table's last row carried over to a page
    of its own (the Wanli budget's ``合计``) is ruled alone, while a box round a heading is
    one cell. No cell holds prose.

    >>> _is_table([["合计", "189,767,551", "101,341,746"]])
    True
    >>> _is_table([["市场表现"]]), _is_table([["相关研究", ""]])
    (False, False)
    """
    if not rows or _holds_prose(rows):
        return False
    if len(rows) == 1:
        return sum(1 for cell in rows[0] if cell) >= 2
    return max(len(row) for row in rows) >= 2


def _holds_prose(rows: Sequence[Sequence[str]]) -> bool:
    """Page frames drawn as boxes are not tables: their "cells" hold whole paragraphs."""
    return any(len(cell) > MAX_CELL_CHARS for row in rows for cell in row)


Centred = tuple[float, float, Glyph]
"""A glyph with the middle of its box, across and down (``_inside``)."""


def _within(
    centred: Sequence[Centred], x0: float, top: float, x1: float, bottom: float
) -> list[Centred]:
    """The glyphs whose middle is inside the box, as ``_inside`` decides."""
    return [c for c in centred if x0 <= c[0] <= x1 and top <= c[1] <= bottom]


def _cell_text(cell: tuple[float, float, float, float] | None, centred: Sequence[Centred]) -> str:
    if cell is None:
        return ""  # the space a merged cell spans
    inside = [glyph for _, _, glyph in _within(centred, *cell)]
    if not inside:
        return ""  # most cells of a ruled form are blank
    # Its borders are the cell's columns: no gutter to look for inside.
    fragments = sorted(build_fragments(inside, strips=()), key=lambda f: (f.bbox.top, f.bbox.x0))
    # Cells wrap inside their borders; the same repair as for body text rejoins them.
    return apply_fixes("\n".join(f.text() for f in fragments))[0]
