"""Tables of contents: which lines are their entries, and where a wrapped entry goes on.

Each entry is a block of its own: an entry that reaches the column's edge looks like a
wrapped line of prose, and a run of them read as one paragraph (``…决算表第三部分…``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from bulletin_ocr.model import Line
from bulletin_ocr.structure import cues
from bulletin_ocr.structure.thresholds import SHARED

CONTENTS_HEADING = re.compile(r"^\s*目\s*录\s*$")
# Sentence punctuation that no contents entry holds (a title may hold a comma or a quote).
_SENTENCE_END = re.compile(r"[。；！？]")


def contents_lines(lines: Sequence[Line]) -> frozenset[str]:
    """Ids of the entries of the tables of contents among ``lines``: the rest of the page
    after a ``目录`` heading, and each page after it that holds only entries (a contents
    list running over two pages)."""
    found: set[str] = set()
    pages = [list(page) for _, page in groupby(lines, key=lambda line: line.page)]
    inside = False
    for page in pages:
        heading = next(
            (i for i, line in enumerate(page) if CONTENTS_HEADING.match(line.text)), None
        )
        if heading is not None:
            entries = page[heading + 1 :]
        elif inside and _only_entries(page):
            entries = page
        else:
            inside = False
            continue
        found.update(line.id for line in entries)
        inside = True
    return frozenset(found)


def opens_entry(line: Line) -> bool:
    """Whether the line starts an entry (numbered, or with dot leaders) rather than going on
    with the entry before it."""
    return bool(cues.LIST_MARKER.match(line.text)) or cues.is_toc_entry(line.text)


def _only_entries(page: Sequence[Line]) -> bool:
    """A page of entries: no sentence ends on it, and most of its lines open an entry.

    >>> entry = lambda text: Line(id="x", text=text, page=3, source="pdf")
    >>> _only_entries([entry("九、国有资本经营预算情况说明"), entry("十、预算绩效管理情况")])
    True
    >>> _only_entries([entry("一、主要职能"), entry("第一条根据方案，制定本规定。")])
    False
    """
    if not page or any(_SENTENCE_END.search(line.text) for line in page):
        return False
    return sum(opens_entry(line) for line in page) >= SHARED.entries_share * len(page)
