"""A bulletin's table of contents after the masthead rule: a ``本期要目`` heading (in ``≡``
marks or not), then one line per item headline, with dot leaders and a page number or not.
Its entries are the document's ``contents``, never items."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import compact, has_sentence_punct

HEADING = re.compile(
    r"[≡=＝\-—【\[〔]*\s*(?:本\s*期\s*要\s*目|本\s*期\s*目\s*录)\s*[≡=＝\-—】\]〕]*"
)
# Leaders and the page number that may follow an entry's title.
DOT_LEADERS = re.compile(r"[…\.·．]{2,}\s*[\d一二三四五六七八九十\-—]*\s*$")
LEADERS = re.compile(r"\s*(?:[…\.·．]{2,}|\s{2,})\s*[\d一二三四五六七八九十\-—]*\s*$")
LIST_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])"
)
# An entry is a headline: no longer than this.
LONGEST_ENTRY = 60


def matches(text: str) -> bool:
    """The contents heading.

    >>> matches("≡本期要目≡"), matches("本 期 要 目"), matches("本期要目：区委召开会议")
    (True, True, False)
    """
    return bool(HEADING.fullmatch(compact(text)))


def entry_text(text: str) -> str:
    """The entry's headline without its leaders and page number.

    >>> entry_text("一、区委召开全会……………3"), entry_text("区政府部署防汛工作")
    ('一、区委召开全会', '区政府部署防汛工作')
    """
    return LEADERS.sub("", text.strip()).strip()


def could_be_entry(text: str) -> bool:
    """Short, no sentence: a headline's line."""
    flat = compact(entry_text(text))
    return 2 <= len(flat) <= LONGEST_ENTRY and not has_sentence_punct(flat)


def has_leaders(text: str) -> bool:
    """The line ends an entry with dot leaders (and a page number).

    >>> has_leaders("全力助推乡村振兴……………3"), has_leaders("区委召开全会")
    (True, False)
    """
    return DOT_LEADERS.search(text) is not None


def opens_entry(text: str) -> bool:
    """The line opens with an entry's number (``一、``, ``（二）``, ``3.``)."""
    return LIST_MARKER.match(text) is not None


def headline_key(text: str) -> str:
    """The entry or headline without number, leaders and spaces, to match one with the
    other (the item that repeats the first entry ends the contents)."""
    return compact(LIST_MARKER.sub("", entry_text(text)))
