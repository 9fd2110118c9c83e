"""Small named text fixes (str -> str), each safe to run alone.

Every fix only deletes whitespace, turns whitespace into one space, or swaps a character for
its declared full-width form, so every other character of the input survives in order. The
span builder relies on that to map printed lines onto the clean text.
"""

from __future__ import annotations

import re

from bulletin_ocr.repair.chars import is_wide

_WHITESPACE_RUN = re.compile(r"\s+")

# The declared normalisations: half-width punctuation an extractor or OCR engine returns in
# Chinese context, and the full-width form government typesetting prints.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def drop_cjk_spaces(text: str) -> str:
    """Delete whitespace next to CJK and full-width characters; keep one space between words.

    >>> drop_cjk_spaces("中 共上 街 区委 2021 年 1 月 6 日")
    '中共上街区委2021年1月6日'
    >>> drop_cjk_spaces("推广 open  data 平台")
    '推广open data平台'
    >>> drop_cjk_spaces("  上街\\n区 ")
    '上街区'
    """

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        if start == 0 or end == len(text):
            return ""
        before, after = text[start - 1], text[end]
        if is_wide(before) or is_wide(after):
            return ""
        return " "

    return _WHITESPACE_RUN.sub(replace, text)


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest non-space character from ``index`` in direction ``step`` ('' at the ends)."""
    index += step
    while 0 <= index < len(text):
        if not text[index].isspace():
            return text[index]
        index += step
    return ""


def _chinese_context(before: str, after: str) -> bool:
    return (bool(before) and is_wide(before)) or (bool(after) and is_wide(after))


def _matching_parens(text: str) -> dict[int, int]:
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in "(（":
            stack.append(index)
        elif char in ")）" and stack:
            pairs[stack.pop()] = index
    return pairs


def normalize_cjk_punctuation(text: str) -> str:
    """Turn half-width , : ; ! ? ( ) into full width in Chinese context.

    Numbers, times and Latin text keep their ASCII punctuation.

    >>> normalize_cjk_punctuation("总投资24.4亿元,时间9:30,地点:会议室(二楼)")
    '总投资24.4亿元，时间9:30，地点：会议室（二楼）'
    >>> normalize_cjk_punctuation("1,000 items (see Fig. 2)")
    '1,000 items (see Fig. 2)'
    """
    chars = list(text)
    pairs = _matching_parens(text)
    for index, char in enumerate(text):
        if char not in FULL_WIDTH or char in "()":
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        if char in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,000 and 9:30
        if char in "!?" and not (before and is_wide(before)):
            continue
        if _chinese_context(before, after):
            chars[index] = FULL_WIDTH[char]
    for open_index, close_index in pairs.items():
        inner = text[open_index + 1 : close_index]
        outside = _chinese_context(
            _neighbour(text, open_index, -1), _neighbour(text, close_index, 1)
        )
        if any(is_wide(c) for c in inner) or outside:
            for index in (open_index, close_index):
                chars[index] = FULL_WIDTH.get(text[index], text[index])
    paired = set(pairs) | set(pairs.values())
    for index, char in enumerate(text):
        # An unmatched bracket: its partner is on another line, or OCR lost it.
        unmatched = char in "()" and index not in paired
        if unmatched and _chinese_context(_neighbour(text, index, -1), _neighbour(text, index, 1)):
            chars[index] = FULL_WIDTH[char]
    return "".join(chars)
