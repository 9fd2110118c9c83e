"""The closing bracket of an attribution that the recogniser saw but did not return.

On 1-bit scans the thin ``）`` after an office's name (``…效果明显（区卫生健康委）``) is inside
the recognised box but often read as nothing (benchmarks/README.md, issue 22, rounds 4 and
5), and the attribution, left open, becomes item text. Where the box leaves room for a glyph
after the last one read (``Line.unread_after``) and the line ends an opened office name, the
bracket is put back: the repair ``restore_closing_bracket``, declared with the document's
repairs.

An attribution on a line of its own can lose both brackets, and with them every cue that it
is one (seeds 11539 and 11558: ``（区民政局）`` read ``区民政局``). Where a line reads an
office's whole name and nothing else, set apart as such lines are (to the right of its
column, or at its left under a paragraph's short last line), and its box leaves room for a
glyph at both ends (``Line.unread_before``, ``unread_after``), both brackets are put back:
the repair ``restore_brackets``. One that kept its closing bracket gets the opening one:
``restore_opening_bracket``. A name set after its paragraph's last words, a gap before it,
that lost both brackets at the end of the line gets both back as well (``restore_brackets``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bulletin_ocr.model import Line
from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure.cues import DATE, DISTRIBUTION_LABEL, OFFICE_SUFFIX, compact
from bulletin_ocr.structure.thresholds import SCAN_FACES

REPAIR = "restore_closing_bracket"
PAIR_REPAIR = "restore_brackets"
OPENING_REPAIR = "restore_opening_bracket"
CLOSING = {"（": "）", "(": ")"}
OPENING = {"）": "（", ")": "("}
# An office's name in an attribution is at most this many characters (``区退役军人事务局``).
MAX_NAME = 15
# ... and a name standing alone on its line at least this many (``区民政局``): a bare ``办公室``
# is part of a line, not a name. The name itself is rarely longer than 10 (``区退役军人事务局``
# 8), while a longer run of glyphs ending in 局 or 会 is a phrase (``效果明显区民政局``).
MIN_NAME_ALONE, MAX_NAME_ALONE = 4, 10
# With one of its brackets left, a name may be a town's (``杨柳镇``).
MIN_NAME_BRACKETED = 3
# A line set to the right ends this close to its column's right edge (ems: the lost ``）``
# and a little setting room) and starts at least this far from its left (ems).
RIGHT_SET_MARGIN, RIGHT_SET_INDENT = 1.5, 3.0
# ... or starts within this of its column's left edge (the lost ``（`` and its setting room).
LEFT_SET_INDENT = 1.0
# A line whose box stops this many ems short of its column's right edge ends its paragraph:
# a full line's last Chinese glyph reaches the edge, a justified one within a fifth of an em.
ENDS_SHORT = 0.75
# The lines above that show the column's edges.
PARAGRAPH_ABOVE = 4
# The last word of a line, after a gap.
NAME_AFTER_GAP = re.compile(r"\S\s+(?P<name>\S+)\s*$")


def restore_closing_brackets(lines: Sequence[Line]) -> None:
    """Close, in place, each OCR line that ends an office's name opened by a bracket on it or
    at the end of the line before, where its box leaves room for the dropped bracket and the
    next line does not close it."""
    for index, line in enumerate(lines):
        if line.source != "ocr":
            continue
        if _lost_opening(lines, index):
            _insert(line, 0, OPENING[compact(line.text)[-1]], OPENING_REPAIR)
            continue
        if not _lost_after(lines, index):
            continue
        before = lines[index - 1].text if index > 0 else ""
        after = lines[index + 1].text if index + 1 < len(lines) else ""
        if _lost_both(lines, index, after):
            _enclose(line, 0)
            continue
        name_at = _lost_both_at_end(line.text)
        if name_at is not None:
            _enclose(line, name_at)
            continue
        closer = _closer_for(before, line.text)
        if closer and not _closes(after) and not _wraps_on(line.text, after):
            _insert(line, len(line.text), closer, REPAIR)


def _lost_opening(lines: Sequence[Line], index: int) -> bool:
    """Whether ``lines[index]`` is an attribution on its own line that lost its opening
    bracket only (``杨柳镇)``, seed 11648): an office's whole name and the closing bracket,
    set as such lines are. The bracket that is left shows it is one: the name may be as short
    as a town's."""
    text = compact(lines[index].text)
    name = text[:-1]
    if text[-1:] not in OPENING or not MIN_NAME_BRACKETED <= len(name) <= MAX_NAME_ALONE:
        return False
    return all(map(is_cjk, name)) and bool(OFFICE_SUFFIX.search(name)) and _set_apart(lines, index)


def _lost_after(lines: Sequence[Line], index: int) -> bool:
    """Whether a glyph may have been dropped after the last one read: the box leaves room
    for it, or the line stops short of its column's right edge, so the paragraph ends on it
    (the detector's box ended before the ``）``, seed 11919)."""
    line = lines[index]
    if line.unread_after >= SCAN_FACES.lost_glyph_room:
        return True
    column = _column(lines, index)
    box = line.bbox
    if column is None or box is None:
        return False
    return column.right - box.x1 >= ENDS_SHORT * column.em


def _lost_both(lines: Sequence[Line], index: int, after: str) -> bool:
    """Whether ``lines[index]`` is an attribution on its own line whose two brackets were
    dropped: an office's whole name, room for a glyph at both ends, set apart in its column
    (``_set_apart``), and ``after`` (the next line's text) no date."""
    line = lines[index]
    name = compact(line.text)
    if line.unread_before < SCAN_FACES.lost_glyph_room:
        return False
    if not MIN_NAME_ALONE <= len(name) <= MAX_NAME_ALONE or not all(map(is_cjk, name)):
        return False
    if not OFFICE_SUFFIX.search(name) or not _set_apart(lines, index):
        return False
    # A notice's signature is set right too, and its date follows on the next line.
    return DATE.match(compact(after)) is None


