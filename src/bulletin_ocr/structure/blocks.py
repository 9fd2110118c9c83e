"""Group printed lines into blocks: masthead, headlines, paragraphs, attributions, footer.

Decisions use each line's ``right_gap`` and ``indent`` (in ems): a line that fills the column
continues its paragraph, a short one ends it, an indented one starts one. Typography
(``structure.typography``: a headline's heavier or larger face) and textual cues
(``structure.cues``) settle what geometry alone cannot. Every block records the names of the
cues that made it what it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Literal

from bulletin_ocr.model import Line, Table
from bulletin_ocr.repair.chars import is_cjk, is_wide
from bulletin_ocr.structure import conventions, cues, typography, words
from bulletin_ocr.structure.contents import contents_lines, opens_entry
from bulletin_ocr.structure.conventions import toc
from bulletin_ocr.structure.features import input_kind
from bulletin_ocr.structure.thresholds import SHARED, Rules, profile
from bulletin_ocr.structure.typography import BodyFace

BlockKind = Literal[
    "masthead", "head", "para", "attribution", "distribution", "table", "contents", "section"
]

# The numbers below come from ``thresholds``: ``ctx.rules`` is the profile of the input's
# kind, ``SHARED`` where a helper sees no context (those fields are the same for every kind).
_SCRIPT_CHANGE = re.compile(
    r"(?<=[\u3400-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])(?=[\u3400-\u9fff])"
)


@dataclass
class Block:
    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    gap: cues.Gap | None = None
    """For a paragraph opened by a run-in headline: where the headline ends."""
    table: Table | None = None
    cues: list[str] = field(default_factory=list)
    """Why the block is what it is (``--explain``)."""
    emphasis: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Lines (by id) that open with a display-face run kept inside the sentence: where in the
    line's text the run ends, and how it is set (TEI ``rend``)."""
    entries: list[list[Line]] = field(default_factory=list)
    """For a table of contents: the lines of each entry (an entry may wrap)."""


@dataclass(frozen=True)
class Evidence:
    """What the recogniser knows about the document as a whole."""

    body: BodyFace | None = None
    """The body text's face; None when the lines carry no faces (raw text)."""
    masthead_ids: frozenset[str] = frozenset()
    """Lines above the masthead rule on page 1 (empty when no rule marks the masthead)."""


@dataclass
class _Context:
    lines: Sequence[Line]
    spaces_are_noise: bool
    evidence: Evidence
    rules: Rules
    """The thresholds of the input's kind."""
    blocks: list[Block] = field(default_factory=list)
    contents: frozenset[str] = frozenset()
    """Ids of the lines that are entries of a table of contents."""


def segment(
    lines: Sequence[Line], evidence: Evidence = Evidence(), *, masthead: bool = True
) -> list[Block]:
    """Split the document's lines (reading order, furniture removed) into blocks."""
    ctx = _Context(
        lines, spaces_are_noise(lines), evidence, profile(input_kind(lines)),
        contents=contents_lines(lines),
    )
    index = _take_masthead(ctx) if masthead else 0
    while index < len(lines):
        index = _take_block(ctx, index)
    return _merge_headlines(ctx.blocks)


def segment_around_tables(
    lines: Sequence[Line],
    tables: Sequence[Table],
    evidence: Evidence = Evidence(),
    *,
    masthead: bool = True,
) -> list[Block]:
    """Segment the text between tables separately: no paragraph runs on through a table.
    ``masthead=False`` reads the opening lines as any others (a document with no bulletin
    masthead)."""

    def position(line: Line) -> tuple[int, float]:
        return line.page, line.bbox.top if line.bbox is not None else 0.0

    blocks: list[Block] = []
    remaining = list(lines)
    for table in sorted(tables, key=lambda t: (t.page, t.bbox.top)):
        where = (table.page, table.bbox.top)
        before = [line for line in remaining if position(line) < where]
        remaining = remaining[len(before) :]
        blocks += segment(before, evidence, masthead=masthead and not blocks)
        blocks.append(Block("table", table=table, cues=["ruled table"]))
    return blocks + segment(remaining, evidence, masthead=masthead and not blocks)


