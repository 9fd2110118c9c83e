"""TEI P5 export: masthead, items, page and line breaks, facsimile zones and OCR confidence."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from lxml import etree

from bulletin_ocr.export.coords import page_geometry
from bulletin_ocr.export.json import bbox_list
from bulletin_ocr.export.meta import SOFTWARE, item_id, software_version
from bulletin_ocr.export.xmlbuild import xml_safe
from bulletin_ocr.model import (
    Contents,
    Document,
    Item,
    Line,
    Masthead,
    Note,
    Page,
    Section,
    Table,
    TextSpan,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

LOW_CONFIDENCE = 0.8
"""Lines the recogniser was less sure of than this are wrapped in ``unclear``."""
VERY_LOW_CONFIDENCE = 0.5

BRIEF_MARK = "△"

# Elements whose content is only other elements: indenting them cannot change the text.
# Everything else (p, head, byline, title, ...) is mixed content, where a newline reads as a space.
_ELEMENT_ONLY = frozenset(
    {
        "TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc",
        "biblStruct", "monogr", "imprint", "respStmt", "encodingDesc", "appInfo",
        "application", "editorialDecl", "normalization", "facsimile", "surface", "text",
        "front", "titlePage", "docTitle", "docImprint", "body", "back", "div",
    }
)  # fmt: skip

# TEI 2.7.0's data.versionNumber; anything else in a version string goes to the label only.
_VERSION = re.compile(r"\d+[a-z]*\d*(?:\.\d+[a-z]*\d*){0,3}")
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_NCNAME = re.compile(r"[^\W\d][\w.\-]*")
_NOT_NAME_CHAR = re.compile(r"[^\w.\-]")

Element = etree._Element


def render_tei(doc: Document, images: dict[int, str] | None = None) -> bytes:
    """Render ``doc`` as a TEI P5 document (design §4), valid against tei_all.

    ``images`` maps page numbers to the URL of the image their coordinates are measured on
    (the input image, or a page image written beside the outputs), for ``surface/graphic``.
    """
    # lxml-stubs type nsmap keys as str, but None is how lxml spells the default namespace.
    root = etree.Element(_tag("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    _header(root, doc)
    zones = _facsimile(root, doc, images or {})
    text = _sub(root, "text")
    lineation = _Lineation(doc, zones)
    if doc.masthead is not None or doc.contents is not None:
        front = _sub(text, "front")
        lineation.start(front)
        if doc.masthead is not None:
            _title_page(front, doc.masthead, lineation.zones)
        if doc.contents is not None:
            _contents(front, doc.contents, lineation)
    body = _sub(text, "body")
    if doc.masthead is None and doc.contents is None:
        lineation.start(body)
    parent, section = body, None
    for index, item in enumerate(doc.items):
        if item.section is not section:
            section = item.section
            parent = body if section is None else _section(body, section, lineation)
        _item(parent, item, lineation, item_id(index))
    if not doc.items:
        # body must hold something; an empty paragraph claims no item that was not printed.
        _sub(body, "p")
    lineation.write_left_notes(body)
    if doc.distribution:
        back = _sub(text, "back")
        lineation.turn_to(back, _first_line(entry.span for entry in doc.distribution))
        div = _sub(back, "div", type="distribution")
        for entry in doc.distribution:
            lineation.turn_to(div, entry.span.lines[0] if entry.span.lines else None)
            p = _sub(div, "p")
            if entry.span.lines:
                lineation.open_line(p, entry.span.lines[0])
            if entry.label is not None:
                _sub(p, "label", entry.label).tail = "："
            lineation.fill(p, entry.span, first_line_open=True)
    _indent(root)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8") + b"\n"


def _header(root: Element, doc: Document) -> None:
    masthead = doc.masthead
    source_name = PurePath(doc.source).name or doc.source
    title = masthead.title if masthead is not None and masthead.title else source_name

    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(_sub(file_desc, "publicationStmt"), "p", f"Converted by bulletin-ocr from {source_name}.")

    monogr = _sub(_sub(_sub(file_desc, "sourceDesc"), "biblStruct"), "monogr")
    if masthead is not None and masthead.issuer:
        resp_stmt = _sub(monogr, "respStmt")
        _sub(resp_stmt, "resp", "issued by")
        _sub(resp_stmt, "orgName", masthead.issuer)
    _sub(monogr, "title", title, level="j")
    _sub(monogr, "idno", doc.source, type="filename")
    _sub(monogr, "idno", doc.sha256, type="sha256")
    imprint = _sub(monogr, "imprint")
    date_text = (masthead.date_text or masthead.date) if masthead is not None else None
    # imprint must not be empty; an empty date says "not known" without inventing one.
    _sub(imprint, "date", date_text, **_when(masthead))
    if masthead is not None and masthead.issue:
        _sub(monogr, "biblScope", masthead.issue, unit="issue")
    if masthead is not None and masthead.cumulative_issue:
        _sub(monogr, "biblScope", masthead.cumulative_issue, unit="issue", type="cumulative")

    encoding_desc = _sub(header, "encodingDesc")
    app_info = _sub(encoding_desc, "appInfo")
    _application(app_info, SOFTWARE, software_version(), SOFTWARE)
    for engine in doc.engine:
        ident, _, version = engine.strip().partition(" ")
        if ident:
            _application(app_info, ident, version, engine.strip())
    normalization = _sub(_sub(encoding_desc, "editorialDecl"), "normalization")
    for statement in _normalization_statements(doc):
        _sub(normalization, "p", statement)


def _application(parent: Element, ident: str, version: str, label: str) -> None:
    name = _NOT_NAME_CHAR.sub("-", ident)
    if not _NCNAME.fullmatch(name):
        name = "_" + name
    _sub(_sub(parent, "application", ident=name, version=_tei_version(version)), "label", label)


def _tei_version(text: str) -> str:
    """The version right after the name, cut to what TEI accepts (``0.1.0.dev3`` -> ``0.1.0``)."""
    # Only the first word: a later number may belong to something else ("model (rapidocr 3.10)").
    first_word = next(iter(text.split()), "")
    match = _VERSION.match(first_word.removeprefix("v"))
    # @version is required; "0" marks a version we could not read (the label keeps the text).
    return match.group() if match else "0"


def _normalization_statements(doc: Document) -> list[str]:
    statements = [
        "Removed spurious whitespace (between CJK characters, around digits, at page breaks).",
        "Rejoined lines broken at the column edge and across pages into paragraphs;"
        " the printed lineation is kept as lb and pb.",
    ]
    if any(page.furniture for page in doc.pages):
        statements.append("Removed page furniture (page numbers, running heads) from the text.")
    if any(page.set_aside for page in doc.pages):
        statements.append(
            "Left out text printed outside the visible page (listed in the JSON export)."
        )
    if doc.repairs:
        statements.append("Repairs that changed the text: " + ", ".join(doc.repairs) + ".")
    return statements


def _when(masthead: Masthead | None) -> dict[str, str]:
    if masthead is None or masthead.date is None or not _ISO_DATE.fullmatch(masthead.date):
        return {}
    return {"when": masthead.date}


def _facsimile(root: Element, doc: Document, images: dict[int, str]) -> set[str] | None:
    """Add surfaces and zones when any line has geometry; return the zone ids, or None."""
    if not any(line.bbox is not None for page in doc.pages for line in _page_lines(page)):
        return None
    facsimile = _sub(root, "facsimile")
    seen: set[str] = set()
    for page in doc.pages:
        surface = _sub(facsimile, "surface", **{XML_ID: _page_id(page.number)})
        geometry = page_geometry(page)
        if geometry is None:
            continue
        _set_coords(surface, [0.0, 0.0, geometry.width, geometry.height])
        if page.number in images:
            # The image's own size: the surface's for scans, a 300 dpi rendering for PDF pages
            # whose coordinates stay in points.
            image = page_geometry(page, pixels=True) or geometry
            _sub(
                surface, "graphic", url=images[page.number],
                width=f"{round(image.width)}px", height=f"{round(image.height)}px",
            )  # fmt: skip
        for line in _page_lines(page):
            coords = bbox_list(geometry.box(line.bbox))
            # An id that is not an NCName or is already taken would make the whole file invalid.
            if coords is None or line.id in seen or not _NCNAME.fullmatch(line.id):
                continue
            seen.add(line.id)
            zone = _sub(surface, "zone", **{XML_ID: line.id})
            _set_coords(zone, coords)
            if line.polygon:
                points = geometry.polygon(line) or []
                zone.set("points", " ".join(f"{_num(x)},{_num(y)}" for x, y in points))
    return seen


def _set_coords(element: Element, coords: list[float]) -> None:
    for name, value in zip(("ulx", "uly", "lrx", "lry"), coords, strict=True):
        element.set(name, _num(value))


def _page_lines(page: Page) -> list[Line]:
    return page.lines + page.furniture


def _title_page(front: Element, masthead: Masthead, zones: set[str]) -> None:
    title_page = _sub(front, "titlePage", type="masthead")
    # The fields are parsed, not printed spans, so the masthead's lines are linked as a whole.
    line_ids = dict.fromkeys(line.id for span in masthead.spans for line in span.lines)
    facs = " ".join("#" + line_id for line_id in line_ids if line_id in zones)
    if facs:
        title_page.set("facs", facs)
    if masthead.title:
        _sub(_sub(title_page, "docTitle"), "titlePart", masthead.title)
    if masthead.issue or masthead.cumulative_issue:
        edition = _sub(title_page, "docEdition")
        if masthead.issue:
            _sub(edition, "num", masthead.issue, type="issue")
        if masthead.cumulative_issue:
            # Bulletins print the running number after the issue, in parentheses.
            bracket = bool(masthead.issue)
            _append_text(edition, "（" if bracket else "")
            _sub(edition, "num", masthead.cumulative_issue, type="cumulative")
            _append_text(edition, "）" if bracket else "")
    if masthead.secrecy:
        _sub(title_page, "note", masthead.secrecy, type="secrecy")
    if masthead.issuer:
        _sub(_sub(title_page, "docAuthor"), "orgName", masthead.issuer)
    if masthead.signer:
        byline = _sub(title_page, "byline", "签发人：")
        _sub(byline, "persName", masthead.signer, role="signer")
    if masthead.date_text or masthead.date:
        date_text = masthead.date_text or masthead.date
        _sub(_sub(title_page, "docImprint"), "docDate", date_text, **_when(masthead))
    if len(title_page) == 0:
        # titlePage needs at least one part; the masthead existed even if no field was read.
        _sub(_sub(title_page, "docTitle"), "titlePart")


def _contents(front: Element, contents: Contents, lineation: _Lineation) -> None:
    """本期要目 as ``<div type="contents">``: its heading and a list of its entries."""
    lineation.turn_to(front, _first_line([*([contents.head] if contents.head else []),
                                           *contents.entries]))
    div = _sub(front, "div", type="contents")
    if contents.head is not None:
        lineation.fill(_sub(div, "head"), contents.head)
    listed = _sub(div, "list")
    for entry in contents.entries:
        lineation.turn_to(listed, _first_line([entry]))
        lineation.fill(_sub(listed, "item"), entry)
    if not contents.entries:
        _sub(listed, "item")  # list needs an item; the heading was printed with none under it


def _section(body: Element, section: Section, lineation: _Lineation) -> Element:
    """A ``<div type="section">`` headed by its printed label; the items go inside it."""
    lineation.turn_to(body, _first_line([section.span]))
    div = _sub(body, "div", type="section", n=section.name)
    lineation.fill(_sub(div, "head"), section.span)
    return div


def _table(body: Element, table: Table, lineation: _Lineation, ident: str) -> None:
    """A ruled table as TEI table/row/cell, in a div of its own between the items."""
    lineation.turn_to_page(body, table.page)
    div = _sub(body, "div", type="table", **{XML_ID: ident})
    element = _sub(div, "table", rows=str(len(table.rows)), cols=str(max(map(len, table.rows))))
    for row in table.rows:
        row_element = _sub(element, "row")
        for cell in row:
            _sub(row_element, "cell", xml_safe(cell) or None)


def _item(body: Element, item: Item, lineation: _Lineation, ident: str) -> None:
    if item.table is not None:
        _table(body, item.table, lineation, ident)
        return
    spans = [item.head.span] if item.head is not None else []
    spans += item.paragraphs
    if item.attribution is not None:
        spans.append(item.attribution)
    lineation.turn_to(body, _first_line(spans))
    div = _sub(body, "div", type="item", **{XML_ID: ident})
    if item.kind == "brief":
        div.set("subtype", "brief")
    if item.head is not None:
        head = _sub(div, "head")
        if item.head.rend == "run-in":
            head.set("rend", "run-in")
        lineation.fill(head, item.head.span)
    for index, span in enumerate(item.paragraphs):
        lineation.turn_to(div, _first_line([span]))
        prefix = BRIEF_MARK if item.kind == "brief" and index == 0 else ""
        lineation.fill(_sub(div, "p"), span, prefix=prefix)
    if item.attribution is not None:
        span = item.attribution
        lineation.turn_to(div, _first_line([span]))
        byline = _sub(div, "byline")
        # The printed line starts at the parenthesis, so its lb goes before it, not in orgName.
        if span.lines:
            lineation.open_line(byline, span.lines[0])
        _append_text(byline, "（")
        org_name = _sub(byline, "orgName")
        lineation.fill(org_name, span, first_line_open=True)
        org_name.tail = "）"


def _first_line(spans: Iterable[TextSpan]) -> Line | None:
    return next((span.lines[0] for span in spans if span.lines), None)


class _Lineation:
    """Puts ``pb``/``lb`` back where the printed pages and lines broke, in document order."""

    def __init__(self, doc: Document, zones: set[str] | None) -> None:
        self.page_numbers = [page.number for page in doc.pages]
        self.page = self.page_numbers[0] if self.page_numbers else 1
        self.facsimile = zones is not None
        self.zones = zones or set()
        self.last_line_id: str | None = None
        self.furniture = {page.number: page.furniture for page in doc.pages}
        self.reasons = {k: v for page in doc.pages for k, v in page.furniture_reasons.items()}
        self.notes = list(doc.notes)
        """Notes not yet written: each goes where its call or the line beside it is."""

    def start(self, parent: Element) -> None:
        """Open the first page, if the document has pages at all."""
        if self.page_numbers:
            self._pb(parent, self.page)

    def turn_to(self, parent: Element, line: Line | None) -> None:
        """Break the page before the next block when that block starts on a later page."""
        if line is not None:
            self.turn_to_page(parent, line.page)

    def turn_to_page(self, parent: Element, page: int) -> None:
        if page <= self.page:
            return
        skipped = [n for n in self.page_numbers if self.page < n < page]
        for number in [*skipped, page]:
            self._pb(parent, number)
        self.page = page

    def open_line(self, parent: Element, line: Line) -> None:
        """Mark the start of a span's first line (only worth an ``lb`` when it has a zone)."""
        if line.id == self.last_line_id:
            # A run-in head and its body, or a paragraph and its attribution, share one line.
            return
        self.turn_to(parent, line)
        if line.id in self.zones:
            _sub(parent, "lb", facs="#" + line.id)
        self.last_line_id = line.id

    def fill(
        self, parent: Element, span: TextSpan, prefix: str = "", first_line_open: bool = False
    ) -> None:
        """Write ``span``'s text into ``parent`` with a break wherever a printed line ended."""
        segments = line_segments(span)
        if segments is None:
            # Offsets that do not fit the text cannot place breaks; the text matters more.
            _append_text(parent, prefix + span.text)
            return
        leading, pieces = segments
        _append_text(parent, leading)
        start = len(leading)
        for index, (line, text) in enumerate(pieces):
            if index > 0:
                self._break(parent, line)
            elif not first_line_open:
                self.open_line(parent, line)
            if index == 0:
                _append_text(parent, prefix)
            runs = [(e.start - start, e.end - start, e.rend) for e in span.emphasis
                    if start <= e.start < start + len(text)]
            self._line_text(parent, line, text, runs)
            start += len(text)

    def _break(self, parent: Element, line: Line) -> None:
        if line.id == self.last_line_id:
            return
        if line.page != self.page:
            self.turn_to(parent, line)
            # The pb stands in for the lb, but a line with a zone still needs its link.
            if line.id in self.zones:
                _sub(parent, "lb", facs="#" + line.id)
        else:
            _sub(parent, "lb", **({"facs": "#" + line.id} if line.id in self.zones else {}))
        self.last_line_id = line.id

    def _line_text(
        self, parent: Element, line: Line, text: str, runs: Sequence[tuple[int, int, str]] = ()
    ) -> None:
        """The line's text with its notes at their anchors and its emphasised ``runs``
        (offsets into ``text``) as ``hi``."""
        done = 0
        for offset, note in self._anchors(line, text):
            self._emphasised_text(parent, line, text[done : done + offset], done, runs)
            self.write_note(parent, note)
            done += offset
        self._emphasised_text(parent, line, text[done:], done, runs)

    def _emphasised_text(
        self,
        parent: Element,
        line: Line,
        text: str,
        at: int,
        runs: Sequence[tuple[int, int, str]],
    ) -> None:
        """``text`` (which starts at offset ``at`` of its line) with the parts of ``runs``
        it holds in ``<hi rend="...">``."""
        done = 0
        for start, end, rend in runs:
            start, end = max(start - at, done), min(end - at, len(text))
            if start >= end:
                continue
            self._plain_text(parent, line, text[done:start])
            self._plain_text(_sub(parent, "hi", rend=rend or "bold"), line, text[start:end])
            done = end
        self._plain_text(parent, line, text[done:])

    def _anchors(self, line: Line, text: str) -> list[tuple[int, Note]]:
        """Where in ``text`` (offsets relative to what is left after the previous anchor)
        the notes that refer to this line go: a margin note before the line beside it, a foot
        note after its call ``（3）`` in a line of its page."""
        found: list[tuple[int, Note]] = []
        for note in list(self.notes):
            if note.place == "margin" and note.beside == line.id:
                found.append((0, note))
            elif note.place == "foot" and note.call and note.page == line.page:
                call = re.search(rf"[（(]{re.escape(note.call)}[)）]|{re.escape(note.call)}", text)
                if call is None or (not note.call.isdigit() and len(note.call) != 1):
                    continue
                if note.call.isdigit() and not call.group().startswith(("（", "(")):
                    continue
                found.append((call.end(), note))
            else:
                continue
            self.notes.remove(note)
        found.sort(key=lambda pair: pair[0])
        relative, before = [], 0
        for offset, note in found:
            relative.append((offset - before, note))
            before = offset
        return relative

    def write_note(self, parent: Element, note: Note) -> None:
        element = _sub(parent, "note", place=note.place)
        if note.call:
            element.set("n", note.call)
        _append_text(element, note.text)

    def write_left_notes(self, parent: Element) -> None:
        """Notes whose call or line was not found in the text: at the end, not lost."""
        for note in self.notes:
            self.write_note(parent, note)
        self.notes = []

    def _plain_text(self, parent: Element, line: Line, text: str) -> None:
        if not text or line.confidence is None or line.confidence >= LOW_CONFIDENCE:
            _append_text(parent, text)
            return
        cert = "low" if line.confidence < VERY_LOW_CONFIDENCE else "medium"
        unclear = _sub(parent, "unclear", cert=cert, reason="low-ocr-confidence")
        # @cert only takes words in TEI 2.7; certainty/@degree keeps the recogniser's number.
        _sub(unclear, "certainty", locus="value", degree=_num(line.confidence, places=4))
        _append_text(unclear, text)

    def _pb(self, parent: Element, number: int) -> None:
        pb = _sub(parent, "pb", n=str(number))
        if self.facsimile and number in self.page_numbers:
            pb.set("facs", "#" + _page_id(number))
        for line in self.furniture.get(number, []):
            reason = self.reasons.get(line.id, "")
            if reason.startswith(("running head", "page number")) or "margin band" in reason:
                kind = "pageNum" if "page number" in reason else "header"
                _sub(parent, "fw", line.text.strip(), type=kind)


