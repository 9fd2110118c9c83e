"""Born-digital PDF pages read with pdfium: characters, drawings and images, placed and
described exactly as the pdfplumber reader (``pdf_text.read_layout``) places them.

pdfplumber builds every page's layout with pdfminer in Python; pdfium's C text page gives the
same characters (unicode, origin, matrix, font, fill colour) in a tenth of the time. What
pdfium does its own way is undone here:

- it inserts spaces and line breaks of its own (``FPDFText_IsGenerated``): skipped;
- ``FPDFText_GetFontSize`` is the raw ``Tf`` size: boxes are built as pdfminer builds them,
  from the origin, the text matrix, the advance width and the font's descent;
- it orders characters by its own reading heuristics: they are put back in content order,
  the order of their text objects on the page;
- rules and images are page objects (paths split into subpaths, classified as pdfminer
  classifies them into lines, rectangles and curves).

A page with a character pdfium cannot map to unicode (``FPDFText_HasUnicodeMapError``: a CID
font without a ToUnicode map, which pdfminer maps through the embedded font's own cmap) is
read with pdfplumber instead: pdfium would make ``Buyer˖哾㦓`` of ``Buyer：黎荣``.

The file is opened by pdfplumber too (its page tree only, half a millisecond a page): pdfium
repairs a broken cross-reference table silently, and the damage has to be found, and said,
as the reference reader finds it (``pdf_open``), and wrong passwords refused in its words.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bulletin_ocr.errors import InputError, MalformedInputError
from bulletin_ocr.inputs.page_layout import (
    BOLD_NAMES,
    RULE_WIDTH,
    STROKED_MODES,
    PageFrame,
    PageLayout,
    pdfminer_origin,
    without_subset,
)
from bulletin_ocr.inputs.pdf_open import NO_PAGES, PdfFile
from bulletin_ocr.inputs.pdfium_lock import PDFIUM_LOCK
from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.model import BBox

if TYPE_CHECKING:
    from bulletin_ocr.inputs.pdf_text import PlumberReader

Point = tuple[float, float]
ToPage = Callable[[float, float], Point]
# FS_MATRIX as a tuple (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f.
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# The linear part of pdfminer's page turn (``PDFPageInterpreter.process_page``) by /Rotate.
_TURNS: dict[int, Matrix] = {
    90: (0.0, -1.0, 1.0, 0.0, 0.0, 0.0),
    180: (-1.0, 0.0, 0.0, -1.0, 0.0, 0.0),
    270: (0.0, 1.0, -1.0, 0.0, 0.0, 0.0),
}

# pdfium's codes for page objects and path segments (fpdf_edit.h).
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
# pdfium's load errors (fpdfview.h) that mean a password problem, not damage.
_ERR_PASSWORD, _ERR_SECURITY = 4, 5


@dataclass(frozen=True)
class _Style:
    """What every character of one text object shares."""

    font: Any
    font_key: int
    raw_size: float
    matrix: Matrix
    descent: float
    """The font's descent per unit of size (negative), as pdfminer reads it."""
    name: str
    bold: bool
    upright: bool
    """pdfminer's ``LTChar.upright``, of the matrix turned with the page."""
    colour: str | None


