"""Section labels on lines of their own (``【工作动态】``, ``≡本期详情≡``, ``〔基层经验〕``):
the items under one belong to that section until the next."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import compact

LABEL = re.compile(
    r"(?:【(?P<a>[^【】]{2,10})】|〔(?P<b>[^〔〕]{2,10})〕|[≡＝=]+(?P<c>[^≡＝=]{2,10})[≡＝=]+)"
)


def matches(text: str) -> bool:
    """A line that is a section label and nothing else.

    >>> matches("【工作动态】"), matches("≡本期详情≡"), matches("【工作动态】区委召开会议")
    (True, True, False)
    """
    return LABEL.fullmatch(compact(text)) is not None


def name(text: str) -> str:
    """The section's name without its marks.

    >>> name("【 基层经验 】"), name("≡本期详情≡")
    ('基层经验', '本期详情')
    """
    match = LABEL.fullmatch(compact(text))
    if match is None:
        return compact(text)
    return next(group for group in match.groups() if group)
