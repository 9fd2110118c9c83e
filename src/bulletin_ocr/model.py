"""The document model that flows through every stage: inputs fill pages, structure fills items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

LineSource = Literal["pdf", "ocr", "text"]
ItemKind = Literal["item", "brief", "table"]
HeadRend = Literal["run-in", "standalone"]


@dataclass(frozen=True)
class BBox:
    """Plain geometry in page units (points for PDFs, pixels for images), origin top-left."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @classmethod
    def union(cls, boxes: Iterable[BBox]) -> BBox | None:
        """The smallest box around all of ``boxes``; None when there are none."""
        listed = list(boxes)
        if not listed:
            return None
        return cls(
            min(b.x0 for b in listed),
            min(b.top for b in listed),
            max(b.x1 for b in listed),
            max(b.bottom for b in listed),
        )

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class FontInfo:
    name: str
    size: float
    bold: bool = False
    color: str | None = None
    stroke: float | None = None
    """For scans: the measured stroke width in ems (bold type is about 1.4 times the body's)."""


@dataclass(frozen=True)
class StyleRun:
    """Characters ``start:end`` of a line's text set in one face: a face change inside a line
    is where a run-in headline ends."""

    start: int
    end: int
    font: FontInfo


@dataclass(frozen=True)
class Rule:
    """A drawn horizontal rule: the red or heavy one under a masthead ends it."""

    page: int
    bbox: BBox
    color: str | None = None

    @property
    def thickness(self) -> float:
        return self.bbox.height


@dataclass(frozen=True)
class Ink:
    """What the pixels of one glyph box show (a scan's measure of its face)."""

    stroke: float
    """Mean stroke width in pixels (twice the ink area over its outline)."""
    height: float
    """Height of the ink in pixels."""
    red: bool
    area: int = 0
    """Number of ink pixels: a heavier face or a larger one leaves more ink per glyph."""


@dataclass(frozen=True)
class BodyInk:
    """A scanned page's usual body type, measured over its Chinese glyphs: stroke, ink height
    and ink area (medians, pixels), em (median size of all its glyphs) and pitch (the mean
    step between neighbouring Chinese glyphs of one box, gaps left out)."""

    stroke: float
    height: float
    em: float
    pitch: float
    area: float = 0.0
    char_heights: Mapping[str, float] = field(default_factory=dict)
    """Each character's ink height on the page over ``height``, for characters measured often
    enough to know it (``layout.ink.SHAPE_SEEN``): 工 or 四 leave less ink height than 警 in any
    face, so a glyph's height says its face only against its character's own."""


@dataclass
class Line:
    """One printed line as the input gave it, before any repair.

    ``id`` is unique in the document (``p{page}l{n}``) and is what TEI zones and JSON
    provenance point at.
    """

    id: str
    text: str
    page: int
    source: LineSource
    bbox: BBox | None = None
    confidence: float | None = None
    font: FontInfo | None = None
    polygon: tuple[tuple[float, float], ...] | None = None
    """The recogniser's outline of the line (OCR only), when it is not just ``bbox``."""
    # Layout measures in ems of the body font. ``right_gap`` is how far the line stops short
    # of the column's right edge; ``indent`` how far it starts in from the left edge (unknown
    # for raw text, where an indent only shows as a shorter line).
    indent: float | None = None
    right_gap: float = 0.0
    runs: list[StyleRun] = field(default_factory=list)
    """The faces the line is set in, left to right (empty when nothing is known of them)."""
    joined: bool = False
    """Plain text: the line follows the one before it with no blank line between, as a text
    extractor writes the lines of one block (``pdftotext``); False elsewhere."""
    unread_before: float = 0.0
    """OCR: ems of the recogniser's box left before the first glyph it read (a thin ``（``
    dropped on a 1-bit scan); 0 elsewhere."""
    unread_after: float = 0.0
    """OCR: ems of the recogniser's box left after the last glyph it read, where it may have
    dropped a printed glyph (a thin ``）`` on a 1-bit scan); 0 elsewhere."""
    gaps: tuple[int, ...] = ()
    """OCR on a page image: offsets in ``text`` of glyphs with a gap measured before them
    inside their box (``layout.glyphs.Glyph.gap_before``): where a headline's face may end
    though both sides measured alike (a wrapped headline's last glyphs on a colour page)."""
    repairs: list[str] = field(default_factory=list)
    """Names of the repairs that changed this line's text before any structure was decided
    (declared with the document's ``repairs``)."""


@dataclass(frozen=True)
class ImageTransform:
    """How preprocessing made the recognised image from the input image.

    Boxes stay in the processed image inside the pipeline (layout measures pixels there);
    exporters map them back with ``bulletin_ocr.export.coords`` so that they overlay the
    image the user supplied. Steps in order: scale, quarter turn, deskew about the centre.
    """

    input_width: int
    input_height: int
    scale_x: float = 1.0
    scale_y: float = 1.0
    rotation: int = 0
    """Degrees clockwise the input was turned (0, 90, 180, 270); preprocessing undid it."""
    skew: float = 0.0
    """Degrees of skew undone after the turn (positive: the lines rose to the right)."""
    input_dpi: float | None = None
    """Resolution of the input image (for PDF pages: the resolution it was rendered at)."""


@dataclass
class SetAside:
    """A line taken out of the text for a stated reason, kept so that nothing is lost."""

    line: Line
    reason: str
    """E.g. "outside the page": printed where no viewer shows it."""


NotePlace = Literal["margin", "foot"]


