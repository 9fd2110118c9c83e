"""The signer line: the issuer at the left and ``签发人：某某`` at the right of one row (the
date then on a line of its own): the masthead's ``signer`` field."""

from __future__ import annotations

import re

# The name may come with a raw extraction's spaces (``签发 人：何 军悦``).
SIGNER = re.compile(r"签\s*发\s*人?\s*[：:]\s*(?P<name>(?:[\u3400-\u9fff·]\s*){2,8})$")


def matches(text: str) -> bool:
    """A line (or the right-hand piece of one) that names the signer.

    >>> matches("区委办公室        签发人：王建国"), matches("签发人:李明")
    (True, True)
    >>> matches("签发人要对内容负责。")
    False
    """
    return SIGNER.search(text.strip()) is not None


def signer(text: str) -> str | None:
    """The signer's name.

    >>> signer("区委办公室    签发人：王建国"), signer("西陵区委督查室    签发 人：何 军悦")
    ('王建国', '何军悦')
    """
    match = SIGNER.search(text.strip())
    return "".join(match.group("name").split()) if match else None


def start(text: str) -> int | None:
    """Where the signer's label starts in a line that holds the issuer before it."""
    match = SIGNER.search(text)
    return match.start() if match else None
