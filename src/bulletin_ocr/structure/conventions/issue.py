"""Issue numbers: ``第12期``, the cumulative ``总第87期``, on one line (``第12期（总第87期）``)
or on two centred lines (``第12期`` / ``（总第87期）``)."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import compact

_NUMERAL = r"[\d〇○零一二三四五六七八九十百]"
ISSUE = re.compile(rf"(?<!总)第\s*{_NUMERAL}+\s*期")
CUMULATIVE_ISSUE = re.compile(rf"总\s*第\s*{_NUMERAL}+\s*期")
# A line that holds only issue numbers, in brackets or not.
ISSUE_LINE = re.compile(
    rf"[（(]?\s*(?:总\s*)?第\s*{_NUMERAL}+\s*期\s*[)）]?"
    rf"(?:\s*[（(]?\s*总\s*第\s*{_NUMERAL}+\s*期\s*[)）]?)?"
)


def matches(text: str) -> bool:
    """A line of issue numbers alone, either line of the two-line form.

    >>> matches("第12期"), matches("（总第87期）"), matches("第7期  总第152期")
    (True, True, True)
    >>> matches("第一期培训班今天开班")
    False
    """
    return bool(ISSUE_LINE.fullmatch(compact(text)))