@dataclass
class Note:
    """A note printed beside the text (a margin reference) or at the foot of a page, kept out
    of the body text; ``call`` is the mark that refers to it in the text (``3`` of ``（3）``)."""

    place: NotePlace
    page: int
    lines: list[Line]
    reason: str
    call: str | None = None
    beside: str | None = None
    """Margin notes: the id of the body line printed beside the note."""

    @property
    def text(self) -> str:
        return "".join(line.text.strip() for line in self.lines)

    @property
    def bbox(self) -> BBox | None:
        return BBox.union(line.bbox for line in self.lines if line.bbox is not None)


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    unit: Literal["pt", "px"] | None = None
    dpi: float | None = None
    """For pages recognised from an image: the resolution the coordinates are in."""
    source: LineSource = "text"
    furniture: list[Line] = field(default_factory=list)
    furniture_reasons: dict[str, str] = field(default_factory=dict)
    """Why a furniture line (by id) was set aside: ``running head``, ``page number``, ..."""
    warnings: list[str] = field(default_factory=list)
    needs_ocr: bool = False
    """The text layer is missing or garbage and no OCR ran: its lines are kept for audit only."""
    text_layer: str | None = None
    """Why a PDF page was recognised instead of read (its text layer's verdict)."""
    preprocessing: list[str] = field(default_factory=list)
    """The image preprocessing steps that changed an OCR page, in order."""
    notes: list[str] = field(default_factory=list)
    """What was done to the page that a reader may want to know (not problems)."""
    transform: ImageTransform | None = None
    """OCR pages only: how to map their boxes back to the input image's pixels."""
    rules: list[Rule] = field(default_factory=list)
    """Horizontal rules drawn or printed on the page (PDF drawings, lines found in scans)."""
    columns: list[tuple[float, float]] = field(default_factory=list)
    """OCR pages: the white strips (x0, x1) between the page's columns, where it shows any."""
    set_aside: list[SetAside] = field(default_factory=list)
    """Lines that are not part of the page's text (see ``SetAside``); never exported as text."""


@dataclass(frozen=True)
class Emphasis:
    """Characters ``start:end`` of a span's text set in a display face inside its sentence
    (a bold run a paragraph keeps, not a headline); ``rend`` as TEI writes it (``bold``)."""

    start: int
    end: int
    rend: str


@dataclass
class TextSpan:
    """Clean text with the lines it came from.

    ``line_starts[i]`` is the offset in ``text`` where ``lines[i]`` begins, so exporters can put
    ``lb``/``pb`` back exactly where the printed lines broke.
    """

    text: str
    orig: str
    lines: list[Line]
    line_starts: list[int]
    emphasis: list[Emphasis] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({line.page for line in self.lines})


@dataclass
class Head:
    span: TextSpan
    rend: HeadRend

    @property
    def text(self) -> str:
        return self.span.text


@dataclass
class Table:
    """A ruled table: the text of its cells row by row, and where it sits on its page."""

    page: int
    bbox: BBox
    rows: list[list[str]]


@dataclass
class Section:
    """A section label printed on a line of its own (``【工作动态】``): the items after it, up
    to the next label, are in the section."""

    name: str
    """The label without its marks (``工作动态``)."""
    span: TextSpan
    """The label as printed."""


@dataclass
class Contents:
    """A bulletin's table of contents (``本期要目``): one entry per item headline, without
    leaders and page numbers. Never items."""

    head: TextSpan | None
    entries: list[TextSpan] = field(default_factory=list)


@dataclass
class Item:
    kind: ItemKind
    head: Head | None = None
    paragraphs: list[TextSpan] = field(default_factory=list)
    attribution: TextSpan | None = None
    """The organisation name without its parentheses; ``orig`` keeps them."""
    attribution_own_line: bool = False
    table: Table | None = None
    """Only for ``kind == "table"``: tables stand between items, outside their prose."""
    section: Section | None = None
    """The section label the item is printed under, if the bulletin has them."""


@dataclass
class Masthead:
    title: str | None = None
    issuer: str | None = None
    issue: str | None = None
    cumulative_issue: str | None = None
    date: str | None = None
    """ISO 8601 date (YYYY-MM-DD) when the printed date is complete."""
    date_text: str | None = None
    secrecy: str | None = None
    """The secrecy or circulation mark (``秘密★1年``, ``内部资料 注意保存``) as printed."""
    signer: str | None = None
    """The name after ``签发人：``."""
    spans: list[TextSpan] = field(default_factory=list)
    """The masthead as printed, one clean span per field, in reading order."""


@dataclass
class DistributionEntry:
    label: str | None
    span: TextSpan

    @property
    def text(self) -> str:
        return self.span.text


@dataclass
class Decision:
    """Why the recogniser gave some lines a role: the named cues that decided it."""

    role: str
    """"masthead", "headline", "run-in headline", "attribution", "paragraph", "brief", ..."""
    lines: list[str]
    """Ids of the lines the decision covers."""
    cues: list[str]


@dataclass
class Document:
    source: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    masthead: Masthead | None = None
    items: list[Item] = field(default_factory=list)
    distribution: list[DistributionEntry] = field(default_factory=list)
    """The footer: distribution lines, imprint, print run and colophon (``分析：``…)."""
    contents: Contents | None = None
    warnings: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    """Names of the repair functions that changed something, for the TEI editorialDecl."""
    engine: list[str] = field(default_factory=list)
    """Text sources and models that produced the lines (e.g. ``pdfplumber 0.11.4``)."""
    explain: list[Decision] = field(default_factory=list)
    """The structure decisions block by block, in reading order (``--explain``)."""
    notes: list[Note] = field(default_factory=list)
    """Margin and foot notes, in page order; their lines stay on the pages, out of the items."""
    page_selection: str | None = None
    """The ``--pages`` spec the pages were chosen by, None when every page was converted."""
