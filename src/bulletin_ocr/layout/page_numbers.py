"""What a page number looks like: the one rule the raw-text reader, page furniture, the
structure's apparatus and the region exports share."""

from __future__ import annotations

import re

# Page furniture a text extraction keeps: "— 2 —", "-2-", "第2页", "第 2 页 共 9 页", "2 / 9".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－一]+\s*\d{1,4}\s*[—–\-－一]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
# A number set apart at the foot of a page (a book's folio), dashes on either side or none:
# what the apparatus looks for below a page's body ("12", "-12", "— 12 —").
FOLIO = re.compile(r"[—\-－\s]*\d{1,4}[—\-－\s]*")


def is_page_number(text: str) -> bool:
    """A line of a page with geometry that is a page number, in any of its usual forms.

    >>> [is_page_number(t) for t in ["— 3 —", "第 2 页 共 9 页", "2 / 9", " 7 ", "7 号"]]
    [True, True, True, True, False]
    """
    return bool(PAGE_NUMBER.match(text)) or text.strip().isdigit()


def is_folio(text: str) -> bool:
    """A line that is only a number, with dashes or none (``FOLIO``).

    >>> [is_folio(t) for t in ["12", "-12", "— 12 —", "第2页"]]
    [True, True, True, False]
    """
    return FOLIO.fullmatch(text) is not None
