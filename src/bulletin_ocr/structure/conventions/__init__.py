"""The conventions of bulletin templates, as one table: which role a line's text gives it.

Each convention family has a cue file in this package that declares its patterns
(``secrecy``, ``issue``, ``signer`` for the masthead; ``toc``, ``sections``, ``footer`` for
the body). ``ROWS`` is the one place that says which cue gives which role, in which order
(lower ``precedence`` first: ``≡本期要目≡`` is a contents heading before it is a section
label), and what vetoes a row (a sentence after ``分析：`` is a paragraph, not a colophon).
``decide`` is what the structure stage consults; adding a convention is one cue file and
one row here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bulletin_ocr.structure.conventions import (
    contact,
    footer,
    issue,
    secrecy,
    sections,
    signer,
    toc,
)
from bulletin_ocr.structure.conventions.text import has_sentence_punct

Place = Literal["masthead", "body"]
Role = Literal[
    "secrecy", "signer", "issue", "contents", "section", "distribution", "fields"
]
"""``fields``: a footer row of ``label：value`` fields, each its own distribution entry."""


@dataclass(frozen=True)
class Veto:
    """Evidence that cancels a row's cue, named for ``--explain``."""

    name: str
    applies: Callable[[str], bool]


@dataclass(frozen=True)
class Row:
    role: Role
    cue: str
    """The name ``--explain`` gives the decision."""
    matches: Callable[[str], bool]
    place: Place
    precedence: int
    vetoes: tuple[Veto, ...] = ()
    labels: re.Pattern[str] | None = None
    """For a row of fields: the labels its fields open with (``分析``, ``审核``…)."""


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(("。", "！", "？", "；"))


SENTENCE_END = Veto("a sentence ends the line", _ends_sentence)
SENTENCE_INSIDE = Veto("sentence punctuation", lambda text: has_sentence_punct(
    text.replace("：", "").replace(":", "")))

ROWS: tuple[Row, ...] = (
    # masthead
    Row("secrecy", "secrecy mark", secrecy.matches, "masthead", 10, (SENTENCE_END,)),
    Row("signer", "signer line", signer.matches, "masthead", 20, (SENTENCE_END,)),
    Row("issue", "issue number line", issue.matches, "masthead", 30),
    # body
    Row("contents", "contents heading", toc.matches, "body", 10),
    Row("section", "section label", sections.matches, "body", 20, (SENTENCE_INSIDE,)),
    Row("distribution", "distribution label", footer.is_distribution, "body", 30),
    Row("distribution", "print run", footer.is_copies, "body", 40),
    Row("distribution", "imprint line", footer.is_imprint, "body", 50, (SENTENCE_END,)),
    Row("fields", "colophon label", footer.is_colophon, "body", 60,
        (SENTENCE_END, SENTENCE_INSIDE), footer.COLOPHON_LABEL),
    Row("fields", "contact line", contact.matches, "body", 70, (SENTENCE_END,),
        contact.LABEL),
)


def decide(text: str, place: Place) -> Row | None:
    """The first row, by precedence, whose cue matches ``text`` in ``place`` and that no veto
    cancels.

    >>> decide("≡本期要目≡", "body").role, decide("≡本期详情≡", "body").role
    ('contents', 'section')
    >>> decide("分析：今年经济运行稳中向好，主要指标增长。", "body") is None
    True
    >>> decide("秘密★1年", "masthead").role
    'secrecy'
    """
    for row in sorted((r for r in ROWS if r.place == place), key=lambda r: r.precedence):
        if row.matches(text) and not any(veto.applies(text) for veto in row.vetoes):
            return row
    return None


FOOTER_ROLES: tuple[Role, ...] = ("distribution", "fields")


def role_of(text: str, place: Place) -> Role | None:
    row = decide(text, place)
    return row.role if row is not None else None
