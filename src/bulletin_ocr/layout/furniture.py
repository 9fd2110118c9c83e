"""Page furniture on pages with geometry: page numbers, running heads, repeated footers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bulletin_ocr.layout.page_numbers import is_page_number, is_recognised_page_number
from bulletin_ocr.model import Line, Page

MARGIN_SHARE = 0.12  # top and bottom bands of the page where furniture lives


def _in_margin(line: Line, page: Page) -> bool:
    """In the top or bottom band of the page, or above or below all of its other rows (a page
    number a recogniser returned in two pieces, ``-`` and ``2-``, is one row)."""
    if line.bbox is None or not page.height:
        return False
    band = MARGIN_SHARE * page.height
    if line.bbox.bottom <= band or line.bbox.top >= page.height - band:
        return True
    box = line.bbox
    others = [
        other.bbox
        for other in page.lines
        if other is not line
        and other.bbox is not None
        and (other.bbox.bottom <= box.top or other.bbox.top >= box.bottom)  # another row
    ]
    return bool(others) and (
        all(box.top >= other.bottom for other in others)
        or all(box.bottom <= other.top for other in others)
    )


def _is_page_number(line: Line) -> bool:
    return is_page_number(line.text) or (
        line.source == "ocr" and is_recognised_page_number(line.text)
    )


def _shape(text: str) -> str:
    """Text with its numbers blanked, so 'Page 3' and 'Page 4' repeat as one head."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def set_aside_furniture(pages: Sequence[Page]) -> None:
    """Move page numbers and running heads/footers out of ``page.lines`` into ``furniture``."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(line.text) for line in page.lines if _in_margin(line, page)})
    needed = max(3, len(pages) // 2)
    for page in pages:
        keep = []
        for line in page.lines:
            margin = _in_margin(line, page)
            number = _is_page_number(line)
            if margin and (number or counts[_shape(line.text)] >= needed):
                page.furniture.append(line)
                page.furniture_reasons[line.id] = (
                    "page number in the page's margin band"
                    if number
                    else f"repeats in the margin band of {counts[_shape(line.text)]} pages"
                )
            else:
                keep.append(line)
        page.lines = keep
