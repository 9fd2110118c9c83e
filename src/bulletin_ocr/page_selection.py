"""``--pages``: which pages of a PDF or multi-page image to convert, in OCRmyPDF's syntax.

``1-3,7`` is pages 1, 2, 3 and 7; ``5-`` is page 5 to the end. Pages are counted from 1 and
converted in document order, once each, whatever order or overlap the spec has.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from bulletin_ocr.errors import UsageError

__all__ = ["PageSelection", "parse_pages"]

_PART = re.compile(r"(?P<first>[0-9]+)(?:(?P<dash>-)(?P<last>[0-9]*))?")
END = sys.maxsize
"""The stop of an open range (``5-``): the readers stop at the document's last page."""


@dataclass(frozen=True)
class PageSelection:
    """Disjoint, ascending ranges of 1-based page numbers (picklable: it travels to workers)."""

    ranges: tuple[range, ...]
    spec: str
    """As the user wrote it, for messages and the JSON output."""

    def __contains__(self, number: object) -> bool:
        return any(number in numbers for numbers in self.ranges)

    @property
    def last_asked(self) -> int | None:
        """The highest page a closed range asks for (None when the last range is open)."""
        stop = self.ranges[-1].stop
        return None if stop == END else stop - 1

    @property
    def first(self) -> int:
        return self.ranges[0].start


def parse_pages(spec: str) -> PageSelection:
    """The selection ``spec`` names; UsageError saying what is wrong with a bad one.

    >>> parse_pages("7,1-3").ranges
    (range(1, 4), range(7, 8))
    >>> parse_pages("2-4,3-5").ranges
    (range(2, 6),)
    >>> parse_pages("5-").last_asked is None
    True
    """
    parts = [part.strip() for part in spec.split(",")]
    ranges = [_parse_part(part, spec) for part in parts]
    return PageSelection(_merged(ranges), spec)


def _parse_part(part: str, spec: str) -> range:
    match = _PART.fullmatch(part)
    if match is None:
        raise UsageError("--pages", f"'{spec}': '{part}' is not a page number or a range "
                         "like 1-3 or 5- (pages are counted from 1)")
    first = int(match["first"])
    last = END - 1 if match["dash"] and not match["last"] else int(match["last"] or first)
    if first < 1:
        raise UsageError("--pages", f"'{spec}': pages are counted from 1, not 0")
    if last < first:
        raise UsageError("--pages", f"'{spec}': the range {part} runs backwards")
    return range(first, last + 1)


def _merged(ranges: Sequence[range]) -> tuple[range, ...]:
    """Ranges sorted, with overlapping and touching ones joined."""
    merged: list[range] = []
    for numbers in sorted(ranges, key=lambda r: r.start):
        if merged and numbers.start <= merged[-1].stop:
            last = merged.pop()
            numbers = range(last.start, max(last.stop, numbers.stop))
        merged.append(numbers)
    return tuple(merged)
