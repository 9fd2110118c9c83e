"""The masthead: title, issue and cumulative issue numbers, issuer and date."""

from __future__ import annotations

import re
from itertools import pairwise

from bulletin_ocr.model import Line, Masthead
from bulletin_ocr.structure import cues, typography
from bulletin_ocr.structure.blocks import Block
from bulletin_ocr.structure.conventions import secrecy, signer
from bulletin_ocr.structure.spans import Piece, SpanMaker
from bulletin_ocr.structure.thresholds import SHARED

_WIDE_SPACE = re.compile(r"\s{2,}|\u3000+")
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def chinese_number(text: str) -> int | None:
    """Read ``2021``, ``二〇二一``, ``十二`` or ``二十六`` as a number.

    >>> [chinese_number(n) for n in ("二〇二一", "二○二一", "十二", "二十六", "6")]
    [2021, 2021, 12, 26, 6]
    """
    text = "".join(text.split())
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        high = _DIGITS.get(tens, 0) if tens else 1
        low = _DIGITS.get(units, 0) if units else 0
        return high * 10 + low if all(c in _DIGITS for c in tens + units) else None
    if text and all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    return None


def iso_date(match: re.Match[str]) -> str | None:
    year = chinese_number(_year_as_printed(match.group("year")))
    month, day = (chinese_number(match.group(k)) for k in ("month", "day"))
    if year is None or month is None or day is None:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _year_as_printed(year: str) -> str:
    """A year written out as OCR read it, as printed: the bracket read before a 〇 left out,
    and the 〇 it lost put back (``二二四`` is 二〇二四; a year of three numerals is no year
    of a bulletin otherwise).

    >>> [_year_as_printed(y) for y in ("二（〇二三", "二二四", "二〇二一", "2021")]
    ['二〇二三', '二〇二四', '二〇二一', '2021']
    """
    year = re.sub(r"[\s（(]", "", year)
    if len(year) == 3 and year[0] == "二" and not set(year) & set("〇○零"):
        return "二〇" + year[1:]
    return year


def _field_pieces(block: Block) -> list[Piece]:
    """Each masthead line, cut where a date begins and ends and at wide spaces: issuer and
    date, or title and classification mark, print on one line."""
    pieces: list[Piece] = []
    for line in block.lines:
        if cues.RULE_LINE.match(line.text) or cues.is_ornament(line.text):
            continue
        text = line.text
        dates = {i for m in cues.DATE.finditer(text) for i in m.span()}
        spaces = {i for m in _WIDE_SPACE.finditer(text) for i in m.span()}
        cuts = sorted({0, len(text)} | dates | spaces)
        for start, end in pairwise(cuts):
            if text[start:end].strip():
                pieces.append((line, text[start:end]))
    return pieces


def _title_line(block: Block, body: typography.BodyFace | None) -> Line | None:
    """The line set in the masthead's largest type, when it is a title's size (or red)."""
    if body is None:
        return None
    sized = [line for line in block.lines if line.font and cues.is_title_like(line.text)]
    if not sized:
        return None
    largest = max(sized, key=lambda line: line.font.size if line.font is not None else 0.0)
    if typography.is_title_face(largest, body) or typography.is_red(largest.font):
        return largest
    return None


def read_masthead(
    block: Block, spans: SpanMaker, body: typography.BodyFace | None = None
) -> Masthead:
    """The masthead's fields from its printed lines: the title by its type (or its words),
    issue numbers and the date by their patterns, the issuer by its name."""
    masthead = Masthead()
    title_line = _title_line(block, body)
    others: list[str] = []
    for piece in _field_pieces(block):
        line, printed = piece
        signed = signer.start(printed)
        if signed is not None:
            # ``区委办公室  签发人：王建国`` set with one space: the issuer is the text before.
            masthead.signer = masthead.signer or signer.signer(printed)
            masthead.spans.append(spans.span([(line, printed[signed:])]))
            piece = (line, printed[:signed])
            if not printed[:signed].strip():
                continue
        span = spans.span([piece])
        masthead.spans.append(span)
        text = span.text
        if secrecy.matches(text):
            masthead.secrecy = secrecy.clean((masthead.secrecy or "") + text)
            continue
        date = cues.DATE.fullmatch(text)
        if date and masthead.date_text is None:
            masthead.date_text = text
            masthead.date = iso_date(date)
            continue
        issue = cues.ISSUE.search(text)
        cumulative = cues.CUMULATIVE_ISSUE.search(text)
        if issue or cumulative:
            masthead.issue = masthead.issue or (issue.group(0) if issue else None)
            masthead.cumulative_issue = masthead.cumulative_issue or (
                cumulative.group(0) if cumulative else None
            )
        elif masthead.title is None and (
            piece[0] is title_line
            or (title_line is None and any(text.endswith(w) for w in cues.TITLE_WORDS))
        ):
            masthead.title = text
        elif not cues.is_classification_line(text):
            others.append(text)
    # The issuer is the text that names an office; failing that, whatever else is printed.
    named = [text for text in others if cues.is_issuer_line(text)]
    masthead.issuer = next(iter(named or others), None)
    return masthead


def is_bulletin_masthead(masthead: Masthead) -> bool:
    """Whether the fields read are a bulletin's masthead: at least two of a bulletin title
    (工作动态, 简报, …), an issue number, an issuer that names an office, and a date.

    A report's cover or a magazine column also opens with large type above a rule; read as
    a masthead it gave catalogue rows issuers such as ``资源局`` and ``主持：牟晓生``.

    >>> is_bulletin_masthead(Masthead(title="工作动态", issue="第7期"))
    True
    >>> is_bulletin_masthead(Masthead(title="数学新星问题征解", issuer="主持：牟晓生",
    ...                               issue="第十五期"))
    False
    >>> is_bulletin_masthead(Masthead(title="上海市普陀区财政局", issuer="2024年度部门决算"))
    False
    """
    printed = [span.text for span in masthead.spans] or [masthead.title or ""]
    signs = (
        any(cues.compact(text).endswith(cues.TITLE_WORDS) for text in printed),
        masthead.issue is not None or masthead.cumulative_issue is not None,
        masthead.issuer is not None and cues.is_issuer_line(masthead.issuer),
        masthead.date is not None or masthead.date_text is not None,
    )
    return sum(signs) >= SHARED.min_masthead_signs
