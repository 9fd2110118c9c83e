"""The document's structure cut page by page into regions of printed lines, for page formats.

ALTO, PAGE, hOCR and the proof view describe pages, not items: each structural block (the
masthead, a headline, a paragraph, an attribution, the distribution footer, furniture) becomes
one region per page it touches, holding each printed line once, in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from bulletin_ocr.export.meta import item_id
from bulletin_ocr.layout.page_numbers import is_page_number
from bulletin_ocr.model import Document, Line, Page
from bulletin_ocr.repair import apply_fixes

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

RegionKind = Literal[
    "masthead", "headline", "paragraph", "attribution", "distribution", "table",
    "page-number", "header", "footer", "text",
]  # fmt: skip


@dataclass
class Region:
    id: str
    kind: RegionKind
    lines: list[Line] = field(default_factory=list)
    item: str | None = None
    """The id of the item the region belongs to, if any."""


def page_regions(doc: Document) -> dict[int, list[Region]]:
    """For each page number, its regions in reading order; every line in exactly one."""
    claimed: set[str] = set()
    regions: dict[int, list[Region]] = {page.number: [] for page in doc.pages}
    for kind, item, lines in _blocks(doc):
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            if line.id not in claimed and line.page in regions:
                claimed.add(line.id)
                by_page.setdefault(line.page, []).append(line)
        for number, page_lines in by_page.items():
            regions[number].append(Region(_region_id(number, regions), kind, page_lines, item))
    for page in doc.pages:
        # Lines no block holds (unread pages, lines structure set aside) are still printed.
        rest = [line for line in page.lines if line.id not in claimed]
        if rest:
            regions[page.number].append(Region(_region_id(page.number, regions), "text", rest))
        for line in page.furniture:
            kind = _furniture_kind(line, page)
            region = Region(_region_id(page.number, regions), kind, [line])
            # Running heads are read before the page's text, footers and numbers after it.
            at = 0 if kind == "header" else len(regions[page.number])
            regions[page.number].insert(at, region)
    return regions


def line_text(line: Line) -> str:
    """The printed line with the declared repairs (spacing, punctuation), as a page shows it.

    Control characters from broken text layers, which XML cannot hold, become U+FFFD.
    """
    return _XML_ILLEGAL.sub("\ufffd", apply_fixes(line.text)[0].strip())


def _blocks(doc: Document) -> Iterator[tuple[RegionKind, str | None, list[Line]]]:
    if doc.masthead is not None:
        yield "masthead", None, [line for span in doc.masthead.spans for line in span.lines]
    for index, item in enumerate(doc.items):
        ident = item_id(index)
        if item.table is not None:
            continue  # a table's cells carry no lines; its page keeps them in "text"
        if item.head is not None:
            yield "headline", ident, item.head.span.lines
        for span in item.paragraphs:
            yield "paragraph", ident, span.lines
        if item.attribution is not None:
            yield "attribution", ident, item.attribution.lines
    if doc.distribution:
        lines = [line for entry in doc.distribution for line in entry.span.lines]
        yield "distribution", None, lines


def _furniture_kind(line: Line, page: Page) -> RegionKind:
    if is_page_number(line.text):
        return "page-number"
    if line.bbox is not None and page.height and line.bbox.top > page.height / 2:
        return "footer"
    return "header"


def _region_id(page: int, regions: dict[int, list[Region]]) -> str:
    return f"p{page}r{len(regions[page]) + 1}"
