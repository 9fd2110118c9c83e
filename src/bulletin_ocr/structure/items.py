"""Items: headlines, paragraphs, attributions and △ briefs, assembled from blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bulletin_ocr.model import (
    Contents,
    Decision,
    DistributionEntry,
    Head,
    Item,
    Line,
    Masthead,
    Note,
    Section,
    TextSpan,
)
from bulletin_ocr.structure import conventions, cues
from bulletin_ocr.structure.blocks import Block
from bulletin_ocr.structure.conventions import footer, sections, toc
from bulletin_ocr.structure.masthead import read_masthead
from bulletin_ocr.structure.spans import Piece, SpanMaker, joined, pieces_of, split_pieces
from bulletin_ocr.structure.typography import BodyFace


@dataclass
class Structure:
    masthead: Masthead | None = None
    items: list[Item] = field(default_factory=list)
    distribution: list[DistributionEntry] = field(default_factory=list)
    contents: Contents | None = None
    repairs: list[str] = field(default_factory=list)
    explain: list[Decision] = field(default_factory=list)
    set_aside: list[Line] = field(default_factory=list)
    """Lines that are furniture, not text: the rules and stars of a masthead."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Why a line of ``set_aside`` (by id) is furniture, where a rule says so."""
    notes: list[Note] = field(default_factory=list)
    """Margin and foot notes, kept out of the items."""


class _Assembler:
    def __init__(self, body: BodyFace | None) -> None:
        self.body = body
        self.spans = SpanMaker()
        self.result = Structure()
        self.open_item: Item | None = None
        """The item that the next plain paragraph continues; None once an item has closed."""
        self.section: Section | None = None
        """The section label the next items are printed under."""

    def start_item(self, item: Item) -> Item:
        item.section = self.section
        self.result.items.append(item)
        self.open_item = item
        return item

    def explain(self, role: str, lines: Sequence[Line], found: Sequence[str]) -> None:
        self.result.explain.append(Decision(role, [line.id for line in lines], list(found)))

    def take(self, block: Block) -> None:
        self.explain(_ROLES[block.kind], block.lines, block.cues)
        if block.kind == "masthead":
            self.result.masthead = read_masthead(block, self.spans, self.body)
        elif block.kind == "head":
            head = Head(self.spans.span(pieces_of(block.lines)), "standalone")
            self.start_item(Item("item", head=head))
        elif block.kind == "para":
            self.take_paragraph(block)
        elif block.kind == "attribution":
            item = self.open_item or self.last_or_new_item()
            item.attribution = self.spans.unwrapped(pieces_of(block.lines), "（", "）")
            item.attribution_own_line = True
            self.open_item = None
        elif block.kind == "distribution":
            self.result.distribution = self.read_distribution(block)
        elif block.kind == "table":
            self.result.items.append(Item("table", table=block.table, section=self.section))
            self.open_item = None
        elif block.kind == "contents":
            self.result.contents = Contents(
                self.spans.span(pieces_of(block.lines[:1])),
                [self.spans.span(_entry_pieces(entry)) for entry in block.entries],
            )
            self.open_item = None
        elif block.kind == "section":
            span = self.spans.span(pieces_of(block.lines))
            self.section = Section(sections.name(span.text), span)
            self.open_item = None

    def last_or_new_item(self) -> Item:
        if self.result.items and self.result.items[-1].attribution is None:
            return self.result.items[-1]
        return self.start_item(Item("item"))

    def take_paragraph(self, block: Block) -> None:
        pieces = pieces_of(block.lines)
        if block.gap is not None:
            self.result.explain[-1].role = "run-in headline"
            head_pieces, pieces = _split_at_gap(pieces, block.gap)
            head = Head(self.spans.span(head_pieces), "run-in")
            item = self.start_item(Item("item", head=head))
        elif cues.is_brief_start(block.lines[0].text):
            self.result.explain[-1].role = "brief"
            pieces = _strip_brief_marker(pieces)
            item = self.start_item(Item("brief"))
        else:
            item = self.open_item or self.start_item(Item("item"))
        attribution_at = cues.trailing_attribution(joined(pieces))
        body, attribution = (
            split_pieces(pieces, attribution_at) if attribution_at is not None else (pieces, [])
        )
        if body:
            item.paragraphs.append(self.spans.span(body, block.emphasis))
        if attribution:
            item.attribution = self.spans.unwrapped(attribution, "（", "）")
            self.explain("attribution", [line for line, _ in attribution], ["closes paragraph"])
            self.open_item = None
        elif item.kind == "brief":
            self.open_item = None

    def read_distribution(self, block: Block) -> list[DistributionEntry]:
        """报：/送：/发： entries, each possibly wrapped over several lines, the imprint
        (``…印发``), 共印N份, and each field of a row of fields (``分析：王明  审核：李华``)."""
        groups: list[tuple[str | None, list[Piece]]] = []
        imprint = _imprint_rows(block.lines)
        for line in block.lines:
            if line.id in imprint:
                parts = imprint[line.id]
                if line is parts[0]:
                    groups.append((None, pieces_of(parts)))
                continue
            label = cues.DISTRIBUTION_LABEL.match(line.text)
            if label:
                groups.append((label.group("label"), [(line, line.text[label.end() :])]))
            elif (row := conventions.decide(line.text, "body")) is not None and (
                row.role == "fields" and row.labels is not None
            ):
                groups += [
                    (name, [(line, line.text[start:end])])
                    for name, start, end in footer.fields(line.text, row.labels)
                ]
            elif footer.is_copies(line.text) or footer.is_imprint(line.text) or not groups:
                groups.append((None, [(line, line.text)]))
            else:
                groups[-1][1].append((line, line.text))
        return [
            DistributionEntry(label, self.spans.span(pieces)) for label, pieces in groups if pieces
        ]


