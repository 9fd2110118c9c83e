"""The contact line some templates print in the footer (``联系人：王明    联系电话：
0571-86001234``): a row of fields, distribution entries, never item text."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import compact

CONTACT = re.compile(r"^\s*(?:联\s*系\s*人|联\s*系\s*电\s*话)\s*[：:]")
LABEL = re.compile(r"(?P<label>联系人|联系电话|电话)\s*[：:]\s*")
LONGEST = 40


def matches(text: str) -> bool:
    """A short line that opens with ``联系人：`` or ``联系电话：``.

    >>> matches("联系人：王明    联系电话：0571-86001234"), matches("联系群众要经常化")
    (True, False)
    """
    return bool(CONTACT.match(text)) and len(compact(text)) <= LONGEST