def _lost_both_at_end(text: str) -> int | None:
    """Where an office's whole name begins that ends the line after a gap, as an attribution
    set after its paragraph's last words does, on a line that may have lost a glyph after it
    (``…紧迫感 青石街道``, ``…受理机制 区医保局``: both brackets dropped, b011671 and b012058);
    None where the line ends no such name. A justified line holds no gap, and the recogniser
    reads one only where the print leaves an em or more; a list of offices (a footer's
    ``送：区委办 区政府办``) holds one between names."""
    found = NAME_AFTER_GAP.search(text)
    if found is None or DISTRIBUTION_LABEL.match(text.lstrip()):
        return None
    if OFFICE_SUFFIX.search(text[: found.start() + 1]):
        return None
    name = found.group("name")
    if not MIN_NAME_ALONE <= len(name) <= MAX_NAME_ALONE or not all(map(is_cjk, name)):
        return None
    return found.start("name") if OFFICE_SUFFIX.search(name) else None


@dataclass(frozen=True)
class _Column:
    left: float
    right: float
    em: float


def _column(lines: Sequence[Line], index: int) -> _Column | None:
    """The edges of the column ``lines[index]`` stands in, from the lines just above it that
    overlap it (text across the page, a footer or a title, does not move them), and its em."""
    line = lines[index]
    box = line.bbox
    if box is None or index == 0:
        return None
    em = line.font.size if line.font and line.font.size > 0 else box.bottom - box.top
    above = [
        other.bbox for other in lines[max(0, index - PARAGRAPH_ABOVE) : index]
        if other.page == line.page and other.bbox is not None
        and min(other.bbox.x1, box.x1) > max(other.bbox.x0, box.x0)
    ]
    if not above:
        return None
    return _Column(min(other.x0 for other in above), max(other.x1 for other in above), em)


def _set_apart(lines: Sequence[Line], index: int) -> bool:
    """Whether ``lines[index]`` is set as an attribution on its own line: at the right edge of
    the paragraph above and well inside its left (a centred masthead line stays clear of both
    edges), or at the left edge under a paragraph's short last line."""
    column = _column(lines, index)
    if column is None:
        return False
    box, em = lines[index].bbox, column.em
    assert box is not None  # _column found one
    if column.right - box.x1 <= RIGHT_SET_MARGIN * em:
        return box.x0 - column.left >= RIGHT_SET_INDENT * em
    above = lines[index - 1].bbox
    if box.x0 - column.left > LEFT_SET_INDENT * em or above is None:
        return False
    # The paragraph ended on the line above, and what follows starts afresh: a wrapped
    # headline's lines (``年耕地保护工作会`` / ``议全力助推…``, b011773) go on at the edge.
    below = lines[index + 1] if index + 1 < len(lines) else None
    goes_on = (
        below is not None and below.page == lines[index].page and below.bbox is not None
        and below.bbox.x0 - column.left <= LEFT_SET_INDENT * em
    )
    return column.right - above.x1 >= ENDS_SHORT * em and not goes_on


def _closer_for(before: str, text: str) -> str | None:
    """The bracket that closes the office's name ``text`` ends, opened in ``text`` or at the
    end of ``before``; None where ``text`` ends no such name."""
    text = compact(text)
    opened = _open_tail(text)
    if opened is None:
        if not text or not all(is_cjk(char) for char in text):
            return None
        opened = _open_tail(compact(before))
        if opened is None:
            return None
        opener, name = opened[0], opened[1] + text
    else:
        opener, name = opened
    if not 2 <= len(name) <= MAX_NAME or not OFFICE_SUFFIX.search(name):
        return None
    return CLOSING[opener]


def _open_tail(text: str) -> tuple[str, str] | None:
    """The last opening bracket of ``text`` and the Chinese characters after it, where
    nothing else follows it."""
    at = max(text.rfind(opener) for opener in CLOSING)
    if at < 0:
        return None
    tail = text[at + 1 :]
    if not all(is_cjk(char) for char in tail) or len(tail) > MAX_NAME:
        return None
    return text[at], tail


def _wraps_on(text: str, after: str) -> bool:
    """Whether the name ``text`` opens goes on over the next line, which ends it
    (``（区委`` / ``组织部``): the bracket was dropped there."""
    return _open_tail(compact(text)) is not None and _closer_for(text, after) is not None


def _closes(text: str) -> bool:
    """Whether the line opens by closing a bracket (the name wrapped on, with its bracket)."""
    head = compact(text)
    for char in head:
        if char in CLOSING.values():
            return True
        if not is_cjk(char):
            return False
    return False


def _enclose(line: Line, at: int) -> None:
    """Put ``（`` before the line's text from ``at`` on and ``）`` after it."""
    _insert(line, at, "（", PAIR_REPAIR)
    _insert(line, len(line.text), "）", PAIR_REPAIR)


def _insert(line: Line, at: int, char: str, repair: str) -> None:
    """Put ``char`` into the line's text at ``at``, in the style run that reaches it (the
    first one at the start), and declare ``repair``."""
    line.text = line.text[:at] + char + line.text[at:]
    runs = []
    for run in line.runs:
        if run.start >= at and not (at == 0 and run.start == 0):
            run = replace(run, start=run.start + len(char), end=run.end + len(char))
        elif run.end >= at:
            run = replace(run, end=run.end + len(char))
        runs.append(run)
    line.runs = runs
    line.gaps = tuple(gap + len(char) if gap >= at else gap for gap in line.gaps)
    if repair not in line.repairs:
        line.repairs.append(repair)
