"""Secrecy and circulation marks printed at the top left of a masthead (``秘密★1年``,
``机密``, ``内部资料  注意保存``): the masthead's ``secrecy`` field, never its title or issuer."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import compact, has_sentence_punct

# The marks as offices print them; ``★1年`` is a term of secrecy after a grade.
MARK = re.compile(
    r"(内部资料|内部刊物|内部参阅|注意保存|妥善保管|仅供参考|秘密|机密|绝密|★\s*\d+年|不得翻印)"
)
LONGEST = 20
# Circulation marks printed side by side (``内部资料  注意保存``): one space between them.
_CIRCULATION = r"内部资料|内部刊物|内部参阅|注意保存|妥善保管|仅供参考|不得翻印"


def matches(text: str) -> bool:
    """A short line holding a secrecy or circulation mark and no sentence.

    >>> matches("内部资料  注意保存"), matches("秘密★1年"), matches("机密")
    (True, True, True)
    >>> matches("区委召开内部审计工作会议，部署全年工作。")
    False
    """
    flat = compact(text)
    return 2 <= len(flat) <= LONGEST and not has_sentence_punct(flat) and bool(MARK.search(flat))


def clean(text: str) -> str:
    """The mark as the masthead's ``secrecy`` field gives it, however the print spaced it:
    side-by-side circulation marks one space apart, nothing else spaced.

    >>> clean("内部资料  注意保存"), clean("内部资料注意保存"), clean("秘密 ★ 1年")
    ('内部资料 注意保存', '内部资料 注意保存', '秘密★1年')
    """
    parts = re.split(f"({_CIRCULATION})", compact(text))
    return " ".join(part for part in parts if part)
