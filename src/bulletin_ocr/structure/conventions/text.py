"""Text helpers every cue file shares (kept free of ``structure.cues`` so that it can read
the cue files' patterns)."""

from __future__ import annotations

import re

from bulletin_ocr.repair.chars import SENTENCE_PUNCT, is_cjk

# Marks a scan's specks are read as, beside digits or brackets (``共印.200份``, ``（北湖街道）.``).
SPECKS = ".．·"


def without_speck_after_bracket(text: str) -> str:
    """``text`` less one speck read after its closing bracket.

    >>> without_speck_after_bracket("（北湖街道） ."), without_speck_after_bracket("2.")
    ('（北湖街道）', '2.')
    """
    rest = text[:-1].rstrip()
    return rest if text[-1:] in SPECKS and rest.endswith(("）", ")")) else text


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def has_sentence_punct(text: str) -> bool:
    """Sentence punctuation, or a full stop between two Chinese characters (a blurred ``，``).

    >>> has_sentence_punct("会议指出．森林防火"), has_sentence_punct("第12期")
    (True, False)
    """
    return any(c in SENTENCE_PUNCT for c in text) or any(
        char in "．." and is_cjk(before) and is_cjk(after)
        for before, char, after in zip(text, text[1:], text[2:], strict=False)
    )
