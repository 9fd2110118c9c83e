"""Where a run-in headline ends, learned: a character-level CRF over a paragraph's opening.

The line labeller says a run-in headline opens a paragraph; this model says where in the
paragraph's first lines it ends, labelling each character ``H`` (headline) or ``B`` (body).
It reads what a reader uses where no face or gap shows the end: body openers (``今年以来``,
``一是``, a date), word boundaries (jieba), sentence punctuation, the headline's length so
far, spaces, line ends. Trained with the line labeller (``tools/train_labeller.py``), one model
per input kind (``structure/models/runin-<kind>.crfsuite``), checked by its SHA-256.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure import cues, words
from bulletin_ocr.structure.features import BODY_OPENING, GAP_BETWEEN_CJK, InputKind

# A run-in headline ends within this many of the paragraph's lines and characters (the rules'
# ``thresholds.Rules.max_head_lines``; ``max_run_in_head`` characters and the spaces around them).
WINDOW_LINES = 5
WINDOW = 90
_YEAR = re.compile(r"\d{4}\s*年")


def window(texts: Sequence[str]) -> str:
    """The text the headline's end is looked for in: the first lines, joined by newlines."""
    return "\n".join(texts[:WINDOW_LINES])[:WINDOW]


def _class(char: str) -> str:
    if char == "\n":
        return "nl"
    if char.isspace():
        return "sp"
    if is_cjk(char):
        return "cjk"
    if char.isdigit():
        return "dig"
    if char.isascii() and char.isalpha():
        return "lat"
    return f"p{char}"


def _bucket(value: int, edges: Sequence[int]) -> str:
    return str(next((k for k, edge in enumerate(edges) if value < edge), len(edges)))


def _gaps_ahead(text: str) -> list[bool]:
    """Per character: whether a gap between Chinese characters lies ahead of it with no
    sentence punctuation between. Raw text spaces its digits, so a space before a number
    (``…升级实现 1268 项政`` / ``务服务事项“掌上办” 今年以来，``) is not where a headline ends
    when such a gap follows."""
    ahead = [False] * len(text)
    gap_starts = [m.start() + 1 for m in GAP_BETWEEN_CJK.finditer(text) if "\n" not in m.group()]
    for index in range(len(text)):
        upcoming = next((g for g in gap_starts if g >= index), None)
        ahead[index] = upcoming is not None and not cues.has_sentence_punct(text[index:upcoming])
    return ahead


def char_attributes(text: str) -> list[list[str]]:
    """What the model reads at each character of ``text`` (a ``window``)."""
    ahead = _gaps_ahead(text)
    flat = text.replace("\n", "")
    spans = words.words(flat)
    starts, ends = {start for start, _ in spans}, {end for _, end in spans}
    # The words themselves: a headline ends on words such as 工作, 会议, 成效 and its body
    # opens on others (全年, 通过, 强调), which no class of character tells apart.
    opening = {start: flat[start:end] for start, end in spans}
    closing = {end: flat[start:end] for start, end in spans}
    inside = {k for start, end in spans for k in range(start + 1, end)}
    out = []
    seen = 0  # characters before this one, newlines left out (positions in ``flat``)
    for index, char in enumerate(text):
        prefix = cues.compact(text[:index])
        before = text[index - 1] if index else "^"
        after = text[index + 1] if index + 1 < len(text) else "$"
        length = _bucket(len(prefix), (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 34, 40))
        attrs = [
            "bias", f"c={_class(char)}", f"b={_class(before)}", f"a={_class(after)}",
            f"len={length}",
        ]
        if BODY_OPENING.match(text, index):
            attrs.append("opens-body")
        if _YEAR.match(text, index):
            attrs.append("year")
        if ahead[index]:
            # With the gap ahead, neither the length so far nor a space before a number
            # (raw text spaces its digits) says the headline has ended.
            attrs += ["cjkgap-ahead", f"cjkgap-ahead&len={length}"]
            if char.isspace() and (before.isdigit() or after.isdigit()):
                attrs.append("cjkgap-ahead&digit-space")
            elif before.isspace() and char.isdigit():
                attrs.append("cjkgap-ahead&digit-after-space")
        if char != "\n":
            attrs += ["word-start", f"opens={opening[seen]}"] if seen in starts else []
            attrs += ["word-end", f"after={closing[seen]}"] if seen in ends else []
            attrs += ["in-word"] if seen in inside else []
            seen += 1
        if cues.has_sentence_punct(prefix):
            attrs.append("punct-before")
        if prefix and cues.looks_like_headline(prefix):
            attrs.append("headlike-before")
        out.append(attrs)
    return out


def model_name(kind: InputKind) -> str:
    return f"runin-{kind.value}.crfsuite"


def end_in_window(labels: Sequence[str], text: str) -> int | None:
    """Where the body begins in ``text`` from the labels: the first ``B`` after at least two
    headline characters, moved to the nearer end of a word it falls inside (the end on a
    tie): the model labels one character at a time, and a linear chain cannot learn that the
    body never opens inside a word (``…厂区联席会|议`` / ``4月25日，…``); None when the model
    found no end."""
    end = next((k for k, label in enumerate(labels) if label == "B"), None)
    if end is None or len(cues.compact(text[:end])) < 2:
        return None
    word = words.word_across(text, end)
    if word is None:
        return end
    start, stop = word
    return stop if stop - end <= end - start else start


def gap_from_offset(texts: Sequence[str], offset: int) -> cues.Gap:
    """The ``cues.Gap`` for an offset into ``window(texts)``: its line, and the spaces after
    it (an offset at a newline is the end of the line before)."""
    line = 0
    for text in texts:
        if offset <= len(text):
            break
        offset -= len(text) + 1
        line += 1
    text = texts[line]
    stop = offset
    while stop < len(text) and text[stop].isspace():
        stop += 1
    return cues.Gap(line, offset, stop)
