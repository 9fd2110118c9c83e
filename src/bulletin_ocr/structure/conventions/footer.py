"""The footer between two thin rules: distribution lines (``报：``, ``送：``, ``发：``,
``抄送：``, ``呈报：``, ``报送：``), the imprint (``XX办公室  2023年X月X日印发``), the print run
(``（共印25份）``) and the editorial colophon (``分析：`` ``审核：`` ``编辑：`` ``校对：``, often
several on one line). All of it is the document's distribution, never item text."""

from __future__ import annotations

import re

from bulletin_ocr.structure.conventions.text import SPECKS, compact

DISTRIBUTION_LABEL = re.compile(
    r"^\s*(?P<label>抄送|抄报|分送|主送|呈报|报送|印发|报|送|发)\s*[：:]\s*"
)
COLOPHON_LABEL = re.compile(r"(?P<label>责任编辑|分析|审核|编辑|校对|核稿|撰稿)\s*[：:]\s*")
# On a scan a speck beside the number may be read as a dot (``共印.200份``, ``共印·120份``).
COPIES = re.compile(rf"^\s*[（(]?\s*共印[\s{SPECKS}]*\d+[\s{SPECKS}]*份\s*[）)]?\s*$")
_YEAR = r"(?:\d\s*){4}|(?:[〇○零一二三四五六七八九]\s*){4}"
_DAY = r"[\d〇○零一二三四五六七八九十]{1,3}"
# The issuing office may stand apart on the row's left, read as a line of its own.
IMPRINT = re.compile(
    rf"^\s*(?:\S.{{0,40}}?)?(?:{_YEAR})年\s*{_DAY}\s*月\s*{_DAY}\s*日\s*印\s*发\s*$"
)
IMPRINT_DATE_ONLY = re.compile(
    rf"^\s*(?:{_YEAR})年\s*{_DAY}\s*月\s*{_DAY}\s*日\s*印\s*发\s*$"
)
# A colophon names people: a line holding one is short.
LONGEST_COLOPHON = 40


def is_distribution(text: str) -> bool:
    """``报：…`` and the like.

    >>> is_distribution("抄送：市委办公室，市政府办公室"), is_distribution("报告显示，")
    (True, False)
    """
    return bool(DISTRIBUTION_LABEL.match(text))


def is_colophon(text: str) -> bool:
    """A short line that opens with a colophon label (a sentence after the label is vetoed
    by the table's row: ``conventions.ROWS``).

    >>> is_colophon("分析：王明    审核：李华"), is_colophon("编辑：张三")
    (True, True)
    >>> is_colophon("分析：" + "今年以来全区经济运行稳中向好" * 3)
    False
    """
    return bool(COLOPHON_LABEL.match(text.strip())) and len(compact(text)) <= LONGEST_COLOPHON


def is_copies(text: str) -> bool:
    return bool(COPIES.match(text))


def is_imprint(text: str) -> bool:
    """``区委办公室  2023年7月3日印发``.

    >>> is_imprint("松岭区委办公室          2023年7月3日印发"), is_imprint("印发通知")
    (True, False)
    >>> is_imprint("二〇二一年九月二十七日印发")
    True
    """
    return bool(IMPRINT.match(text))


def fields(text: str, labels: re.Pattern[str] = COLOPHON_LABEL) -> list[tuple[str, int, int]]:
    """Each ``label：value`` field of a row of fields (a colophon, or any row the table gives
    the role ``fields`` with its ``labels``): its label and where its value starts and ends.
    The labels are named, not guessed: a row read without its spaces runs a name into the
    next label (``分析：龚晨平审核：钟新敏``).

    >>> fields("分析：王明  审核：李华")
    [('分析', 3, 5), ('审核', 10, 12)]
    >>> [text for _, start, end in [*fields("分析：龚晨平审核：钟新敏")]
    ...  for text in ["分析：龚晨平审核：钟新敏"[start:end]]]
    ['龚晨平', '钟新敏']
    """
    found = list(labels.finditer(text))
    out: list[tuple[str, int, int]] = []
    for index, match in enumerate(found):
        stop = found[index + 1].start() if index + 1 < len(found) else len(text)
        value = text[match.end() : stop].rstrip()
        out.append((match.group("label"), match.end(), match.end() + len(value)))
    return out
