"""Two columns read across, put back in column order (plain text only).

Poppler's ``pdftotext`` (no ``-layout``) writes the body lines of a narrow two-column page by
their height on the page (``structure.interleaved``): a line of the left column, then one of
the right, not strictly in turn where the two columns' lines stand at different heights. Each
column's own lines mostly keep their order, so putting the page back in order is mostly
telling the columns apart: a dynamic programme over the page's lines gives each line to the
left or the right column, the state being the last line given to each, and scores each line
as the continuation of its column's previous line from the text alone
(``_Evidence.continuation``: a word or a number broken across the break, a paragraph opener
after a sentence's end, never an item's mark after a line that stops mid-sentence). The page
then reads the left column's lines, then the right's, each in the order they came.

Lines that the extractor wrote as one block (no blank line between: ``Line.joined``) stay in
one column; lines it set apart change column unless the text says otherwise (on the generated
extractions they do 96 % of the time). The masthead's lines that open the first page and the
footer from its first distribution line stay where they are. Nothing is dropped or added: the
result is a permutation of the input. What it cannot mend: a line that pdftotext writes far
from its neighbours (a column's line placed after lines several rows below it), and a page
where one misjudged line turns every later line to the wrong column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from bulletin_ocr.model import Line
from bulletin_ocr.structure import cues
from bulletin_ocr.structure.features import BODY_OPENING, breaks_word
from bulletin_ocr.structure.thresholds import SHARED

# The window and the weights of the evidence are ``thresholds.Rules`` fields (``window``,
# ``word_across`` ... ``switch``), with how they were counted.

# A number broken from its unit across the line break (``…解决实际困难 21`` / ``个，…``).
_NUMBER_END = re.compile(r"[0-9０-９.%]\s*$")
_UNIT_START = re.compile(r"^\s*[个家户人项条件场次座名所万亿元%倍天月日年]")
_MARK = re.compile(r"^\s*(?:[△▲●]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


_State = tuple[int, int | None]
"""The column of the last line placed, and the other column's last line (None: none yet)."""


@dataclass(frozen=True)
class _Evidence:
    """What each line of one page says about its neighbours, computed once."""

    texts: Sequence[str]
    across: dict[int, frozenset[int]]
    """Per line, the later lines within ``window`` that finish a word it ends inside."""

    def continuation(self, a: int | None, b: int) -> float:
        """The score of line ``b`` following line ``a`` in one column (``a`` None: ``b``
        opens the column)."""
        if a is None:
            return 0.0
        score = 0.0
        partners = self.across.get(a, frozenset())
        if b in partners:
            score += SHARED.word_across
        elif partners:
            score -= SHARED.word_elsewhere
        mark = bool(_MARK.match(self.texts[b]))
        if _ends(self.texts[a]):
            if mark or BODY_OPENING.match(self.texts[b]):
                score += SHARED.opener_after_end
        elif mark:
            score -= SHARED.mark_after_run_on
        return score


def _ends(text: str) -> bool:
    """A sentence or an attribution (``（区水利局）``) ends with the line."""
    return cues.ends_sentence(text) or text.rstrip().endswith("）")


def finishes_word(text: str, following: str) -> bool:
    """Whether ``following`` finishes a word or a number that ``text`` ends inside."""
    return breaks_word(text, following) or bool(
        _NUMBER_END.search(text) and _UNIT_START.match(following))


def _evidence(texts: Sequence[str], finishes: Callable[[str, str], bool]) -> _Evidence:
    across: dict[int, frozenset[int]] = {}
    for a, text in enumerate(texts):
        if _ends(text):
            continue
        later = range(a + 1, min(len(texts), a + 1 + SHARED.window))
        partners = frozenset(b for b in later if finishes(text, texts[b]))
        if partners:
            across[a] = partners
    return _Evidence(texts, across)


def column_of_each(texts: Sequence[str],
                   finishes: Callable[[str, str], bool] = finishes_word,
                   joined: Sequence[bool] | None = None) -> list[int]:
    """The column (0 left, 1 right) of each line of one page, in the order given; ``joined``
    marks the lines that the extraction set in one block with the line before (no blank line
    between), which stay in its column."""
    if not texts:
        return []
    evidence = _evidence(texts, finishes)
    # Per line, the best score of each state after it (its column, the other column's last
    # line or None), with the state before it for the way back.
    best: list[dict[_State, tuple[float, _State]]] = [{(0, None): (0.0, (0, None))}]
    for i in range(1, len(texts)):
        here: dict[_State, tuple[float, _State]] = {}
        for state, (score, _) in best[-1].items():
            column, other = state
            # A column silent for longer than the window is closed: a later line opens it anew.
            kept = other if other is not None and i - other <= SHARED.window else None
            moves: list[tuple[_State, float]] = [
                ((column, kept), score + evidence.continuation(i - 1, i))]
            if joined is None or not joined[i]:
                switched = score + SHARED.switch + evidence.continuation(kept, i)
                moves.append(((1 - column, i - 1), switched))
            for new, value in moves:
                if new not in here or value > here[new][0]:
                    here[new] = (value, state)
        best.append(here)
    state = max(best[-1], key=lambda s: best[-1][s][0])
    columns: list[int] = []
    for i in range(len(texts) - 1, -1, -1):
        columns.append(state[0])
        state = best[i][state][1]
    return columns[::-1]


def _pinned(text: str) -> bool:
    """A line of the masthead or the footer, printed across the page, never in a column."""
    return (cues.is_masthead_line(text) or cues.is_classification_line(text)
            or cues.is_issuer_line(text) or cues.is_ornament(text))


def _body_span(page: Sequence[Line]) -> tuple[int, int]:
    """Where the page's two-column body lies: after the masthead's lines that open it, before
    the footer's first line."""
    start = 0
    while start < len(page) and _pinned(page[start].text):
        start += 1
    end = next((k for k in range(start, len(page)) if cues.is_distribution_start(page[k].text)),
               len(page))
    return start, end


def in_column_order(lines: Sequence[Line],
                    finishes: Callable[[str, str], bool] = finishes_word) -> list[Line]:
    """The lines put back in reading order: per page, the masthead's lines as they came, the
    left column's lines, then the right's, each in the order given, then the footer's (a
    permutation of ``lines``)."""
    ordered: list[Line] = []
    for _, group in groupby(lines, key=lambda line: line.page):
        page = list(group)
        start, end = _body_span(page)
        body = page[start:end]
        joined = [k > 0 and line.joined for k, line in enumerate(body)]
        columns = column_of_each([line.text for line in body], finishes, joined)
        in_order = [line for line, c in zip(body, columns, strict=True) if c == 0]
        in_order += [line for line, c in zip(body, columns, strict=True) if c == 1]
        ordered += page[:start] + in_order + page[end:]
    return ordered
