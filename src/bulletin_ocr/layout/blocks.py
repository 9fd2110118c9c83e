"""Group printed lines into blocks: masthead, headlines, paragraphs, attributions, footer.

Decisions use each line's ``right_gap`` and ``indent`` (in ems): a line that fills the column
continues its paragraph, a short one ends it, an indented one starts one. Textual cues from
``structure.cues`` settle what geometry alone cannot (a full line that ends a sentence
followed by an indented one; the gap after a run-in headline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bulletin_ocr.model import Line, Table
from bulletin_ocr.repair.chars import is_wide
from bulletin_ocr.structure import cues

BlockKind = Literal["masthead", "head", "para", "attribution", "distribution", "table"]

# How far short of the right edge a line may stop and still count as full, in ems. Estimated
# widths of raw text are off by about an em on lines with many digits.
FULL_LINE_TOLERANCE = 1.5
FIRST_LINE_INDENT = 2.0


@dataclass
class Block:
    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    gap: cues.Gap | None = None
    """For a paragraph opened by a run-in headline: where the headline ends."""
    table: Table | None = None


@dataclass
class _Context:
    lines: Sequence[Line]
    spaces_are_noise: bool
    blocks: list[Block] = field(default_factory=list)


def segment(lines: Sequence[Line], *, masthead: bool = True) -> list[Block]:
    """Split the document's lines (reading order, furniture removed) into blocks."""
    ctx = _Context(lines, spaces_are_noise=_spaces_are_noise(lines))
    index = _take_masthead(ctx) if masthead else 0
    while index < len(lines):
        index = _take_block(ctx, index)
    return _merge_headlines(ctx.blocks)


def segment_around_tables(lines: Sequence[Line], tables: Sequence[Table]) -> list[Block]:
    """Segment the text between tables separately: no paragraph runs on through a table."""

    def position(line: Line) -> tuple[int, float]:
        return line.page, line.bbox.top if line.bbox is not None else 0.0

    blocks: list[Block] = []
    remaining = list(lines)
    for table in sorted(tables, key=lambda t: (t.page, t.bbox.top)):
        where = (table.page, table.bbox.top)
        before = [line for line in remaining if position(line) < where]
        remaining = remaining[len(before) :]
        blocks += segment(before, masthead=not blocks)
        blocks.append(Block("table", table=table))
    return blocks + segment(remaining, masthead=not blocks)


