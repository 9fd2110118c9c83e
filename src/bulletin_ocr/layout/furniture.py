"""Page furniture on pages with geometry: page numbers, running heads, repeated footers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bulletin_ocr.layout.page_numbers import is_page_number
from bulletin_ocr.model import Line, Page

MARGIN_SHARE = 0.12  # top and bottom bands of the page where furniture lives


def _in_margin(line: Line, page: Page) -> bool:
    """In the top or bottom band of the page, or above or below all of its text."""
    if line.bbox is None or not page.height:
        return False
    band = MARGIN_SHARE * page.height
    if line.bbox.bottom <= band or line.bbox.top >= page.height - band:
        return True
    others = [other.bbox for other in page.lines if other is not line and other.bbox is not None]
    return bool(others) and (
        all(line.bbox.top >= box.bottom for box in others)
        or all(line.bbox.bottom <= box.top for box in others)
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
            number = is_page_number(line.text)
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
