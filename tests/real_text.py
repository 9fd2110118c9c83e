"""Text kept from real documents, measured against poppler's ``pdftotext`` (issue 21).

A converted ``.txt`` must hold every printed line ``pdftotext`` finds, and nothing more:
each measure here compares with whitespace removed and half-width ``, : ; ( ) ! ?`` read as
full width, the normalisation repair declares (``repair.fixes.FULL_WIDTH``).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.repair.fixes import FULL_WIDTH

# Lines shorter than this (once normalised) are page numbers, table cells and figures that
# may stand anywhere: only sentences are checked for verbatim survival.
MIN_LINE_CHARS = 8
# A table-of-contents line: dots or ellipses leading to a page number.
DOT_LEADER = re.compile(r"[.·…．。‥⋯]{4,}")
_WIDTH = str.maketrans(FULL_WIDTH)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Digits, quotes and punctuation only: a piece of a sentence cut off from its line.
ORPHAN = re.compile(r"[\d\s.,:;!?%()\-–—“”‘’\"'，。：；！？（）、《》〈〉%．·…]+")


def normalise(text: str) -> str:
    """Whitespace and private-use code points (symbol-font bullets, which carry no text and
    which pdftotext places with whatever line shares their row) removed, half-width
    punctuation as full width."""
    return _PRIVATE_USE.sub("", "".join(text.split())).translate(_WIDTH)


def pdftotext(path: Path, *, layout: bool = False) -> str:
    """poppler's text of the PDF; ``layout`` keeps each printed row on one line."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout


@dataclass(frozen=True)
class Coverage:
    lines: int
    """pdftotext lines of at least MIN_LINE_CHARS, dot leaders excepted."""
    missing: list[str]
    """Those not found verbatim in the converted text."""
    reference_chars: int
    converted_chars: int

    @property
    def share(self) -> float:
        return 1.0 - len(self.missing) / self.lines if self.lines else 1.0

    @property
    def char_ratio(self) -> float:
        return self.converted_chars / self.reference_chars if self.reference_chars else 0.0


def coverage(reference: str, converted: str, set_aside: Sequence[str] = ()) -> Coverage:
    """How much of ``reference`` (pdftotext's lines) ``converted`` holds verbatim; a line
    equal to one of ``set_aside`` (page furniture: a report's running footer) counts as kept,
    since the JSON keeps it."""
    haystack = normalise(converted)
    kept_aside = {normalise(text) for text in set_aside}
    lines = [
        normalise(line)
        for line in reference.splitlines()
        if not DOT_LEADER.search(line)
    ]
    checked = [line for line in lines if len(line) >= MIN_LINE_CHARS]
    missing = [line for line in checked if line not in haystack and line not in kept_aside]
    return Coverage(
        lines=len(checked),
        missing=missing,
        reference_chars=len(normalise(reference)),
        converted_chars=len(haystack),
    )


def orphan_lines(text: str, table_rows: set[str], printed_rows: str) -> list[str]:
    """Lines of the clean text that hold only digits, quotes and punctuation, outside tables
    (``table_rows``: the text's lines that are table rows), and that the page does not print
    as a row of their own (``printed_rows``: ``pdftotext -layout``; a project's
    ``2025.1.1-2025.12.31`` under its heading is such a row)."""
    alone = {normalise(row) for row in printed_rows.splitlines()}
    return [
        line
        for line in text.splitlines()
        if line.strip()
        and line not in table_rows
        and ORPHAN.fullmatch(line)
        and normalise(line) not in alone
    ]
