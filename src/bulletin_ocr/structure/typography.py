"""Typographic cues: how a line's faces compare with the body text's.

Layout measures the faces (``Line.runs``, ``Line.font``); these functions only judge them. A
headline is set apart from the body by weight (黑体, bold, faux bold), by size, or by another
family (楷体 against 仿宋); a masthead title by large, often red, type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bulletin_ocr.model import FontInfo, Line, StyleRun
from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure.thresholds import SHARED

# Closing punctuation that ends a run-in headline, even when it is set in the body's face.
_HEAD_CLOSERS = frozenset("。：:．.！？!?”’）)」』》")


@dataclass(frozen=True)
class BodyFace:
    """The face most of the document's characters are set in."""

    name: str
    size: float
    bold: bool
    bold_is_common: bool = False
    """A good share of the body text is bold too (a faux-bold render mode left switched on
    runs on into the paragraphs after a headline): then boldness alone marks nothing."""


def body_face(lines: Sequence[Line]) -> BodyFace | None:
    """The most used face by character count, over Chinese characters only (digits and Latin
    words are often in another family). None when the lines carry no faces.

    >>> body = FontInfo("SimSun", 15.0)
    >>> head = FontInfo("SimHei", 15.0, bold=True)
    >>> line = Line("p1l1", "标题 正文正文正文", 1, "pdf",
    ...             runs=[StyleRun(0, 2, head), StyleRun(2, 9, body)])
    >>> body_face([line])
    BodyFace(name='SimSun', size=15.0, bold=False, bold_is_common=False)
    """
    counts: Counter[BodyFace] = Counter()
    for line in lines:
        for run, text in runs_with_text(line):
            cjk = sum(1 for c in text if is_cjk(c))
            if cjk:
                counts[BodyFace(run.font.name, round(run.font.size, 1), run.font.bold)] += cjk
    if not counts:
        return None
    body = counts.most_common(1)[0][0]
    twin = BodyFace(body.name, body.size, not body.bold)
    share = counts[twin] / (counts[body] + counts[twin])
    return BodyFace(body.name, body.size, body.bold, bold_is_common=share >= SHARED.common_bold)


def runs_with_text(line: Line) -> list[tuple[StyleRun, str]]:
    """The line's runs with their text; a line without runs is one run in ``line.font``."""
    if line.runs:
        return [(run, line.text[run.start : run.end]) for run in line.runs]
    if line.font is not None:
        return [(StyleRun(0, len(line.text), line.font), line.text)]
    return []


def display_cues(font: FontInfo, body: BodyFace, *, family: bool = True) -> list[str]:
    """The ways ``font`` stands out from the body face: ``bold``, ``larger``, ``other face``.

    ``family`` compares family names too: only fair for Chinese characters, since digits and
    Latin words are set in a Latin family whatever the Chinese face.

    >>> body = BodyFace("FangSong", 16.0, False)
    >>> display_cues(FontInfo("SimHei", 16.0), body)
    ['other face']
    >>> display_cues(FontInfo("FangSong", 22.0, bold=True), body)
    ['bold', 'larger']
    >>> display_cues(FontInfo("FangSong", 16.0), body)
    []
    """
    if body.size > 0 and font.size < SHARED.smaller * body.size:
        return []  # notes, captions and footers: set apart, but never as headlines
    found = []
    if font.bold and not body.bold and not body.bold_is_common:
        found.append("bold")
    if body.size > 0 and font.size >= SHARED.larger * body.size:
        found.append("larger")
    if family and font.name and body.name and _family(font.name) != _family(body.name):
        found.append("other face")
    return found


def _family(name: str) -> str:
    """A font name without its style suffix (``SimSun,Bold`` and ``SimSun`` are one family)."""
    for separator in (",", "-"):
        name = name.split(separator, 1)[0]
    return name.lower()


def line_display_cues(line: Line, body: BodyFace) -> list[str]:
    """What sets the whole line apart from the body, judged on its Chinese characters; empty
    when any Chinese run is in the body face."""
    cues: list[str] | None = None
    for run, text in runs_with_text(line):
        if not any(is_cjk(c) for c in text):
            continue
        found = display_cues(run.font, body)
        if not found:
            return []
        cues = found if cues is None else [c for c in cues if c in found] or found
    return cues or []


def same_display_face(line: Line, head: FontInfo, body: BodyFace) -> bool:
    """Whether the whole line is set in ``head``'s face (weight, and size within a few per
    cent) and not in the body's: the first line of a headline that wraps onto a line where it
    gives way to the body, measured a little smaller than that line's headline run.

    >>> body = BodyFace("", 64.4, False)
    >>> line = Line("p2l8", "桂阳区以“五强化”推", 2, "ocr", font=FontInfo("", 69.8))
    >>> same_display_face(line, FontInfo("", 72.3), body)
    True
    >>> same_display_face(line, FontInfo("", 72.3, bold=True), body)
    False
    """
    faces = [run.font for run, text in runs_with_text(line) if any(is_cjk(c) for c in text)]
    if not faces or head.size <= 0:
        return False
    return all(
        face.bold == head.bold
        and abs(face.size / head.size - 1) <= SHARED.same_face
        and (face.bold != body.bold or face.size > body.size)
        for face in faces
    )


def is_title_face(line: Line, body: BodyFace) -> bool:
    """Set far larger than the body: a masthead title."""
    return (
        line.font is not None
        and body.size > 0
        and line.font.size >= SHARED.title_size * body.size
    )


def is_red(font: FontInfo | None) -> bool:
    """Set in red ink.

    >>> is_red(FontInfo("x", 1, color="#e60012")), is_red(FontInfo("x", 1, color="#333333"))
    (True, False)
    """
    return font is not None and is_red_colour(font.color)


def is_red_colour(colour: str | None) -> bool:
    """``#rrggbb`` with red well above green and blue."""
    if colour is None or len(colour) != 7 or not colour.startswith("#"):
        return False
    try:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return False
    return red >= SHARED.min_red and red - max(green, blue) >= SHARED.red_over


def face_change(line: Line, body: BodyFace) -> tuple[int, list[str]] | None:
    """Where the line turns from a display face to the body face: the end of a run-in headline.

    Returns the offset in ``line.text`` where the body begins, and the cues that set the
    headline apart. Runs without Chinese characters (digits, punctuation) go with whichever
    side they touch, except closing punctuation, which ends the headline.

    >>> body = FontInfo("SimSun", 15.0)
    >>> head = FontInfo("SimSun", 15.0, bold=True)
    >>> line = Line("p1l1", "一是建机制。全区共建", 1, "pdf",
    ...             runs=[StyleRun(0, 5, head), StyleRun(5, 10, body)])
    >>> face_change(line, BodyFace("SimSun", 15.0, False))
    (6, ['bold'])
    """
    runs = runs_with_text(line)
    if len(runs) < 2:
        return None
    head_cues: list[str] = []
    end = 0
    for run, text in runs:
        has_cjk = any(is_cjk(c) for c in text)
        found = display_cues(run.font, body, family=has_cjk)
        if has_cjk and not found:
            break
        if has_cjk:
            head_cues = head_cues or found
            end = run.end
        elif found and head_cues:
            end = run.end  # digits or Latin inside the headline, set in its face
    if not head_cues or end == 0 or end >= len(line.text.rstrip()):
        return None
    while end < len(line.text) and line.text[end] in _HEAD_CLOSERS:
        end += 1
    return end, head_cues