class PdfiumReader:
    """Pages of one PDF read with pdfium (``PageReader``)."""

    name = "pdfium"

    def __init__(self) -> None:
        self._document: Any = None
        self._reference: PlumberReader | None = None
        """The pdfplumber reader: it judges the file's damage and reads the pages pdfium
        cannot map."""

    def open(self, pdf_file: PdfFile) -> None:
        import pypdfium2 as pdfium

        from bulletin_ocr.inputs.pdf_text import PlumberReader

        self.close()
        self._reference = PlumberReader()
        self._reference.open(pdf_file)
        source = pdf_file.source
        with PDFIUM_LOCK:
            try:
                document = pdfium.PdfDocument(
                    source if isinstance(source, bytes) else str(source),
                    password=pdf_file.password,
                )
            except pdfium.PdfiumError as error:
                self.close()
                raise _open_error(str(pdf_file.path), error) from error
            if len(document) == 0:
                document.close()
                self.close()
                raise MalformedInputError(str(pdf_file.path), NO_PAGES)
        self._document = document

    def count(self) -> int:
        """The pages pdfminer finds: in a damaged page tree pdfium may count others (a tree
        that holds itself is two pages to pdfium, one to pdfminer)."""
        assert self._reference is not None
        return self._reference.count()

    def read(self, index: int) -> tuple[PageFrame, PageLayout]:
        import pypdfium2.raw as pdfium_c

        assert self._reference is not None
        frame, rotation, mediabox = self._reference.geometry(index)
        with PDFIUM_LOCK:
            page = pdfium_c.FPDF_LoadPage(self._document.raw, index)
            layout = None
            if page:  # else pdfminer reads it, or says what is wrong with it
                try:
                    layout = read_page_layout(page, rotation, mediabox)
                finally:
                    pdfium_c.FPDF_ClosePage(page)
        if layout is not None:
            return frame, layout
        return self._reference.read(index)

    def release(self, index: int) -> None:
        if self._reference is not None:
            self._reference.release(index)

    def close(self) -> None:
        if self._reference is not None:
            self._reference.close()
            self._reference = None
        if self._document is not None:
            with PDFIUM_LOCK:
                self._document.close()
            self._document = None


def _open_error(path: str, error: Any) -> InputError:
    """A password problem as such; anything else as damage that qpdf may repair."""
    code = getattr(error, "err_code", None)
    if code == _ERR_PASSWORD:
        return InputError(path, "encrypted PDF: wrong or missing password (use --password)")
    if code == _ERR_SECURITY:
        return InputError(
            path, "encrypted PDF that cannot be opened (unsupported security handler)"
        )
    return MalformedInputError(path, f"not a valid PDF ({error})")


