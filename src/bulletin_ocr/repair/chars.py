"""Character classes shared by the repairs and the layout cues."""

from __future__ import annotations

import unicodedata

# Punctuation that Chinese typesetting sets at full width although Unicode calls it ambiguous.
_WIDE_AMBIGUOUS = frozenset("“”‘’…—·•△▲◆●○■□※→")

# Sentence punctuation: a line containing any of these before a gap is not a headline.
SENTENCE_PUNCT = frozenset("，。；：！？,;:!?")
# Punctuation that can close a paragraph.
TERMINAL_PUNCT = frozenset("。！？；…!?")
CLOSING_QUOTES = frozenset("”’」』》）)")


def is_cjk(char: str) -> bool:
    """Han ideographs (BMP and supplementary planes) and CJK compatibility ideographs.

    >>> is_cjk("区"), is_cjk("A"), is_cjk("，")
    (True, False, False)
    """
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3FFFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3040 <= code <= 0x30FF  # kana appear in some bulletins' names
    )


def is_wide(char: str) -> bool:
    """Characters that occupy a full em in Chinese print: CJK, full-width forms, CJK punctuation.

    >>> [is_wide(c) for c in "中，“a1"]
    [True, True, True, False, False]
    """
    if char in _WIDE_AMBIGUOUS:
        return True
    return unicodedata.east_asian_width(char) in ("W", "F")


def visual_width(text: str) -> float:
    """Estimated printed width in ems: wide characters 1 em, others 0.5 em, whitespace 0.

    Whitespace counts nothing because the spaces in raw extractions are mostly spurious; in
    their place each switch between Chinese and Latin/digits adds the quarter em that word
    processors put there ("autospace").

    >>> visual_width("2021年1月6日")
    7.25
    """
    width = 0.0
    previous = ""
    for char in text:
        if char.isspace():
            continue
        kind = "wide" if is_wide(char) else ("latin" if char.isalnum() else "other")
        width += 1.0 if kind == "wide" else 0.5
        if {previous, kind} == {"wide", "latin"}:
            width += 0.25
        previous = kind
    return width


def is_latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
