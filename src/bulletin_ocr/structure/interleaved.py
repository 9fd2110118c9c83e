"""Two columns read across: a plain-text extraction whose lines alternate between columns.

Poppler's ``pdftotext`` (no ``-layout``) reads the body lines of a narrow two-column page in
the order of their height on the page, a line of the left column, then one of the right: the
running text of each column survives only on every other line. No line label can mend that
order, so such documents are first put back in column order (``structure.columns_text``).

The evidence is the text's own: a line broken inside a word is finished by the line after it
when the lines are in order (``…会议指出，老`` / ``旧小区改造…``), and by the line after next
when they alternate. On the development corpus (seeds 1-60) a word across the break to the line
after next happens 0-4 times in a document read in order (with 4-29 across the break to the
next line), and 3-20 times in every one of the 18 two-column pdftotext extractions; the real
seeds and the samples show 0-3.
"""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.model import Line
from bulletin_ocr.structure import cues
from bulletin_ocr.structure.features import breaks_word
from bulletin_ocr.structure.thresholds import SHARED


def _words_across(lines: Sequence[Line], step: int) -> int:
    """Line breaks inside a word when each line is followed by the one ``step`` lines on
    (same page, the first line not ending a sentence)."""
    return sum(
        1
        for line, later in zip(lines, lines[step:], strict=False)
        if line.page == later.page
        and not cues.ends_sentence(line.text)
        and breaks_word(line.text, later.text)
    )


def read_across_columns(lines: Sequence[Line]) -> bool:
    """Whether the lines read as two columns taken a line from each in turn."""
    skip = _words_across(lines, 2)
    return skip >= SHARED.min_skip_words and skip >= SHARED.skip_share * _words_across(lines, 1)