def _spaces_are_noise(lines: Sequence[Line]) -> bool:
    """Whether spaces between Chinese characters are common enough to say nothing."""
    between = re.compile(r"\S\s+\S")
    noisy = 0
    for line in lines:
        text = line.text
        if any(
            is_wide(text[m.start()]) and is_wide(text[m.end() - 1])
            for m in between.finditer(text)
        ):
            noisy += 1
    return noisy > max(3, len(lines) // 8)


def _take_masthead(ctx: _Context) -> int:
    """Masthead lines open page 1: title, issue, issuer, date, and rules between them."""
    block = Block("masthead")
    index = 0
    for line in ctx.lines[:8]:
        if line.page != 1:
            break
        issuer = cues.is_issuer_line(line.text) and _masthead_follows(ctx.lines, index)
        if not (cues.is_masthead_line(line.text) or cues.RULE_LINE.match(line.text) or issuer):
            break
        block.lines.append(line)
        index += 1
    if not any(cues.is_masthead_line(line.text) for line in block.lines):
        return 0
    ctx.blocks.append(block)
    return index


def _masthead_follows(lines: Sequence[Line], index: int) -> bool:
    """A masthead line follows, or stands beside this one on its row (a date at the right).

    An issuer alone is no masthead; with a date or issue number next to it, it is.
    """
    if any(cues.is_masthead_line(line.text) for line in lines[index + 1 : index + 3]):
        return True
    if index == 0:
        return False
    before, line = lines[index - 1].bbox, lines[index].bbox
    same_row = before is not None and line is not None and (
        before.top < line.bottom and line.top < before.bottom
    )
    return same_row and cues.is_masthead_line(lines[index - 1].text)


def _at_item_boundary(ctx: _Context) -> bool:
    """Whether an item may start here: the previous item visibly ended, or none began."""
    if not ctx.blocks:
        return True
    last = ctx.blocks[-1]
    if last.kind in ("masthead", "attribution"):
        return True
    if last.kind == "para":
        return cues.trailing_attribution(last.lines[-1].text) is not None
    return False


def _take_block(ctx: _Context, index: int) -> int:
    lines = ctx.lines
    line = lines[index]
    text = line.text
    if cues.is_distribution_start(text):
        ctx.blocks.append(Block("distribution", list(lines[index:])))
        return len(lines)
    if cues.attribution_org(text) is not None:
        ctx.blocks.append(Block("attribution", [line]))
        return index + 1
    if cues.is_toc_entry(text):
        ctx.blocks.append(Block("para", [line]))
        return index + 1
    following = lines[index + 1].text if index + 1 < len(lines) else None
    gap = None
    if not cues.is_brief_start(text):
        gap = cues.find_run_in_gap(
            text,
            following,
            item_boundary=_at_item_boundary(ctx),
            spaces_are_noise=ctx.spaces_are_noise,
        )
    if gap is None and _is_standalone_headline(line):
        ctx.blocks.append(Block("head", [line]))
        return index + 1
    block = Block("para", [line], gap=gap)
    ctx.blocks.append(block)
    position = index
    if gap is not None and gap.line == 1:
        position += 1
        block.lines.append(lines[position])
    while not _ends_paragraph(lines, position, block):
        position += 1
        block.lines.append(lines[position])
    return position + 1


def _is_standalone_headline(line: Line) -> bool:
    if not cues.looks_like_headline(line.text):
        return False
    centred = line.indent is not None and line.indent >= 1.0 and line.right_gap >= 1.0
    return centred or line.right_gap >= FIRST_LINE_INDENT + FULL_LINE_TOLERANCE


def _starts_block(line: Line) -> bool:
    text = line.text
    return (
        cues.is_brief_start(text)
        or cues.is_toc_entry(text)
        or cues.attribution_org(text) is not None
        or cues.is_distribution_start(text)
        or (line.indent is not None and line.indent >= FIRST_LINE_INDENT - 0.5)
    )


def _ends_paragraph(lines: Sequence[Line], position: int, block: Block) -> bool:
    """Whether the paragraph in ``block`` ends with ``lines[position]``."""
    if position + 1 >= len(lines):
        return True
    line, following = lines[position], lines[position + 1]
    if following.text[:1] in cues.NO_LINE_START:
        return False  # closing punctuation wrapped onto the next line still belongs here
    if cues.trailing_attribution(line.text) is not None or _starts_block(following):
        return True
    first = line is block.lines[0]
    allowed = FULL_LINE_TOLERANCE
    if block.gap is not None and (line is block.lines[0] or line is block.lines[block.gap.line]):
        # Bold headline glyphs are wider than the estimate, and the gap itself takes room.
        allowed += 8.0
    elif first and line.indent is None:
        allowed += FIRST_LINE_INDENT
    if line.right_gap > allowed:
        return True
    # A full line that ends a sentence, followed by one just an indent short of full,
    # is the end of a paragraph and the start of the next.
    if cues.ends_sentence(line.text) and following.indent is None:
        return (
            FULL_LINE_TOLERANCE <= following.right_gap <= FIRST_LINE_INDENT + FULL_LINE_TOLERANCE
        )
    return False


def _merge_headlines(blocks: list[Block]) -> list[Block]:
    """Consecutive standalone headline lines are one headline that wrapped."""
    merged: list[Block] = []
    for block in blocks:
        numbered = cues.LIST_MARKER.match(block.lines[0].text) if block.lines else None
        if block.kind == "head" and merged and merged[-1].kind == "head" and not numbered:
            merged[-1].lines.extend(block.lines)
        else:
            merged.append(block)
    return merged
