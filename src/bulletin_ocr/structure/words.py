"""Word boundaries of Chinese text, from jieba's dictionary (shipped with the package, so it
works offline): a face change measured from pixels lands a glyph off now and then, and a
headline never ends inside a word (``工作会|议``, ``跑出加|速度``)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure.thresholds import SHARED


@cache
def _tokenizer() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[tuple[int, int]]:
    """The spans of the words of two or more Chinese characters in ``text``.

    >>> text = "耕地保护工作会议区妇联牵头"
    >>> [text[start:end] for start, end in words(text)]
    ['耕地', '保护', '工作', '会议', '妇联', '牵头']
    """
    return [
        (start, end)
        for word, start, end in _tokenizer().tokenize(text, HMM=False)
        if end - start >= 2 and all(is_cjk(c) for c in word)
    ]


def end_of_word_at(text: str, offset: int) -> int:
    """The end of the word that ``offset`` falls inside, when no more of the word lies before
    ``offset`` than after it; else ``offset``. A cut measured from ink falls short of a
    headline's end far more often than past it (the corpus scans: 9 to 4), and each short
    one inside a word ended it after the word's first glyph. A word mostly before the cut is
    more often the headline's last word glued by the dictionary to the body's first glyph
    (``乡村振兴`` and ``区住建局`` read as ``振兴区``).

    >>> end_of_word_at("工作会议区妇联", 3), end_of_word_at("工作会议区妇联", 4)
    (4, 4)
    >>> end_of_word_at("跑出加速度截至", 3)
    5
    >>> end_of_word_at("统筹推进乡村振兴区住建局", 8)
    8
    """
    word = word_across(text, offset)
    if word is not None and offset - word[0] <= word[1] - offset:
        return word[1]
    return offset


def word_across(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the word that ``offset`` falls inside, if one does.

    >>> word_across("见行见效截至", 3), word_across("工作会议", 2)
    ((2, 4), None)
    """
    return next(((start, end) for start, end in words(text) if start < offset < end), None)


# Words a bulletin's paragraph opens with after a run-in headline (the seeds hold each): a
# date, or the phrases that date or number what follows.
BODY_OPENER = re.compile(
    r"\d{1,2}月\d{1,2}日|截至|今年以来|去年以来|近年来|近日|日前|一是|下一步|会议(?:指出|强调|要求)"
)


# A paragraph that reports a meeting opens with who spoke: a name of two or three characters
# and the verb of speech, then its comma (``熊文雪强调，``).
SPEECH = re.compile(r"(?:强调|指出|表示|要求)[，,：:]")
NAME_LENGTHS = (3, 2)


def openers(text: str) -> list[tuple[int, int]]:
    """The spans of a body's opening words in ``text`` (``BODY_OPENER``), and of each
    speaker's name with the verb of speech after it: the longest name that starts at a word
    boundary (jieba's dictionary holds no names, so a name is single glyphs, and a glyph that
    belongs to the word before is no part of it).

    >>> openers("推动基层治理尹松强调，要加强"), openers("工作会议熊文雪强调，要")
    ([(6, 10)], [(4, 9)])
    >>> openers("会议指出，消防安全"), openers("工作会议强调，要")
    ([(0, 4)], [(2, 6)])
    """
    spans = [found.span() for found in BODY_OPENER.finditer(text)]
    for verb in SPEECH.finditer(text):
        for length in NAME_LENGTHS:
            start = verb.start() - length
            name = text[max(start, 0) : verb.start()]
            if start >= 0 and all(map(is_cjk, name)) and word_across(text, start) is None:
                if (start, verb.end() - 1) not in spans:
                    spans.append((start, verb.end() - 1))
                break
    return sorted(spans)


def body_opener_near(text: str, offset: int, reach: int | None = None) -> int | None:
    """The start of a body's opening words within a few characters of ``offset``, nearest
    first (within ``reach``, by default ``opener_reach`` characters); None when there are
    none. Where the ink of a headline's last glyphs and the body's
    first measures alike, the words say where the body begins (``…企业服务工作截至7月23日``,
    ``…志愿服务工作郑静强调，``).

    >>> body_opener_near("龙泉镇稳步推进企业服务工作截至7月23日，共走访", 11)
    13
    >>> body_opener_near("新桥街道统筹推进大气污染防治工作截至3月", 17) is None
    False
    >>> body_opener_near("龙泉镇稳步推进企业服务工作全年计划", 11) is None
    True
    >>> body_opener_near("区农业农村局全力抓好志愿服务工作郑静强调，要提高", 17)
    16
    """
    reach = SHARED.opener_reach if reach is None else reach
    starts = [start for start, _ in openers(text) if start > 0]
    near = [start for start in starts if abs(start - offset) <= reach]
    return min(near, key=lambda start: abs(start - offset)) if near else None