def spaces_are_noise(lines: Sequence[Line]) -> bool:
    """Whether spaces between Chinese characters are common enough to say nothing."""
    between = re.compile(r"\S\s+\S")
    noisy = 0
    for line in lines:
        text = line.text
        if conventions.role_of(text, "masthead") == "signer":
            continue  # the issuer and the signer stand apart by layout, not by noise
        if any(
            is_wide(text[m.start()]) and is_wide(text[m.end() - 1])
            for m in between.finditer(text)
        ):
            noisy += 1
    return noisy > max(SHARED.noisy_spaces_min, len(lines) // SHARED.noisy_spaces_every)


def _take_masthead(ctx: _Context) -> int:
    """Masthead lines open page 1: everything above the masthead rule when one is drawn, else
    the title, issue, issuer, date and classification lines, and rules between them."""
    ruled = ctx.evidence.masthead_ids
    if ruled:
        count = 0
        while count < len(ctx.lines) and ctx.lines[count].id in ruled:
            count += 1
        if count:
            ctx.blocks.append(Block("masthead", list(ctx.lines[:count]), cues=["above rule"]))
            return count
    block = Block("masthead")
    index = 0
    found: list[str] = []
    for line in ctx.lines[: ctx.rules.max_masthead_lines]:
        if line.page != 1:
            break
        cue = _masthead_cue(ctx, line, index)
        if cue is None:
            break
        block.lines.append(line)
        found.append(cue)
        index += 1
    if not any(cue in ("masthead text", "title face", "signer line") for cue in found):
        return 0
    block.cues = list(dict.fromkeys(found))
    ctx.blocks.append(block)
    return index


def _masthead_cue(ctx: _Context, line: Line, index: int) -> str | None:
    """Why ``line`` belongs to a masthead that has no rule to mark it, if it does."""
    text = line.text
    body = ctx.evidence.body
    row = conventions.decide(text, "masthead")
    if row is not None:
        return row.cue
    if cues.is_masthead_line(text):
        return "masthead text"
    if body is not None and typography.is_title_face(line, body) and cues.is_title_like(text):
        return "title face"
    if cues.RULE_LINE.match(text) or cues.is_ornament(text):
        return "rule"
    if cues.is_classification_line(text):
        return "classification"
    if cues.is_issuer_line(text) and _masthead_follows(ctx.lines, index):
        return "issuer"
    return None


def _masthead_follows(lines: Sequence[Line], index: int) -> bool:
    """A masthead line follows, or stands beside this one on its row (a date at the right).

    An issuer alone is no masthead; with a date or issue number next to it, it is.
    """
    after = lines[index + 1 : index + 1 + SHARED.masthead_reach]
    if any(cues.is_masthead_line(line.text) for line in after):
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
    if last.kind in ("masthead", "attribution", "contents", "section"):
        return True
    if last.kind == "para":
        return cues.trailing_attribution(last.lines[-1].text) is not None
    return False


def _take_block(ctx: _Context, index: int) -> int:
    lines = ctx.lines
    line = lines[index]
    text = line.text
    row = conventions.decide(text, "body")
    if row is not None and row.role == "contents":
        return _take_contents(ctx, index, row.cue)
    if row is not None and row.role == "section":
        ctx.blocks.append(Block("section", [line], cues=[row.cue]))
        return index + 1
    if row is not None:  # the footer: distribution, imprint, print run, colophon
        ctx.blocks.append(Block("distribution", list(lines[index:]), cues=[row.cue]))
        return len(lines)
    if cues.attribution_org(text) is not None:
        ctx.blocks.append(Block("attribution", [line], cues=["bracketed organisation"]))
        return index + 1
    following = lines[index + 1] if index + 1 < len(lines) else None
    wrapped = _wrapped_attribution(line, following)
    if wrapped:
        ctx.blocks.append(Block("attribution", [line, lines[index + 1]], cues=[wrapped]))
        return index + 2
    if line.id in ctx.contents:
        return _take_contents_entry(ctx, index)
    if cues.is_toc_entry(text):
        ctx.blocks.append(Block("para", [line], cues=["dot leaders"]))
        return index + 1
    gap, gap_cues = _run_in_gap(ctx, index)
    if gap is None and _continues_numbered_headline(ctx, line):
        ctx.blocks.append(Block("head", [line], cues=["numbered headline goes on"]))
        return index + 1
    if gap is None:
        standalone = _standalone_headline_cues(ctx, index)
        if standalone:
            ctx.blocks.append(Block("head", [line], cues=standalone))
            return index + 1
    block = Block("para", [line], gap=gap, cues=gap_cues)
    ctx.blocks.append(block)
    position = index
    for _ in range(gap.line if gap is not None else 0):
        position += 1
        block.lines.append(lines[position])
    while not _ends_paragraph(ctx, position, block):
        position += 1
        block.lines.append(lines[position])
    return position + 1


def _take_contents(ctx: _Context, index: int, cue: str) -> int:
    """A ``本期要目`` heading and its entries, one line each or wrapped: a line goes on with the
    entry before it when that one reached the column's edge without leaders. The entries end
    at the first line that is no headline's, at a label of the table (a section, the footer),
    at the item that repeats the first entry, or where the face changes from the entries'."""
    entries: list[list[Line]] = []
    position = index + 1
    for line in ctx.lines[index + 1 : index + 1 + ctx.rules.max_contents_lines]:
        if conventions.decide(line.text, "body") is not None:
            break
        first = entries[0][0] if entries else None
        if first is not None and _face_kind(ctx, line) != _face_kind(ctx, first):
            break
        last = entries[-1][-1] if entries else None
        if first is not None and _repeats_entry(first, line):
            break  # the first item, its headline wrapped or not
        if last is not None and _entry_goes_on(ctx.rules, last, line):
            entries[-1].append(line)  # its last glyphs may be one or two (``效……3``)
        elif not toc.could_be_entry(line.text):
            break
        else:
            entries.append([line])
        position += 1
    found = [cue, f"{len(entries)} entries"]
    lines = [ctx.lines[index], *(line for entry in entries for line in entry)]
    ctx.blocks.append(Block("contents", lines, cues=found, entries=entries))
    return position


def _entry_goes_on(rules: Rules, last: Line, line: Line) -> bool:
    """An entry wrapped: its line reached the column's edge with no leaders, and the next
    opens no numbered entry."""
    # Raw text loses the entries' indent: their full lines stop that much short.
    allowed = rules.full_line_tolerance + rules.lost_indent
    # A number that did not fit stays whole on the next line (``…召开`` / ``2024年…``).
    allowed += cues.leading_unit_width(line.text)
    return (
        last.right_gap <= allowed
        and not toc.has_leaders(last.text)
        and not toc.opens_entry(line.text)
        and not cues.has_sentence_punct(line.text)
    )


def _repeats_entry(entry: Line, line: Line) -> bool:
    """The line opens the item that the entry lists (its headline, or its first line)."""
    first, this = toc.headline_key(entry.text), toc.headline_key(line.text)
    shorter = min(len(first), len(this))
    return shorter >= SHARED.entry_key_min and first[:shorter] == this[:shorter]


def _face_kind(ctx: _Context, line: Line) -> tuple[bool, bool]:
    """Whether the line is set in a display face, and whether its face changes inside it."""
    body = ctx.evidence.body
    if body is None:
        return False, False
    return (
        bool(typography.line_display_cues(line, body)),
        typography.face_change(line, body) is not None,
    )


def _take_contents_entry(ctx: _Context, index: int) -> int:
    """One entry of a table of contents, with the lines it wrapped onto: a line that opens no
    entry, after one that reached the column's edge."""
    entry = [ctx.lines[index]]
    for line in ctx.lines[index + 1 :]:
        if line.id not in ctx.contents or opens_entry(line):
            break
        if entry[-1].right_gap > ctx.rules.full_line_tolerance:
            break
        entry.append(line)
    ctx.blocks.append(Block("para", entry, cues=["table of contents"]))
    return index + len(entry)


def _wrapped_attribution(line: Line, following: Line | None) -> str | None:
    """An attribution on lines of its own that wrapped (``（区市场监管`` / ``局）``)."""
    if following is None or not line.text.lstrip().startswith(("（", "(")):
        return None
    if cues.attribution_org(line.text + following.text) is None:
        return None
    return "bracketed organisation, wrapped"


def _run_in_gap(ctx: _Context, index: int) -> tuple[cues.Gap | None, list[str]]:
    """Where a run-in headline that starts on ``lines[index]`` ends, and what shows it."""
    line = ctx.lines[index]
    following = ctx.lines[index + 1] if index + 1 < len(ctx.lines) else None
    if cues.is_brief_start(line.text):
        return None, ["brief marker"]
    body = ctx.evidence.body
    if body is not None:
        changed = (
            _face_change_gap(ctx.lines, index, body)
            or _date_after_display_line(line, following, body)
            or _tail_after_wrapped_display_lines(ctx.lines, index, body)
        )
        if changed is not None:
            return changed
    following_lines = _lines_a_headline_may_wrap_over(ctx, index)
    wrapped = [other.text for other in following_lines]
    gap = cues.find_run_in_gap(
        line.text,
        wrapped[0] if wrapped else None,
        *wrapped[1:],
        item_boundary=_at_item_boundary(ctx) or _numbered_after_a_sentence(ctx, line),
        spaces_are_noise=ctx.spaces_are_noise,
    )
    if gap is not None:
        return gap, ["gap after headline"]
    # Only lines that go on with no indent can hold the rest of the headline.
    going_on = list(
        takewhile(lambda other: other.indent is None or _unindented(other), following_lines)
    )
    gap = cues.numbered_head_before_opener([line.text, *(other.text for other in going_on[:2])])
    return gap, (["numbered headline", "body opens with its date"] if gap is not None else [])


def _lines_a_headline_may_wrap_over(ctx: _Context, index: int) -> list[Line]:
    """The lines after ``lines[index]`` that a run-in headline starting there may go on to:
    each after a line that reaches the column's edge. A line that stops short ends whatever
    headline it holds (a table of contents' ``一、主要职能`` / ``二、部门决算单位构成`` read as
    one headline); raw text shows no edge."""
    lines, rules = ctx.lines, ctx.rules
    wrapped: list[Line] = []
    previous = lines[index]
    for line in lines[index + 1 : index + rules.max_head_lines - 1]:
        if (
            previous.indent is not None
            and previous.right_gap > rules.full_line_tolerance + rules.head_slack
        ):
            break
        wrapped.append(line)
        previous = line
    return wrapped


def _face_change_gap(
    lines: Sequence[Line], index: int, body: BodyFace
) -> tuple[cues.Gap, list[str]] | None:
    """A headline face that gives way to the body face, on this line or, when the headline
    wraps, on one of the next (the lines before it each in a display face, in the face of
    the headline run that ends there, or full and unpunctuated; in a face they may fall
    short of the column's edge, since a larger face fits fewer characters)."""
    window = lines[index : index + SHARED.max_head_lines]
    changes = ((offset, typography.face_change(line, body)) for offset, line in enumerate(window))
    last, change = next(((o, c) for o, c in changes if c is not None), (0, None))
    if change is None:
        return None
    end, found = change
    head_font = typography.runs_with_text(window[last])[0][0].font
    for line in window[:last]:
        if not (
            typography.line_display_cues(line, body)
            or typography.same_display_face(line, head_font, body)
            or _reads_as_wrapped_headline(line)
        ):
            return None
    head = "".join(line.text for line in window[:last]) + window[last].text[:end]
    # The body's own opening words measured heavier (``一是`` of ``一是建立问题清单…``).
    if not cues.could_be_run_in_head(head) or words.BODY_OPENER.fullmatch(cues.compact(head)):
        return None
    if _runs_on_mid_phrase(window[last], end):
        return None
    where = "face change" if last == 0 else "face change after wrapped headline"
    return _gap_at(last, window[last].text, end), [*found, where]


# Words that bind to the word after them (``量的`` + ``关系``, ``A和`` + ``B``): a phrase that
# ends with one is unfinished.
_BINDS_FORWARD = frozenset("的之和与及或并对把被")


def _runs_on_mid_phrase(line: Line, end: int) -> bool:
    """The display run stops mid-phrase, on a word that binds to the body's next word with no
    punctuation between, and the full line goes on into the next with its sentence
    unfinished: a headline ends its phrase (``一是建机制``, ``（一）总体情况``), so this run is
    emphasis opening the sentence (``交换价值首先表现为量的`` ``关系，表现为…彼此`` /
    ``相交换的比例…``)."""
    before, after = line.text[:end].rstrip(), line.text[end:].lstrip()
    return (
        bool(before) and before[-1] in _BINDS_FORWARD and bool(after) and is_cjk(after[0])
        and line.text[end - 1 : end + 1].strip() == line.text[end - 1 : end + 1]
        and _full_and_unfinished(line)
    )


def _reads_as_wrapped_headline(line: Line) -> bool:
    """A full line with no sentence punctuation before a line that opens in a headline face:
    the headline's first line, whose face the pixels did not show (a larger face measured
    at the body's size, a 黑体 line of few glyphs among quotes and numbering). A paragraph
    of the body would have had to end, unpunctuated, on a full line."""
    return line.right_gap <= SHARED.full_line_tolerance and not cues.has_sentence_punct(line.text)


def _date_after_display_line(
    line: Line, following: Line | None, body: BodyFace
) -> tuple[cues.Gap, list[str]] | None:
    """A line in a headline face that ends in a date, before a line in the body face: the
    date opens the body (a scan's few date glyphs measure in the face of the run before
    them, and the gap before digits is not measured), with ``截至`` or other opening words
    just before it (``…工作会议截至1`` / ``月26日，``, b012956)."""
    if following is None or typography.line_display_cues(following, body):
        return None
    found = typography.line_display_cues(line, body)
    start = cues.date_at_line_end(line.text, following.text) if found else None
    if start is not None:
        start = _openers_before(line.text, start)
    if start is None or not cues.could_be_run_in_head(line.text[:start]):
        return None
    return _gap_at(0, line.text, start), [*found, "date opens the body"]


def _tail_after_wrapped_display_lines(
    lines: Sequence[Line], index: int, body: BodyFace
) -> tuple[cues.Gap, list[str]] | None:
    """Lines in a headline face that fill their lines, unpunctuated, before an unindented line
    in the body face that opens with the headline's last glyphs (``_wrapped_tail_end``): the
    headline wrapped and ends there. Those glyphs measure as the body's when they are one or
    two, and a space beside digits (``会议 9月12日``) is no headline gap by itself on a later
    line; the display face and the missing indent together make it one."""
    found: list[str] = []
    last = index
    while last < min(index + SHARED.max_head_lines - 1, len(lines) - 1):
        line_cues = typography.line_display_cues(lines[last], body)
        if not line_cues or not _reads_as_wrapped_headline(lines[last]):
            break
        found = found or line_cues
        last += 1
    following = lines[last]
    opens_body = _unindented(following) and not typography.line_display_cues(following, body)
    if last == index or not opens_body:
        return None
    before = lines[last - 1].text
    end = _wrapped_tail_end(following)
    # The body's opening words cut by the break (``…工作截`` / ``至7月``) end the headline on
    # the line before.
    cut = _opener_across_the_break(before, following.text) if end is None else None
    if end is None and cut is None:
        end = _body_after_a_cut_word(before, following.text)
    if cut is not None:
        head = "".join(line.text for line in lines[index : last - 1]) + before[:cut]
        gap = _gap_at(last - 1 - index, before, cut)
    elif end is not None:
        head = "".join(line.text for line in lines[index:last]) + following.text[:end]
        gap = _gap_at(last - index, following.text, end)
    else:
        return None
    if cues.has_sentence_punct(head) or not cues.could_be_run_in_head(head):
        return None
    return gap, [*found, "wrapped headline's last glyphs"]


def _wrapped_tail_end(line: Line) -> int | None:
    """Where the last glyphs of a headline wrapped onto ``line`` end: at a space among its
    first few glyphs, or at the end of a short opening run set larger or heavier than the
    run after it (the scan showed a gap there, too few glyphs before it to show a face)."""
    space = re.search(r"\s+", line.text)
    if space is not None and 0 < space.start() <= SHARED.wrap_tail:
        return space.start()
    # A gap the scan measured though the faces on its two sides measured alike (``交出亮眼答卷
    # 区医保局牵头…`` on a colour page, b012265).
    gap = next((offset for offset in line.gaps if 0 < offset <= SHARED.wrap_tail), None)
    if gap is not None:
        return gap
    runs = typography.runs_with_text(line)
    if len(runs) < 2 or len(runs[0][1]) > SHARED.wrap_tail:
        return None
    (first, _), (second, _) = runs[0], runs[1]
    if first.font.size > second.font.size or (first.font.bold and not second.font.bold):
        return first.end
    return None


def _body_after_a_cut_word(before: str, after: str) -> int | None:
    """Where the body begins on ``after`` when the line break cut the headline's last word
    (``见行见`` / ``效截至6月``) and no gap or face parts the word's end from the body: at the
    body's opening words (a date, ``截至``) among the first few glyphs, else at the end of the
    word the break cuts. A headline that filled its line and ended there cuts no word."""
    if words.BODY_OPENER.match(after):
        return None
    opener = words.body_opener_near(after, 0, reach=SHARED.wrap_tail)
    if opener is not None:
        return opener
    tail = before[-SHARED.wrap_tail:]
    cut = words.word_across(tail + after, len(tail))
    if cut is None or cut[1] > len(tail) + SHARED.wrap_tail:
        return None
    return cut[1] - len(tail)


def _opener_across_the_break(before: str, after: str) -> int | None:
    """Where on ``before`` the body's opening words begin when the line break cuts them
    (``截`` / ``至7月``, ``…会议熊`` / ``文雪强调，``): there the headline ends, the line before its
    last one. Opening words that run straight into those open the body with them (``截至1`` /
    ``月26日``: ``截至`` then the date the break cuts, b012956)."""
    tail = before[-SHARED.wrap_tail:]
    for start, end in words.openers(tail + after):
        if 0 < start < len(tail) < end:
            return len(before) - len(tail) + _openers_before(tail + after, start)
    return None


def _openers_before(text: str, start: int) -> int:
    """``start`` moved back over the body's opening words that end right there (``截至``
    before a date): they open the body with what follows them."""
    ends = {end: begin for begin, end in words.openers(text) if begin > 0}
    while start in ends:
        start = ends[start]
    return start


def _unindented(line: Line) -> bool:
    return line.indent is not None and line.indent < SHARED.first_line_indent / 2


def _gap_at(line_index: int, text: str, end: int) -> cues.Gap:
    """The gap from the end of a headline at ``end`` over the spaces that follow it (or over
    a space just before or after it: a measured face change is a few glyphs off at worst);
    but not past the body's opening words where ``end`` falls on them (``…养老服务工作`` /
    ``截至4月7. 共走访``: the space is where OCR lost ``日，``, b012711)."""
    spaces = [m for m in re.finditer(r"\s+", text) if m.start() > 0 and m.end() < len(text)]
    near = [m for m in spaces if abs(m.start() - end) <= SHARED.snap_to_space]
    if any(start == end for start, _ in words.openers(text)):
        near = [m for m in near if m.end() == end]  # the space just before them, if any
    if near:
        nearest = min(near, key=lambda m: abs(m.start() - end))
        return cues.Gap(line_index, nearest.start(), nearest.end())
    stop = end
    while stop < len(text) and text[stop].isspace():
        stop += 1
    return cues.Gap(line_index, end, stop)


def _standalone_headline_cues(ctx: _Context, index: int) -> list[str]:
    """Why the line is a headline of its own: in a display face, or short or centred with the
    words of one."""
    line = ctx.lines[index]
    margin = ctx.rules.centred_margin
    centred = line.indent is not None and line.indent >= margin and line.right_gap >= margin
    short = line.right_gap >= ctx.rules.first_line_indent + ctx.rules.full_line_tolerance
    where = ["centred"] if centred else ["short line"] if short else []
    body = ctx.evidence.body
    face = typography.line_display_cues(line, body) if body is not None else []
    if face and cues.could_be_standalone_head(line.text) and not _sentence_runs_on(ctx, index):
        return [*face, *where]  # a headline face needs no room around it: it may wrap
    if where and cues.looks_like_headline(line.text):
        return ["headline words", *where]
    if cues.looks_like_headline(line.text) and _numbered_after_a_sentence(ctx, line):
        return ["numbered", "headline words"]
    return []


def _sentence_runs_on(ctx: _Context, index: int) -> bool:
    """A full line with a sentence's comma inside it and no end, or ending on a word that
    binds to the next (``通过“鹤鸣通”App和`` / ``政务服务网，…``, b012378: a headline ends its
    phrase), before an unindented line in the body face: a paragraph's first line, whatever
    face its glyphs measured in (``付志杰强调，要创新工`` / ``作方法，…``). A headline that
    wraps goes on in its face."""
    line = ctx.lines[index]
    following = ctx.lines[index + 1] if index + 1 < len(ctx.lines) else None
    body = ctx.evidence.body
    if following is None or body is None or typography.line_display_cues(following, body):
        return False
    text = cues.compact(line.text)
    unfinished = cues.punctuated_inside(line.text) or text[-1:] in _BINDS_FORWARD
    return _full_and_unfinished(line) and unfinished and _unindented(following)


def _full_and_unfinished(line: Line) -> bool:
    """The line fills its column with text and its sentence does not end there (a lone bullet
    glyph measured across a column is no sentence cut short)."""
    return (
        line.right_gap <= SHARED.full_line_tolerance
        and not cues.ends_sentence(line.text)
        and any(is_cjk(c) for c in line.text)
    )


def _numbered_after_a_sentence(ctx: _Context, line: Line) -> bool:
    """``一、`` or ``（二）`` opening a line after the text before ended: an item starts.

    Only for raw text, which shows nothing else: where faces and indents are known, a
    numbered list inside a paragraph (``3.参与编制……``) must not split it.
    """
    return (
        line.indent is None
        and bool(cues.LIST_MARKER.match(line.text))
        and _after_a_sentence(ctx)
    )


def _after_a_sentence(ctx: _Context) -> bool:
    """The text before ended: a masthead, an attribution, or a paragraph's full stop."""
    if _at_item_boundary(ctx):
        return True
    last = ctx.blocks[-1]
    return last.kind == "para" and cues.ends_sentence(last.lines[-1].text)


def _continues_numbered_headline(ctx: _Context, line: Line) -> bool:
    """Raw text in a narrow column wraps a numbered headline (``（一）新桥街道夜间`` /
    ``经济跑出加速度全力`` / ...) over lines that show nothing else of a headline: a line with
    no sentence punctuation after a numbered headline, as long as the whole stays a headline's
    length, goes on with it."""
    if line.indent is not None or not ctx.blocks or ctx.blocks[-1].kind != "head":
        return False
    heads: list[Line] = []
    for block in reversed(ctx.blocks):
        if block.kind != "head":
            break
        heads[:0] = block.lines
        if cues.LIST_MARKER.match(block.lines[0].text):
            break
    if not cues.LIST_MARKER.match(heads[0].text) or cues.LIST_MARKER.match(line.text):
        return False
    whole = cues.compact("".join(head.text for head in heads) + line.text)
    return not cues.has_sentence_punct(line.text) and len(whole) <= ctx.rules.max_run_in_head


def _starts_block(line: Line) -> bool:
    text = line.text
    return (
        cues.is_brief_start(text)
        or cues.is_toc_entry(text)
        or cues.attribution_org(text) is not None
        or conventions.decide(text, "body") is not None
        or (
            line.indent is not None
            and line.indent >= SHARED.first_line_indent - SHARED.indent_slack
        )
    )


def _ends_paragraph(ctx: _Context, position: int, block: Block) -> bool:
    """Whether the paragraph in ``block`` ends with ``lines[position]`` (a display-face run
    it keeps inside the sentence is noted in ``block.emphasis``)."""
    lines = ctx.lines
    if position + 1 >= len(lines):
        return True
    line, following = lines[position], lines[position + 1]
    if following.text[:1] in cues.NO_LINE_START:
        return False  # closing punctuation wrapped onto the next line still belongs here
    if cues.trailing_attribution(line.text) is not None or _starts_block(following):
        return True
    if cues.ends_sentence(line.text) and cues.opens_enumeration(following.text):
        return True  # ``…组织实施。`` / ``（二）承担区委…``: the next entry of a list
    if _opens_attribution(line, following):
        return False  # ``…好评。（区`` / ``市场监管局）``: the attribution wrapped
    body = ctx.evidence.body
    if body is not None and _opens_headline(line, following, body):
        if not _emphasis_mid_sentence(block, line, following):
            return True
        run = _emphasis_run(following, body)
        if run is not None:
            block.emphasis[following.id] = run
        return False
    first = line is block.lines[0]
    rules = ctx.rules
    allowed = rules.full_line_tolerance
    if block.gap is not None and (line is block.lines[0] or line is block.lines[block.gap.line]):
        allowed += rules.head_slack
    elif first:
        allowed += rules.lost_indent
    # Raw text: Word sets a quarter em between Chinese and a number, which the width
    # estimate leaves out.
    allowed += rules.autospace * len(_SCRIPT_CHANGE.findall(line.text))
    if line.right_gap > allowed and not _number_did_not_fit(line, following):
        return True
    # A full line that ends a sentence, followed by one just an indent short of full,
    # is the end of a paragraph and the start of the next.
    if cues.ends_sentence(line.text) and following.indent is None:
        return (
            rules.full_line_tolerance
            <= following.right_gap
            <= rules.first_line_indent + rules.full_line_tolerance
        )
    return False


def _number_did_not_fit(line: Line, following: Line) -> bool:
    """A line that stops short mid-sentence because the number (or Latin word) opening the
    next, unindented line was wider than the room left (PDF and OCR geometry only)."""
    if (
        line.indent is None or following.indent is None
        or following.indent > SHARED.indent_slack
    ):
        return False
    if cues.ends_sentence(line.text):
        return False
    width = cues.leading_unit_width(following.text)
    return width > 0 and width > line.right_gap - SHARED.fit_slack


def _opens_headline(line: Line, following: Line, body: BodyFace) -> bool:
    """The next line opens in a headline face (a run-in or standalone headline)."""
    if typography.face_change(following, body) is not None:
        return True
    return bool(typography.line_display_cues(following, body)) and not (
        typography.line_display_cues(line, body)
    )


def _emphasis_mid_sentence(block: Block, line: Line, following: Line) -> bool:
    """A paragraph of sentences cut mid-sentence at a full line goes on, whatever face the
    next line opens in: a headline follows a paragraph's last line, so a heavier or larger
    run there is emphasis inside the sentence (``…构成财富的物质。在`` / bold
    ``我们所要考察的社会`` ``形式中，…`` in a book; a short line of a narrow column measured
    a tenth larger when its quotes and commas left its glyphs spread). The sentence goes on
    at the column's edge: a display line set in from it is a headline, whatever the line
    before lost (``…圆满完成`` at the foot of a column, its full stop not read, then a
    centred ``兴隆镇以“五强化”`` atop the next, b012523)."""
    return (
        _full_and_unfinished(line)
        and not line.text.rstrip().endswith(("：", ":"))  # a colon introduces what follows
        and cues.has_sentence_punct("".join(part.text for part in block.lines))
        and (following.indent is None or _unindented(following))
    )


# TEI ``rend`` words for the ways a run stands out (``typography.display_cues``).
_REND = {"bold": "bold", "larger": "large", "other face": "other-face"}


def _emphasis_run(line: Line, body: BodyFace) -> tuple[int, str] | None:
    """Where the display-face run opening ``line`` gives way to the body face, and its TEI
    ``rend``. None for a line set apart whole: measured a tenth larger across a line, that
    is how its glyphs were spread, not a face the printer chose."""
    change = typography.face_change(line, body)
    if change is None:
        return None
    end, found = change
    return end, " ".join(_REND.get(cue, cue.replace(" ", "-")) for cue in found)


def _opens_attribution(line: Line, following: Line) -> bool:
    """The line ends with the opening of an attribution that the next line closes."""
    return cues.trailing_attribution(line.text + following.text) is not None and (
        cues.trailing_attribution(following.text) is None
    )


def _merge_headlines(blocks: list[Block]) -> list[Block]:
    """Consecutive standalone headline lines are one headline that wrapped; so are a
    standalone headline line and the run-in headline that goes on from it."""
    merged: list[Block] = []
    for block in blocks:
        numbered = cues.LIST_MARKER.match(block.lines[0].text) if block.lines else None
        if (
            block.kind == "head"
            and merged
            and merged[-1].kind == "head"
            and not numbered
            and _head_goes_on(merged[-1], block)
        ):
            merged[-1].lines.extend(block.lines)
            merged[-1].cues = list(dict.fromkeys([*merged[-1].cues, *block.cues, "wrapped"]))
        elif block.kind == "head" and merged and not numbered and _numbered_opening(
            merged[-1], block
        ):
            first = merged.pop()
            found = list(dict.fromkeys([*block.cues, "numbered first lines", "wrapped"]))
            merged.append(Block("head", [*first.lines, *block.lines], cues=found))
        elif merged and not numbered and _run_in_goes_on_from(merged[-1], block):
            assert block.gap is not None
            first = merged.pop()
            gap = cues.Gap(block.gap.line + len(first.lines), block.gap.start, block.gap.end)
            found = [*first.cues, *block.cues, "wrapped"]
            merged.append(Block("para", [*first.lines, *block.lines], gap=gap, cues=found))
        else:
            merged.append(block)
    return merged


def _head_goes_on(head: Block, block: Block) -> bool:
    """Whether a standalone headline line may go on with the next one: on its page, or over a
    page break from a full line in the same type (a cover's title and the next page's
    ``目录``, a contents list's last entry and the next page's title, are two headlines; a
    cover's centred lines measure as full ones)."""
    last, first = head.lines[-1], block.lines[0]
    if last.page == first.page or last.font is None or first.font is None:
        return True  # raw text shows neither type nor the column's edge
    same_type = abs(last.font.size - first.font.size) <= SHARED.same_type * max(
        last.font.size, first.font.size
    )
    return same_type and _reads_as_wrapped_headline(last)


def _numbered_opening(para: Block, head: Block) -> bool:
    """Whether a paragraph is the numbered opening of the headline after it, whose face the
    pixels did not show: it opens with an enumeration (``三、``, ``（二）``), holds no more
    lines than a headline wraps over, each full and unpunctuated, and the headline goes on
    from it on its page. A larger face's first line of few glyphs, among numbering and
    quotes, measured 0.90 times the body (``三、石桥区“四``); a 黑体 one, strokes 1.17 times
    the usual against 1.25 on the next (issue 22, round 5). Its last line may stop short,
    and the headline's line after it stand in from the edge, when the break cuts a word the
    headline goes on with (``（一）区统`` / ``计局数字政``, b012344): a paragraph never ends
    inside a word, a heading of its own never does."""
    lines = para.lines
    if not (
        para.kind == "para"
        and para.gap is None
        and bool(lines)
        and lines[0].source == "ocr"  # faces read from pixels; a text layer names its fonts
        and len(lines) < SHARED.max_head_lines
        and cues.ENUMERATION.match(lines[0].text) is not None
        and all(_reads_as_wrapped_headline(line) for line in lines[:-1])
        and lines[-1].page == head.lines[0].page
    ):
        return False
    if _word_goes_on(lines[-1], head.lines[0]):
        return True
    return _reads_as_wrapped_headline(lines[-1]) and _unindented(head.lines[0])


def _word_goes_on(line: Line, following: Line) -> bool:
    """The line is unpunctuated and its last glyphs make one word with the next line's first
    ones (``区统`` / ``计局``)."""
    before, after = cues.compact(line.text), cues.compact(following.text)
    if not before or cues.has_sentence_punct(before):
        return False
    tail = before[-SHARED.wrap_tail:]
    return words.word_across(tail + after[: SHARED.wrap_tail], len(tail)) is not None


def _run_in_goes_on_from(head: Block, block: Block) -> bool:
    """Whether a run-in headline is the rest of the standalone headline line before it: that
    line is full and unpunctuated, and the run-in one opens with no indent (``（三）城关镇`` /
    ``“二个到位”统筹推…``: the opening quote wrapped, and the line before it stopped short of
    a full line of glyphs by less than the tolerance)."""
    if head.kind != "head" or block.kind != "para" or block.gap is None or not head.lines:
        return False
    return _reads_as_wrapped_headline(head.lines[-1]) and _unindented(block.lines[0])


def run_in_gap_at(
    lines: Sequence[Line], index: int, evidence: Evidence = Evidence()
) -> tuple[cues.Gap | None, list[str]]:
    """Where a run-in headline ends that another decider (the labeller) says starts on
    ``lines[index]``: found as ``segment`` finds it, with an item known to start there."""
    ctx = _Context(
        lines, spaces_are_noise(lines), evidence, profile(input_kind(lines)),
        blocks=[Block("attribution")],
    )
    return _run_in_gap(ctx, index)