def _split_joined_entries(
    entries: Sequence[TextSpan], items: Sequence[Item], spans: SpanMaker
) -> list[TextSpan]:
    """Entries that are two of the items' headlines run together, split in two: an entry
    with no leaders that filled its line reads as one that wrapped onto the next (a post-pass:
    only the items found show it)."""
    heads = [item.head.text for item in items if item.head is not None]
    out: list[TextSpan] = []
    for entry in entries:
        pair = next(
            (heads[k] for k in range(len(heads) - 1)
             if entry.text not in heads and entry.text == heads[k] + heads[k + 1]),
            None,
        )
        if pair is None or len(entry.lines) < 2:
            out.append(entry)
            continue
        pieces = _entry_pieces(entry.lines)
        first, second = split_pieces(pieces, _raw_offset(joined(pieces), len(cues.compact(pair))))
        out += [spans.span(first), spans.span(second)]
    return out


def _raw_offset(raw: str, printed: int) -> int:
    """Where in ``raw`` the first ``printed`` non-space characters end."""
    seen = 0
    for offset, char in enumerate(raw):
        if seen == printed:
            return offset
        seen += not char.isspace()
    return len(raw)


def _entry_pieces(entry: Sequence[Line]) -> list[Piece]:
    """A contents entry's lines, the last without its leaders and page number."""
    *wrapped, last = entry
    return [*pieces_of(wrapped), (last, toc.entry_text(last.text))]


def _imprint_rows(lines: Sequence[Line]) -> dict[str, list[Line]]:
    """Imprints read as two lines, the office at the left of the row and ``…日印发`` at its
    right: each line's id with the row it belongs to."""
    found: dict[str, list[Line]] = {}
    for line in lines:
        if not footer.is_imprint(line.text):
            continue
        # On a page read as two columns the right half of the row comes after the left column.
        office = next(
            (other for other in lines
             if other is not line and _same_row(other, line) and other.id not in found
             and not cues.is_distribution_start(other.text)),
            None,
        ) or _office_before(lines, line, found)
        if office is not None:
            found[office.id] = found[line.id] = [office, line]
    return found


def _office_before(
    lines: Sequence[Line], imprint: Line, found: dict[str, list[Line]]
) -> Line | None:
    """Raw text shows no rows: an imprint that holds only its date (``2023年7月3日印发``)
    goes with the last line before it that names an office on its own (no label, no list)."""
    if imprint.bbox is not None or not footer.IMPRINT_DATE_ONLY.match(imprint.text):
        return None
    before = lines[: list(lines).index(imprint)]
    return next(
        (other for other in reversed(before)
         if other.id not in found and cues.is_issuer_line(other.text)
         and not cues.is_distribution_start(other.text) and "，" not in other.text),
        None,
    )


def _same_row(a: Line, b: Line) -> bool:
    if a.bbox is None or b.bbox is None or a.page != b.page:
        return False
    return a.bbox.top < b.bbox.bottom and b.bbox.top < a.bbox.bottom


def _split_at_gap(pieces: Sequence[Piece], gap: cues.Gap) -> tuple[list[Piece], list[Piece]]:
    offset = sum(len(text) + 1 for _, text in pieces[: gap.line]) + gap.start
    head, body = split_pieces(pieces, offset)
    return head, body


def _strip_brief_marker(pieces: Sequence[Piece]) -> list[Piece]:
    line, text = pieces[0]
    stripped = text.lstrip()
    rest = stripped[1:].lstrip()
    return [(line, rest), *pieces[1:]] if rest else list(pieces[1:])


_ROLES = {
    "masthead": "masthead",
    "head": "headline",
    "para": "paragraph",
    "attribution": "attribution",
    "distribution": "distribution",
    "table": "table",
    "contents": "contents",
    "section": "section label",
}


def assemble(blocks: Sequence[Block], body: BodyFace | None = None) -> Structure:
    """Masthead, items and distribution from the blocks, in order, with the decisions."""
    assembler = _Assembler(body)
    for block in blocks:
        assembler.take(block)
    result = assembler.result
    if result.contents is not None:
        result.contents.entries = _split_joined_entries(
            result.contents.entries, result.items, assembler.spans
        )
    result.repairs = assembler.spans.repairs
    result.set_aside = [
        line
        for block in blocks
        if block.kind == "masthead"
        for line in block.lines
        if cues.RULE_LINE.match(line.text) or cues.is_ornament(line.text)
    ]
    return result
