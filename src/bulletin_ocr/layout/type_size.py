"""One body size across a document's recognised pages.

A scanned page's type sizes are measured against that page's own body text (``structure.faces``
sets the body to the page's usual em, read off its recognised boxes). On a page of two lines
full of figures that reading is off by a tenth, and the page's body then passes for a larger
face beside the pages before it. The body is one face throughout a document, so each
recognised page's sizes are scaled to put its body at the document's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from bulletin_ocr.model import FontInfo, Line, Page
from bulletin_ocr.repair.chars import is_cjk

# A page whose own body reads further than this from the document's is not rescaled: most
# of its text is in another face (a cover page of large headlines).
MAX_SHIFT = 0.15


def one_body_size(pages: Sequence[Page]) -> None:
    """Scale the type sizes of each recognised page so that its body size is the document's."""
    recognised = [page for page in pages if page.source == "ocr" and not page.needs_ocr]
    counts = {page.number: _size_counts(page.lines) for page in recognised}
    whole: Counter[float] = sum(counts.values(), Counter())
    if not whole:
        return
    body = whole.most_common(1)[0][0]
    for page in recognised:
        if not counts[page.number]:
            continue
        own = counts[page.number].most_common(1)[0][0]
        if own <= 0 or own == body or abs(body / own - 1) > MAX_SHIFT:
            continue
        for line in page.lines:
            _scale(line, body / own)


def _size_counts(lines: Sequence[Line]) -> Counter[float]:
    """Chinese characters set at each size."""
    counts: Counter[float] = Counter()
    for line in lines:
        for run in line.runs:
            counts[run.font.size] += sum(1 for c in line.text[run.start : run.end] if is_cjk(c))
    return counts


def _scale(line: Line, factor: float) -> None:
    def scaled(font: FontInfo) -> FontInfo:
        return replace(font, size=round(font.size * factor, 1))

    if line.font is not None:
        line.font = scaled(line.font)
    line.runs = [replace(run, font=scaled(run.font)) for run in line.runs]
