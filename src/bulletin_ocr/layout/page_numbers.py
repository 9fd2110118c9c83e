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
# A page number as a recogniser returns it from a scan: a dash read as a dot or lost, the
# number parted from its first dash ("-" beside "2-"), the digit lost ("—"). Nothing but
# dashes, dots and spaces round at most four digits, with a dash (corpus scans b009735,
# b009741, b009751: "1—", "-" and "2-", "- 1 .-" for a printed "- 1 -").
RECOGNISED_PAGE_NUMBER = re.compile(r"[—–\-－一.·\s]*\d{0,4}[—–\-－一.·\s]*")
# A number set apart at the foot of a page (a book's folio), dashes on either side or none:
# what the apparatus looks for below a page's body ("12", "-12", "— 12 —").
FOLIO = re.compile(r"[—\-－\s]*\d{1,4}[—\-－\s]*")


def is_page_number(text: str) -> bool:
    """A line of a page with geometry that is a page number, in any of its usual forms.

    >>> [is_page_number(t) for t in ["— 3 —", "第 2 页 共 9 页", "2 / 9", " 7 ", "7 号"]]
    [True, True, True, True, False]
    """
    return bool(PAGE_NUMBER.match(text)) or text.strip().isdigit()


def is_recognised_page_number(text: str) -> bool:
    """A recognised line that can only be a page number, misread (``RECOGNISED_PAGE_NUMBER``):
    only for OCR lines, since in a PDF's text a lone ``—`` is a table's nil.

    >>> [is_recognised_page_number(t) for t in ["1—", "- 1 .-", "-", "2-", "— 3 —", "1.", "3"]]
    [True, True, True, True, True, False, False]
    """
    compact = "".join(text.split())
    return (
        0 < len(compact) <= 8
        and any(dash in compact for dash in "—–-－一")
        and RECOGNISED_PAGE_NUMBER.fullmatch(text) is not None
    )


def is_folio(text: str) -> bool:
    """A line that is only a number, with dashes or none (``FOLIO``).

    >>> [is_folio(t) for t in ["12", "-12", "— 12 —", "第2页"]]
    [True, True, True, False]
    """
    return FOLIO.fullmatch(text) is not None