def line_segments(span: TextSpan) -> tuple[str, list[tuple[Line, str]]] | None:
    """Split ``span.text`` at ``line_starts``: text before the first line, then each line's part."""
    starts = span.line_starts
    if not span.lines or len(starts) != len(span.lines):
        return None
    bounds = [*starts, len(span.text)]
    if bounds[0] < 0 or any(a > b for a, b in itertools.pairwise(bounds)):
        return None
    pieces = [(line, span.text[bounds[i] : bounds[i + 1]]) for i, line in enumerate(span.lines)]
    return span.text[: starts[0]], pieces


def _page_id(number: int) -> str:
    return f"page-{number}"


def _num(value: float, places: int = 2) -> str:
    """A decimal without exponent or trailing zeros (``595.28``, ``0``), as data.numeric wants."""
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _sub(parent: Element, name: str, text: str | None = None, **attrs: str) -> Element:
    element = etree.SubElement(parent, _tag(name))
    for key, value in attrs.items():
        element.set(key, xml_safe(value))
    if text:
        element.text = xml_safe(text)
    return element


def _append_text(parent: Element, text: str) -> None:
    """Append ``text`` after the last thing in ``parent`` (lxml keeps it in text or a tail)."""
    if not text:
        return
    text = xml_safe(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _indent(element: Element, level: int = 0) -> None:
    """Indent element-only containers, never touching mixed content such as ``p``."""
    if etree.QName(element).localname not in _ELEMENT_ONLY or len(element) == 0:
        return
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        child.tail = inner
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level