def read_page_layout(
    page: Any, rotation: int, mediabox: tuple[float, float, float, float]
) -> PageLayout | None:
    """One raw pdfium page's glyphs, images and drawings, placed by the page's /Rotate and
    MediaBox as pdfminer reads them (the caller holds the lock); None when a character on it
    has no unicode mapping pdfium can read."""
    import pypdfium2.raw as pdfium_c

    to_page = pdfminer_origin(rotation, mediabox)
    layout = PageLayout()
    order: dict[int, int] = {}
    for position, (obj, kind, matrix) in enumerate(_objects(page)):
        if kind == _TEXT:
            order[obj] = position
        elif kind == _PATH:
            _add_path(layout, obj, matrix, to_page)
        elif kind == _IMAGE:
            corners = [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            layout.images.append(_bound([to_page(x, y) for x, y in corners]))
    text_page = pdfium_c.FPDFText_LoadPage(page)
    try:
        mapped = _add_glyphs(layout, text_page, order, to_page, _TURNS.get(rotation, IDENTITY))
    finally:
        pdfium_c.FPDFText_ClosePage(text_page)
    return layout if mapped else None


def decimal(value: float) -> float:
    """A float pdfium holds in single precision, to the seven significant digits single
    precision carries: the number the file wrote (595.3, not 595.2999877929688), which is
    what pdfminer computes with.

    >>> decimal(595.2999877929688), decimal(0.10000000149011612), decimal(1e30)
    (595.3, 0.1, 1e+30)
    """
    return float(f"{value:.7g}")


def _address(handle: Any) -> int:
    return ctypes.c_void_p.from_buffer(handle).value or 0


def _objects(page: Any) -> Iterator[tuple[Any, int, Matrix]]:
    """Every page object in content order, Form XObjects opened, each with the matrix from
    its own space to the page's user space; text objects as their address (their characters
    come from the text page, placed), the others as pdfium handles."""
    import pypdfium2.raw as pdfium_c

    calls = _calls()

    def walk(parent: Any, outer: Matrix, form: bool) -> Iterator[tuple[Any, int, Matrix]]:
        if form:
            count, get = pdfium_c.FPDFFormObj_CountObjects, calls.form_object
        else:
            count, get = pdfium_c.FPDFPage_CountObjects, calls.page_object
        for index in range(count(parent)):
            address = get(parent, index) or 0
            kind = calls.object_type(address)
            if kind == _TEXT:
                yield address, kind, outer
                continue
            obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
            matrix = _compose(_matrix(obj), outer)
            if kind == _FORM:
                yield from walk(obj, matrix, form=True)
            else:
                yield obj, kind, matrix

    yield from walk(page, IDENTITY, form=False)


def _matrix(obj: Any) -> Matrix:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (decimal(m.a), decimal(m.b), decimal(m.c), decimal(m.d), decimal(m.e), decimal(m.f))


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer``."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc, a * ob + b * od,
        c * oa + d * oc, c * ob + d * od,
        e * oa + f * oc + oe, e * ob + f * od + of,
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _bound(points: list[Point]) -> BBox:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return BBox(min(xs), min(ys), max(xs), max(ys))


_CHANNELS = tuple(ctypes.c_uint() for _ in range(4))
"""Out-parameters for colours, used under the pdfium lock only."""


def _rgb(getter: Callable[..., int], *handle: Any) -> str | None:
    r, g, b, a = _CHANNELS
    if not getter(*handle, r, g, b, a):
        return None
    return f"#{r.value:02x}{g.value:02x}{b.value:02x}"


def _subpaths(path: Any, matrix: Matrix, to_page: ToPage) -> list[tuple[str, list[Point]]]:
    """The path's subpaths as pdfminer sees them: a shape (``m``, ``l``, ``c``, ``h``) and the
    end point of each segment, in page coordinates. pdfium stores a Bézier curve as three
    points and a closing ``h`` as a line back to the start flagged closed."""
    import pypdfium2.raw as pdfium_c

    subpaths: list[tuple[str, list[Point]]] = []
    shape, points = "", list[Point]()
    controls = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    get_segment, get_type = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetType
    get_point, closes = pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetClose
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = get_segment(path, index)
        kind = get_type(segment)
        get_point(segment, x, y)
        point = to_page(*_apply(matrix, decimal(x.value), decimal(y.value)))
        if kind == _MOVETO:
            if shape:
                subpaths.append((shape, points))
            shape, points, controls = "m", [point], 0
            continue
        if kind == _BEZIERTO:
            controls += 1
            if controls < 3:
                continue
            controls = 0
            shape += "c"
        else:
            shape += "l"
        points.append(point)
        if closes(segment) and points:
            if shape.endswith("l") and point == points[0]:
                shape = shape[:-1] + "h"
            else:
                shape += "h"
                points.append(points[0])
    if shape:
        subpaths.append((shape, points))
    return subpaths


def _add_path(layout: PageLayout, path: Any, matrix: Matrix, to_page: ToPage) -> None:
    """A painted path's subpaths as drawings, rules and long flat rules (``read_layout``)."""
    import pypdfium2.raw as pdfium_c

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    half = 0.0
    if stroked and not filled:  # a stroked line's box as printed: half its width either side
        width = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetStrokeWidth(path, width)
        half = width.value / 2
    painted: list[str | None] = []  # asked for once, and only for a long flat drawing
    for shape, points in _subpaths(path, matrix, to_page):
        if len(shape) < 2:
            continue  # a lone move paints nothing (pdfminer's ``m[^m]+``)
        straight, box = _classify(shape, points)
        layout.drawings += 1
        if straight or min(box.width, box.height) < RULE_WIDTH:
            layout.rules.append(box)
        drawn = BBox(box.x0, box.top - half, box.x1, box.bottom + half)
        if drawn.width > 4 * max(drawn.height, 1.0):
            if not painted:
                getter = pdfium_c.FPDFPageObj_GetFillColor if filled else (
                    pdfium_c.FPDFPageObj_GetStrokeColor)
                painted.append(_rgb(getter, path))
            layout.horizontal.append((drawn, painted[0]))


def _classify(shape: str, points: list[Point]) -> tuple[bool, BBox]:
    """Whether pdfminer takes the subpath for a line or a rectangle, and its box."""
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points = points[:-1]
    if shape in ("mlh", "ml"):
        return True, _bound(points[:2])
    if shape in ("mlllh", "mllll") and len(points) == 5:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if points[0] == points[4] and square:
            return True, _bound([points[0], points[2]])
    return False, _bound(points)


def _add_glyphs(
    layout: PageLayout, text_page: Any, order: dict[int, int], to_page: ToPage, turn: Matrix
) -> bool:
    """The text page's characters as glyphs, in content order, as ``read_layout`` makes them;
    False, with the page half read, at the first character pdfium cannot map to unicode.

    The loop runs once per character (80,000 on the six gov-pdf files) and is most of the
    reader's time: pdfium is called through ``_Calls``, text objects are told apart by
    their address, and an upright character's box is built from two corners.
    """
    calls = _calls()
    page = _address(text_page)
    styles = _Styles(turn=turn)
    by_object = styles.by_object
    widths: dict[tuple[int, int, float], float] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
    placed: list[tuple[int, int, Glyph]] = []
    seen: set[tuple[str, int, int]] = set()
    texts = layout.texts
    area = 0.0
    sideways = 0
    # Origins repeat along a line and down a column: each distinct one is rounded once.
    rounded: dict[float, float] = {}
    for index, text in enumerate(_page_text(text_page)):
        # Spaces, pdfium's generated ones included, are neither glyphs nor counted text
        # (``read_layout``): no need to ask which are generated.
        if not text.strip():
            continue
        if calls.has_map_error(page, index) == 1:
            return False
        key = calls.object_at(page, index) or 0
        style = by_object.get(key)
        if style is None:
            style = by_object[key] = _style(page, index, key, styles, calls)
        calls.origin(page, index, x_at, y_at)
        code = ord(text)
        width_key = (style.font_key, code, style.raw_size)
        advance = widths.get(width_key)
        if advance is None:
            advance = widths[width_key] = _advance(text_page, index, style, code)
        a, b, c, d, _, _ = style.matrix
        size = style.raw_size
        ox, oy = rounded.get(x.value), rounded.get(y.value)
        if ox is None:
            ox = rounded[x.value] = decimal(x.value)
        if oy is None:
            oy = rounded[y.value] = decimal(y.value)
        low = style.descent * size
        if b == 0 and c == 0:
            ax, ay = to_page(ox, oy + d * low)
            bx, by = to_page(ox + a * advance, oy + d * (low + size))
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            top, bottom = (ay, by) if ay <= by else (by, ay)
        else:
            box = _bound([
                to_page(ox + a * u + c * v, oy + b * u + d * v)
                for u, v in ((0.0, low), (advance, low), (advance, low + size), (0.0, low + size))
            ])
            x0, top, x1, bottom = box.x0, box.top, box.x1, box.bottom
        texts.append(text)
        area += max(0.0, x1 - x0) * max(0.0, bottom - top)
        if not style.upright:
            sideways += 1
            continue
        # Overprinting the same glyph two or three times is a common fake bold.
        mark = (text, round(x0 * 2), round(top * 2))
        if mark in seen:
            continue
        seen.add(mark)
        glyph = Glyph(
            text, x0, x1, top, bottom, (bottom - top) or size,
            font=style.name, color=style.colour, bold=style.bold, baseline=to_page(ox, oy)[1],
        )
        placed.append((order.get(key, len(order)), index, glyph))
    layout.text_area += area
    layout.sideways += sideways
    placed.sort(key=lambda item: (item[0], item[1]))
    layout.glyphs.extend(glyph for _, _, glyph in placed)
    return True


def _page_text(text_page: Any) -> str | list[str]:
    """Every character of the text page, one per index, in one call when no character
    needs two UTF-16 units (then one call per character)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFText_CountChars(text_page)
    if count <= 0:
        return ""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(
        text_page, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: 2 * max(0, written - 1)].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    return [chr(pdfium_c.FPDFText_GetUnicode(text_page, i)) for i in range(count)]


@dataclass(frozen=True)
class _Calls:
    """pdfium's per-object and per-character functions declared again to take and return
    plain addresses.

    pypdfium2 declares handles and out-parameters as typed pointers, and converting one costs
    about as much as the call itself; a page is walked object by object and then character by
    character, up to ten calls for each of 80,000 characters (WPS writes one text object per
    character). Every handle passed is an ``int`` address (``_address``), every out-parameter
    the address of a ctypes value.
    """

    page_object: Callable[[Any, int], int | None]
    form_object: Callable[[Any, int], int | None]
    object_type: Callable[[int], int]
    object_at: Callable[[int, int], int | None]
    has_map_error: Callable[[int, int], int]
    origin: Callable[[int, int, int, int], int]
    matrix: Callable[[int, int, int], int]
    font_size: Callable[[int, int], float]
    fill_colour: Callable[[int, int, int, int, int, int], int]
    font_of: Callable[[int], int | None]
    render_mode: Callable[[int], int]
    stroke_width: Callable[[int, int], int]


_CALLS: list[_Calls] = []


def _calls() -> _Calls:
    if not _CALLS:
        import pypdfium2.raw as pdfium_c

        def declare(function: Any, result: Any, *arguments: Any) -> Any:
            return ctypes.CFUNCTYPE(result, *arguments)(_address(function))

        handle, number, boolean = ctypes.c_void_p, ctypes.c_int, ctypes.c_int
        _CALLS.append(_Calls(
            page_object=declare(pdfium_c.FPDFPage_GetObject, handle, handle, number),
            form_object=declare(pdfium_c.FPDFFormObj_GetObject, handle, handle, number),
            object_type=declare(pdfium_c.FPDFPageObj_GetType, number, handle),
            object_at=declare(pdfium_c.FPDFText_GetTextObject, handle, handle, number),
            has_map_error=declare(pdfium_c.FPDFText_HasUnicodeMapError, number, handle, number),
            origin=declare(
                pdfium_c.FPDFText_GetCharOrigin, boolean, handle, number, handle, handle
            ),
            matrix=declare(pdfium_c.FPDFText_GetMatrix, boolean, handle, number, handle),
            font_size=declare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, handle, number),
            fill_colour=declare(
                pdfium_c.FPDFText_GetFillColor, boolean, handle, number, *[handle] * 4
            ),
            font_of=declare(pdfium_c.FPDFTextObj_GetFont, handle, handle),
            render_mode=declare(pdfium_c.FPDFTextObj_GetTextRenderMode, number, handle),
            stroke_width=declare(pdfium_c.FPDFPageObj_GetStrokeWidth, boolean, handle, handle),
        ))
    return _CALLS[0]


def _advance(text_page: Any, index: int, style: _Style, code: int) -> float:
    """A character's advance width in text space, as pdfminer's ``LTChar.adv``."""
    import pypdfium2.raw as pdfium_c

    width = ctypes.c_float()
    # Asked per 1000 units of size: the font's own width, then scaled in double.
    if pdfium_c.FPDFFont_GetGlyphWidth(style.font, code, 1000.0, width):
        return decimal(width.value) * style.raw_size / 1000
    return _loose_advance(text_page, index, style.matrix[0])


def _loose_advance(text_page: Any, index: int, scale: float) -> float:
    """The advance width in text space, from pdfium's loose box, when the font cannot say."""
    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(text_page, index, rect)
    return (rect.right - rect.left) / scale if scale else 0.0


@dataclass
class _Styles:
    """What is known of the page's fonts and text objects, built up character by character."""

    by_object: dict[int, _Style] = field(default_factory=dict)
    fonts: dict[int, tuple[Any, str, float, bool]] = field(default_factory=dict)
    """Font address: the font, its name, descent, and whether the name says bold."""
    turn: Matrix = IDENTITY
    """The page's quarter turns as pdfminer applies them to every matrix."""
    shared: dict[tuple[Any, ...], _Style] = field(default_factory=dict)
    """Text objects set alike (WPS writes one object per character) share one style."""
    matrix: Any = field(default_factory=lambda: _fs_matrix())
    """Out-parameters of the style's calls, made once per page."""
    channels: tuple[ctypes.c_uint, ...] = field(
        default_factory=lambda: tuple(ctypes.c_uint() for _ in range(4))
    )
    channel_addresses: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        self.channel_addresses = tuple(ctypes.addressof(c) for c in self.channels)


def _fs_matrix() -> Any:
    import pypdfium2.raw as pdfium_c

    return pdfium_c.FS_MATRIX()


def _style(page: int, index: int, obj: int, styles: _Styles, calls: _Calls) -> _Style:
    """The style of the text object at address ``obj``, which holds character ``index`` of
    the text page at address ``page``; objects set alike share one."""
    font_key = calls.font_of(obj) or 0
    font_entry = styles.fonts.get(font_key)
    if font_entry is None:
        import pypdfium2.raw as pdfium_c

        font = ctypes.cast(font_key, pdfium_c.FPDF_FONT)
        base = _base_font_name(font)
        name = without_subset(base)
        font_entry = (font, name, _descent(font, base), bool(BOLD_NAMES.search(name)))
        styles.fonts[font_key] = font_entry
    font, name, descent, bold_name = font_entry
    m = styles.matrix
    calls.matrix(page, index, ctypes.addressof(m))
    faux_bold = False
    if calls.render_mode(obj) in STROKED_MODES:
        stroke = ctypes.c_float()
        calls.stroke_width(obj, ctypes.addressof(stroke))
        faux_bold = stroke.value > 0
    r, g, b, _ = styles.channels
    coloured = calls.fill_colour(page, index, *styles.channel_addresses)
    raw_size = calls.font_size(page, index)
    key = (font_key, raw_size, m.a, m.b, m.c, m.d, faux_bold,
           coloured and (r.value, g.value, b.value))
    style = styles.shared.get(key)
    if style is None:
        ta, tb, tc, td, _, _ = _compose((m.a, m.b, m.c, m.d, 0.0, 0.0), styles.turn)
        style = styles.shared[key] = _Style(
            font=font,
            font_key=font_key,
            raw_size=decimal(raw_size),
            # Where the object starts differs between objects set alike, and is not used.
            matrix=(decimal(m.a), decimal(m.b), decimal(m.c), decimal(m.d), 0.0, 0.0),
            descent=descent,
            name=name,
            bold=bold_name or faux_bold,
            upright=ta * td > 0 and tb * tc <= 0,
            colour=f"#{r.value:02x}{g.value:02x}{b.value:02x}" if coloured else None,
        )
    return style


def _base_font_name(font: Any) -> str:
    """The font's /BaseFont; names in GBK (common in Chinese files) decoded as such."""
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    raw = buffer.raw[: size - 1]
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _descent(font: Any, base: str) -> float:
    """The descent per unit of size as pdfminer takes it: the standard 14 fonts (and their
    aliases) from its AFM metrics, whatever the file says; others from the font descriptor."""
    import pypdfium2.raw as pdfium_c

    standard = _standard_descents().get(base)
    if standard is not None:
        return standard / 1000
    descent = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(font, 1000.0, descent):
        return 0.0
    return descent.value / 1000


_STANDARD: dict[str, float] = {}


def _standard_descents() -> dict[str, float]:
    if not _STANDARD:
        from pdfminer.fontmetrics import FONT_METRICS

        _STANDARD.update(
            {name: float(metrics[0].get("Descent", 0))  # type: ignore[arg-type]
             for name, metrics in FONT_METRICS.items()}
        )
    return _STANDARD
