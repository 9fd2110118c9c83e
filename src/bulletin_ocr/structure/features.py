"""Features once per line: the evidence every structure decision can use, in one typed record.

``line_features`` measures each line of a document once: what its text says (length, sentence
end, openers, brackets, dates, masthead words, attribution shape) and, where the input has it,
its geometry and type (indent, room left at the right, centring, face, size and weight relative
to the body, gaps to the lines around it, position on the page). The kind of input is stated
(``InputKind``) rather than implied by missing geometry. ``crf_attributes`` turns the records
into the attribute lists a sequence labeller reads, each line with its neighbours' basics.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bulletin_ocr.model import Line
from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure import cues, typography, words
from bulletin_ocr.structure.typography import BodyFace


class InputKind(enum.Enum):
    """Where the lines came from: what evidence beyond their text they can carry."""

    RAW_TEXT = "raw"
    """A plain-text extraction: text only, no faces, no indents, no page geometry."""
    PDF_TEXT_LAYER = "pdf"
    """A PDF's text layer: exact faces, sizes and positions."""
    SCAN = "scan"
    """Recognised from an image: positions, and faces measured from the ink."""


def input_kind(lines: Sequence[Line]) -> InputKind:
    """The kind of the document's lines (OCR wins over a text layer on a mixed document)."""
    sources = {line.source for line in lines}
    if "ocr" in sources:
        return InputKind.SCAN
    if "pdf" in sources:
        return InputKind.PDF_TEXT_LAYER
    return InputKind.RAW_TEXT


# Numbered openers, each its own pattern so that the labeller learns which are headlines.
_OPENERS = (
    ("cn-dun", re.compile(r"^[一二三四五六七八九十]+、")),
    ("cn-paren", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("digit-dot", re.compile(r"^\d+[.．]")),
    ("digit-dun", re.compile(r"^\d+、")),
    ("digit-paren", re.compile(r"^[（(]\d+[）)]")),
    ("yi-shi", re.compile(r"^[一二三四五六七八九十]是")),
    ("brief-mark", re.compile(rf"^[{cues.BRIEF_MARKERS}]")),
    ("section", re.compile(r"^[【≡]")),
)
_SPACE_INSIDE = re.compile(r"\S\s+\S")
# A gap between two characters that are not digits (raw text spaces its digits): closing
# brackets and quotes count (``…管理办法(试行)》 春季学期…``).
GAP_BETWEEN_CJK = re.compile(r"[\u3400-\u9fff”）)》」』’]\s+[\u3400-\u9fff“（(《「『‘]")
# Punctuation that ends a clause: how far a line runs before its first one.
_CLAUSE_PUNCT = re.compile(r"[，。；：！？、,;:!?]")
# Where a body opens: its opening words, or a date (raw text spaces its digits).
BODY_OPENING = re.compile(
    r"\d{1,2}\s*月\s*\d{1,2}\s*日|截至|今年以来|去年以来|近年来|近日|日前|[一二三四五六七八九]是|"
    r"下一步|会议(?:指出|强调|要求)|活动当天|区\S{1,6}(?:牵头|联合)"
)


@dataclass(frozen=True)
class LineFeatures:
    """What one line shows. Geometry fields are None where the input kind has none."""

    kind: InputKind
    length: int
    """Characters without whitespace."""
    cjk_share: float
    ends_sentence: bool
    ends_with: str
    """The class of the last character: ``stop`` (。！？), ``comma`` (，、；), ``colon``,
    ``close`` (closing bracket or quote), ``cjk``, ``digit``, ``other``."""
    sentence_punct: bool
    """Sentence punctuation anywhere in the line."""
    opener: str | None
    """The numbered or marked opener the line starts with (``cn-dun`` for ``一、`` ...)."""
    starts_with_closer: bool
    """The line opens with punctuation no line may start with: it goes on from the last."""
    opens_bracket: bool
    bracketed_org: bool
    """The whole line is a bracketed organisation (``（区委办）``): an attribution."""
    trailing_org: bool
    """The line ends with a bracketed organisation after its text."""
    has_date: bool
    masthead_words: bool
    """Issue numbers, title words or a dated issuer line."""
    classification: bool
    distribution_label: bool
    rule_or_ornament: bool
    looks_like_headline: bool
    spaces_inside: int
    """Whitespace runs between characters (gaps after run-in headlines, or extraction noise)."""
    gap_at: int | None
    """Characters before the first space between two Chinese characters (where a run-in
    headline's gap would be); None when there is none."""
    opens_body: bool
    """The line opens with a body's opening words or a date (``今年以来``, ``一是``, ``9月3日``)."""
    first_punct: int | None
    """Characters before the first clause punctuation (None: the line holds none). A run-in
    headline's line holds the body's first clause; a paragraph's first line without any is a
    long clause of running text, not a headline."""
    opener_inside: int | None
    """Characters before a body's opening words found after the line's start (where a run-in
    headline set with no gap gives way to its body, ``…工作会议今年以来，``); None if none."""
    breaks_word: bool
    """The line ends inside a word that the next line finishes (``…上街区委、政`` / ``府对…``):
    wrapped running text or a wrapped headline, never a block's last line."""
    page: int
    first_on_page: bool
    last_on_page: bool
    stops_short: bool = False
    """The line stops ``_SHORT_LINE`` ems or more short of the column, more than the next
    line's opening number or Latin word (never split over two lines) needed: only an end (of
    a paragraph, a headline) explains the room left."""
    gap_right_gap: float | None = None
    """Raw text: the room left at the right once each gap between Chinese characters is
    counted as the widest a run-in headline's gap prints (2 ems; the raw text keeps it as one
    space, so ``务服务事项“掌上办” 今年以来，…`` measures short though it fills its line). None
    without such a gap or with geometry (measured, not estimated)."""
    page_turn: str | None = None
    """On the first line of a page after the first: ``ended`` when the previous page's last
    line ended a sentence short of the column (a paragraph ended with the page), else
    ``runs-on`` (the paragraph goes on across the break). None on other lines."""
    indent: float | None = None
    right_gap: float | None = None
    centred: bool | None = None
    display: tuple[str, ...] = ()
    """How the whole line stands out from the body face: ``bold``, ``larger``, ``other face``."""
    face_change: bool = False
    """A display-face run that gives way to the body face inside the line."""
    relative_size: float | None = None
    red: bool = False
    gap_above: float | None = None
    """Space above the line in body line heights (None on a page's first line or without
    geometry)."""
    gap_below: float | None = None
    page_position: float | None = None
    """Where the line's top sits on its page, 0 at the top and 1 at the bottom."""


def _end_class(text: str) -> str:
    stripped = text.rstrip()
    if not stripped:
        return "other"
    last = stripped[-1]
    if last in "。！？!?":
        return "stop"
    if last in "，,、；;":
        return "comma"
    if last in "：:":
        return "colon"
    if last in "）)”’」』》":
        return "close"
    if is_cjk(last):
        return "cjk"
    if last.isdigit():
        return "digit"
    return "other"


def _gap_at(text: str) -> int | None:
    found = GAP_BETWEEN_CJK.search(text.strip())
    return None if found is None else len(cues.compact(text.strip()[: found.start() + 1]))


def _first_punct(flat: str) -> int | None:
    found = _CLAUSE_PUNCT.search(flat)
    return None if found is None else found.start()


def _opener_inside(flat: str) -> int | None:
    found = next((m for m in BODY_OPENING.finditer(flat) if m.start() >= 4), None)
    return None if found is None else found.start()


# Characters each side of a line break looked at for a word across it.
_WORD_REACH = 4


def breaks_word(text: str, following: str | None) -> bool:
    """Whether the break between ``text`` and the next line's ``following`` falls inside a
    word (jieba's dictionary, both sides Chinese)."""
    if following is None:
        return False
    tail, head = cues.compact(text)[-_WORD_REACH:], cues.compact(following)[:_WORD_REACH]
    if not tail or not head or not (is_cjk(tail[-1]) and is_cjk(head[0])):
        return False
    return words.word_across(tail + head, len(tail)) is not None


# What one gap between Chinese characters may print as, in ems (a run-in gap is ½ to 2).
_GAP_EMS = 2.0
# A line that stops this many ems short of the column or more ends its paragraph
# (``thresholds.Rules.full_line_tolerance``).
_SHORT_LINE = 1.5


def _gap_right_gap(line: Line) -> float | None:
    """The room left at the right of a raw-text line with each gap between Chinese characters
    counted as printed: ``_GAP_EMS`` each (``LineFeatures.gap_right_gap``)."""
    if line.indent is not None:
        return None
    gaps = len(GAP_BETWEEN_CJK.findall(line.text.strip()))
    return max(0.0, line.right_gap - gaps * _GAP_EMS) if gaps else None


def stops_short(line: Line, following: str | None) -> bool:
    """``LineFeatures.stops_short`` of ``line`` before the next line's text ``following``."""
    room = line.right_gap
    if following is not None and cues.leading_unit_width(following) > room - 0.5:
        return False
    return room >= _SHORT_LINE


def _page_turn(lines: Sequence[Line], index: int) -> str | None:
    """``LineFeatures.page_turn`` of ``lines[index]``."""
    if index == 0 or lines[index - 1].page == lines[index].page:
        return None
    last = lines[index - 1]
    ended = cues.ends_sentence(last.text) and last.right_gap >= _SHORT_LINE
    return "ended" if ended else "runs-on"


def _opener(text: str) -> str | None:
    stripped = text.lstrip()
    return next((name for name, pattern in _OPENERS if pattern.match(stripped)), None)


def _text_features(line: Line, kind: InputKind, page_lines: tuple[bool, bool]) -> dict[str, object]:
    text = line.text
    flat = cues.compact(text)
    org = cues.attribution_org(text)
    return {
        "kind": kind,
        "length": len(flat),
        "cjk_share": sum(1 for c in flat if is_cjk(c)) / len(flat) if flat else 0.0,
        "ends_sentence": cues.ends_sentence(text),
        "ends_with": _end_class(text),
        "sentence_punct": cues.has_sentence_punct(flat),
        "opener": _opener(text),
        "starts_with_closer": flat[:1] in cues.NO_LINE_START,
        "opens_bracket": flat[:1] in "（(",
        "bracketed_org": org is not None and flat[:1] in "（(",
        "trailing_org": cues.trailing_attribution(text) not in (None, 0),
        "has_date": bool(cues.DATE.search(text)),
        "masthead_words": cues.is_masthead_line(text),
        "classification": cues.is_classification_line(text),
        "distribution_label": cues.is_distribution_start(text),
        "rule_or_ornament": bool(flat) and bool(cues.ORNAMENT.match(flat)),
        "looks_like_headline": cues.looks_like_headline(text),
        "spaces_inside": len(_SPACE_INSIDE.findall(text.strip())),
        "gap_at": _gap_at(text),
        "opens_body": bool(BODY_OPENING.match(flat)),
        "first_punct": _first_punct(flat),
        "opener_inside": _opener_inside(flat),
        "page": line.page,
        "first_on_page": page_lines[0],
        "last_on_page": page_lines[1],
    }


def _geometry_features(
    lines: Sequence[Line], index: int, body: BodyFace | None, line_height: float | None
) -> dict[str, object]:
    line = lines[index]
    if line.indent is None:
        # Raw text: the room left at the right is estimated from the glyphs' widths.
        return {"right_gap": line.right_gap}
    found: dict[str, object] = {
        "indent": line.indent,
        "right_gap": line.right_gap,
        "centred": line.indent >= 1.0 and abs(line.indent - line.right_gap) <= 1.5,
    }
    if body is not None:
        found["display"] = tuple(typography.line_display_cues(line, body))
        found["face_change"] = typography.face_change(line, body) is not None
        if line.font is not None and body.size > 0:
            found["relative_size"] = line.font.size / body.size
        found["red"] = typography.is_red(line.font)
    if line.bbox is not None and line_height:
        before = lines[index - 1] if index > 0 else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        if before is not None and before.page == line.page and before.bbox is not None:
            found["gap_above"] = (line.bbox.top - before.bbox.bottom) / line_height
        if after is not None and after.page == line.page and after.bbox is not None:
            found["gap_below"] = (after.bbox.top - line.bbox.bottom) / line_height
    return found


def _line_height(lines: Sequence[Line]) -> float | None:
    """The median line height: the unit gaps are measured in."""
    heights = sorted(line.bbox.height for line in lines if line.bbox is not None)
    return heights[len(heights) // 2] if heights and heights[len(heights) // 2] > 0 else None


def line_features(
    lines: Sequence[Line],
    body: BodyFace | None = None,
    page_heights: dict[int, float] | None = None,
) -> list[LineFeatures]:
    """One record per line, in order; ``body`` is the document's body face (None for raw text),
    ``page_heights`` the height of each page, for the page position."""
    kind = input_kind(lines)
    line_height = _line_height(lines)
    records = []
    for index, line in enumerate(lines):
        first = index == 0 or lines[index - 1].page != line.page
        last = index + 1 == len(lines) or lines[index + 1].page != line.page
        fields = _text_features(line, kind, (first, last))
        following = lines[index + 1].text if index + 1 < len(lines) else None
        fields["breaks_word"] = breaks_word(line.text, following)
        fields["stops_short"] = stops_short(line, following)
        fields["gap_right_gap"] = _gap_right_gap(line)
        fields["page_turn"] = _page_turn(lines, index)
        fields |= _geometry_features(lines, index, body, line_height)
        height = (page_heights or {}).get(line.page)
        if height and line.bbox is not None:
            fields["page_position"] = line.bbox.top / height
        records.append(LineFeatures(**fields))  # type: ignore[arg-type]
    return records


def _bucket(value: float, edges: Sequence[float]) -> str:
    """The index of the first edge ``value`` stays under (a coarse, learnable value)."""
    return str(next((k for k, edge in enumerate(edges) if value < edge), len(edges)))


def _own_attributes(f: LineFeatures) -> list[str]:
    """The attributes of one line, without the neighbours'."""
    found = [
        f"len={_bucket(f.length, (3, 8, 14, 20, 26, 32, 50))}",
        f"end={f.ends_with}",
        f"cjk={_bucket(f.cjk_share, (0.3, 0.7, 0.95))}",
        f"spaces={min(f.spaces_inside, 3)}",
    ]
    flags = {
        "stop": f.ends_sentence,
        "punct": f.sentence_punct,
        "closer": f.starts_with_closer,
        "bracket": f.opens_bracket,
        "org": f.bracketed_org,
        "torg": f.trailing_org,
        "date": f.has_date,
        "mh": f.masthead_words,
        "class": f.classification,
        "dist": f.distribution_label,
        "rule": f.rule_or_ornament,
        "headlike": f.looks_like_headline,
        "pfirst": f.first_on_page,
        "plast": f.last_on_page,
        "p1": f.page == 1,
        "centred": bool(f.centred),
        "fchange": f.face_change,
        "red": f.red,
        "wordbreak": f.breaks_word,
        "short": f.stops_short,
        # The rules' paragraph end: a sentence's end short of the column.
        "parend": f.ends_sentence and f.stops_short,
    }
    found += [name for name, on in flags.items() if on]
    if f.opener is not None:
        found.append(f"open={f.opener}")
    if f.gap_at is not None:
        found.append(f"gapat={_bucket(f.gap_at, (4, 8, 12, 16, 20, 26, 34))}")
    if f.opens_body:
        found.append("body-words")
    found.append("punct@=" + ("none" if f.first_punct is None
                             else _bucket(f.first_punct, (3, 6, 10, 14, 18, 24))))
    if f.opener_inside is not None:
        found.append(f"opener@={_bucket(f.opener_inside, (8, 12, 16, 20, 26))}")
    found += [f"disp={cue}" for cue in f.display]
    if f.indent is not None:
        found.append(f"indent={_bucket(f.indent, (0.5, 1.5, 2.5, 4.0, 8.0))}")
    if f.right_gap is not None:
        # 1.0 parts a full line (half-width digits leave it up to ¾ em short in raw text) from
        # one an indent short: a paragraph's first line once the extraction lost its indent.
        found.append(f"rgap={_bucket(f.right_gap, (0.5, 1.0, 1.5, 3.0, 6.0, 12.0))}")
    if f.gap_right_gap is not None:
        found.append(f"rgapg={_bucket(f.gap_right_gap, (0.5, 1.5, 3.0, 6.0, 12.0))}")
    if f.page_turn is not None:
        found.append(f"turn={f.page_turn}")
    if f.relative_size is not None:
        found.append(f"size={_bucket(f.relative_size, (0.9, 1.08, 1.3, 1.8))}")
    if f.gap_above is not None:
        found.append(f"above={_bucket(f.gap_above, (0.3, 0.8, 1.5, 3.0))}")
    if f.gap_below is not None:
        found.append(f"below={_bucket(f.gap_below, (0.3, 0.8, 1.5, 3.0))}")
    if f.page_position is not None:
        found.append(f"ppos={_bucket(f.page_position, (0.15, 0.3, 0.85))}")
    return found


# What a line's neighbours contribute: their basics, not every attribute; those two lines
# away, fewer.
_NEIGHBOUR_KEYS = ("len=", "end=", "stop", "open=", "org", "indent=", "rgap=", "disp=", "mh",
                   "body-words", "gapat=", "headlike", "dist", "wordbreak", "punct@",
                   "opener@", "rgapg=", "turn=", "parend", "short")
_FAR_KEYS = ("len=", "end=", "open=", "rgap=", "disp=")


def crf_attributes(records: Sequence[LineFeatures]) -> list[list[str]]:
    """Per line, its attributes, its neighbours' basics (prefixed ``-1:`` and ``+1:``) and the
    input kind, as a sequence labeller reads them."""
    own = [_own_attributes(f) for f in records]
    out = []
    for index, attributes in enumerate(own):
        line = ["bias", f"kind={records[index].kind.value}", *attributes]
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if not 0 <= other < len(own):
                line.append(f"{offset:+d}:none")
                continue
            keys = _NEIGHBOUR_KEYS if abs(offset) == 1 else _FAR_KEYS
            line += [f"{offset:+d}:{a}" for a in own[other] if a.startswith(keys)]
        out.append(line)
    return out
