"""Textual cues of bulletin structure, judged on raw printed lines (spaces still in place)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from bulletin_ocr.repair.chars import SENTENCE_PUNCT, TERMINAL_PUNCT, is_cjk, is_wide
from bulletin_ocr.structure import conventions, words
from bulletin_ocr.structure.conventions import footer, issue, secrecy
from bulletin_ocr.structure.conventions.text import SPECKS, without_speck_after_bracket
from bulletin_ocr.structure.thresholds import SHARED

_NUMERAL = r"[\d〇○零一二三四五六七八九十百]"
# ○ (a white circle) stands for 〇 in many offices' typed dates, and in OCR's reading of it.
_CN_DIGIT = "[〇○零一二三四五六七八九]"
# Raw extractions sprinkle spaces inside dates (``二〇二 三年七 月二日``): allowed between digits.
# OCR loses the round 〇 of a year written out (``二二四年``) or reads a bracket before it
# (``二（〇二三年``): three numerals, or a bracket between two, still make a year. A speck
# read as a dot before 年, 月 or 日 (``2023年12.月1日``) leaves a date a date.
_UNIT_GAP = rf"[\s{SPECKS}]*"
DATE = re.compile(
    rf"(?P<year>\d(?:\s*\d){{3}}|{_CN_DIGIT}(?:\s*[（(]?\s*{_CN_DIGIT}){{2,3}}){_UNIT_GAP}年\s*"
    rf"(?P<month>{_NUMERAL}(?:\s*{_NUMERAL}){{0,2}}){_UNIT_GAP}月\s*"
    rf"(?P<day>{_NUMERAL}(?:\s*{_NUMERAL}){{0,2}}){_UNIT_GAP}日"
)
ISSUE = issue.ISSUE
CUMULATIVE_ISSUE = issue.CUMULATIVE_ISSUE
TITLE_WORDS = (
    "工作动态", "简报", "信息", "专报", "快报", "通讯", "要情", "动态", "情况反映", "参阅",
)
ISSUER_SUFFIX = re.compile(
    r"(办公室|办公厅|委员会|人民政府|政府|委|局|厅|部|院|中心|街道|镇|处|办|会|室|科|组)$"
)
# The organisation may wrap onto the next printed line (``（区`` / ``市场监管局）``).
# What an organisation credited under an item ends with (区妇联, 马鞍乡, 区审计局, 团区委).
OFFICE_SUFFIX = re.compile(r"(委|局|厅|部|院|中心|街道|镇|乡|处|办|会|联|所|站|队|室)$")
ATTRIBUTION = re.compile(r"[（(]\s*(?P<org>[^（）()]{2,30}?)\s*[）)]\s*$")
DISTRIBUTION_LABEL = footer.DISTRIBUTION_LABEL
COPIES = footer.COPIES
BRIEF_MARKERS = "△▲●"
# Numbered headings and list items: "一、", "（二）", "3.", "第四部分".
LIST_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第\S{1,4}[部章节条])"
)
# The enumeration markers that open a list entry: ``（二）``, ``二、``, ``2、``, ``2.`` (not a
# decimal such as ``2.5``).
ENUMERATION = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
    r"|\d{1,2}、|\d{1,2}[.．](?!\d))"
)
# Closing punctuation no paragraph can start with (Chinese line-breaking rules).
NO_LINE_START = frozenset("。，、；：？！）》」』”’…%")
# Opening marks: text never ends at one (a space after it is a lost glyph, not a gap).
NO_LINE_END = frozenset("“‘（(《〈「『【")
RULE_LINE = re.compile(r"^[\s\-—─━_=＝*★☆·]{3,}$")
# A star or dash standing in a masthead rule, printed as text.
ORNAMENT = re.compile(r"^[\s\-—─━_=＝*★☆·◆◇●]{1,}$")
# Classification and circulation marks printed above or beside a masthead.
CLASSIFICATION = secrecy.MARK
_ORDINAL = re.compile(rf"^[\s{_NUMERAL[1:-1]}]+$")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def has_sentence_punct(text: str) -> bool:
    """Whether the text holds sentence punctuation; a full stop between two Chinese
    characters counts, for a recogniser reads a blurred ``，`` as ``．`` or ``.`` (a list
    marker's ``1．`` and a number's ``2.5`` stand beside digits).

    >>> has_sentence_punct("会议指出．森林防火"), has_sentence_punct("1．区委召开2.5万人大会")
    (True, False)
    """
    return any(c in SENTENCE_PUNCT for c in text) or any(
        char in "．." and is_cjk(before) and is_cjk(after)
        for before, char, after in zip(text, text[1:], text[2:], strict=False)
    )


def punctuated_inside(text: str) -> bool:
    """Whether sentence punctuation stands inside the text, before its own last marks.

    >>> punctuated_inside("付志杰强调，要创新工"), punctuated_inside("区信访局召开推进会，")
    (True, False)
    """
    return has_sentence_punct(text.rstrip().rstrip("".join(SENTENCE_PUNCT)))


def opens_enumeration(text: str) -> bool:
    """Whether the text opens with a list entry's marker.

    >>> opens_enumeration("（二）承担区委…"), opens_enumeration("2.5倍")
    (True, False)
    """
    return ENUMERATION.match(text) is not None


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence, looking past closing quotes and brackets."""
    stripped = text.rstrip().rstrip("”’」』》")
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCT


def is_masthead_line(text: str) -> bool:
    """A line of the masthead: title, issue numbers, or issuer and date, and no sentence
    (a classification mark beside them does not count).

    >>> is_masthead_line("信 息 快 报  内部资料"), is_masthead_line("二〇二 三年七 月二日")
    (True, True)
    """
    flat = CLASSIFICATION.sub("", compact(text))
    if not flat or has_sentence_punct(flat) or len(flat) > SHARED.max_masthead_line:
        return False
    if DATE.search(flat) and len(DATE.sub("", flat)) <= SHARED.max_beside_date:
        return True
    if ISSUE.search(flat) or CUMULATIVE_ISSUE.search(flat):
        return len(flat) <= SHARED.max_issue_line
    titled = any(flat.endswith(word) for word in TITLE_WORDS)
    return titled and len(flat) <= SHARED.max_titled_line


def is_ornament(text: str) -> bool:
    """Nothing but stars and dashes: part of a rule, not text."""
    return bool(ORNAMENT.match(text))


def is_classification_line(text: str) -> bool:
    """A classification or circulation mark (``内部资料  注意保存``, ``秘密★1年``): short,
    no sentence.

    >>> is_classification_line("内部资料  注意保存"), is_classification_line("秘密★1年")
    (True, True)
    >>> is_classification_line("区委召开内部审计工作会议，部署全年工作。")
    False
    """
    return secrecy.matches(text)


def is_title_like(text: str) -> bool:
    """Few characters and no sentence: what a masthead title can be."""
    flat = compact(text)
    return 2 <= len(flat) <= SHARED.max_title and not has_sentence_punct(flat)


def is_issuer_line(text: str) -> bool:
    flat = compact(text)
    if not SHARED.min_issuer <= len(flat) <= SHARED.max_issuer or has_sentence_punct(flat):
        return False
    return bool(ISSUER_SUFFIX.search(flat))


def attribution_org(text: str) -> str | None:
    """The organisation if ``text`` is nothing but an attribution ``（区委组织部）``; an
    office's, if a dot follows it: on a scan, a speck beside the bracket (``（北湖街道）.``).

    >>> attribution_org("（北湖街道）."), attribution_org("（试行）.")
    ('北湖街道', None)
    """
    flat = text.strip()
    match = ATTRIBUTION.fullmatch(without_speck_after_bracket(flat))
    if match is None:
        return None
    if match.end() < len(flat) and not OFFICE_SUFFIX.search(compact(match.group("org"))):
        return None  # a dot after a bracket that names no office is the text's own
    org = match.group("org")
    if has_sentence_punct(org) or _ORDINAL.match(org) or not any(is_cjk(c) for c in org):
        return None
    return org


def trailing_attribution(text: str) -> int | None:
    """Where a closing attribution starts in a paragraph's raw text, if it has one.

    The parenthesis must close the paragraph and follow the end of a sentence, so that
    ``镇（办）、村（社区）`` inside the text never counts.
    """
    match = ATTRIBUTION.search(text)
    org = attribution_org(match.group(0)) if match is not None else None
    if match is None or org is None:
        return None
    before = text[: match.start()]
    if before.strip() and not ends_sentence(before.rstrip()) and not _misread_end(before, org):
        return None
    return match.start()


def _misread_end(before: str, org: str) -> bool:
    """OCR lost or misread the full stop before an office's name: the text before it ends in
    a space, a look-alike mark (``：`` ``．``) or a percentage (a 1-bit scan's ``。`` after
    ``%`` is lost: ``%（`` is read as one piece, the stop's room with it), and the name ends
    like an office's.

    >>> _misread_end("效果明显 ", "区妇联"), _misread_end("各镇", "街道")
    (True, False)
    >>> _misread_end("平均办理时限压缩34.4%", "区税务局"), _misread_end("增长4%", "同比")
    (True, False)
    """
    stripped = before.rstrip()
    ends_oddly = before != stripped or stripped[-1:] in "：:．.，,;；%％"
    return ends_oddly and bool(OFFICE_SUFFIX.search(compact(org)))


TOC_LEADER = re.compile(r"[…\.·．]{4,}\s*[\d一二三四五六七八九十\-—]*\s*$")


def is_toc_entry(text: str) -> bool:
    """A table-of-contents line: a title followed by dot leaders (and maybe a page number)."""
    return bool(TOC_LEADER.search(text))


def is_brief_start(text: str) -> bool:
    return text.lstrip()[:1] in BRIEF_MARKERS


def is_distribution_start(text: str) -> bool:
    """Where the footer begins: a distribution, imprint, print-run or colophon line."""
    return conventions.role_of(text, "body") in conventions.FOOTER_ROLES


def looks_like_headline(text: str) -> bool:
    """Short, no sentence punctuation, not a bracketed attribution or a marker line."""
    flat = compact(text)
    if (
        not SHARED.min_headline <= len(flat) <= SHARED.max_headline
        or has_sentence_punct(flat)
        or flat[-1] in "、（("
    ):
        return False
    if attribution_org(flat) is not None or is_brief_start(flat) or RULE_LINE.match(flat):
        return False
    return sum(1 for c in flat if is_cjk(c)) >= SHARED.min_headline


def could_be_run_in_head(text: str) -> bool:
    """Text in a headline face before the body: long enough for a headline, and not a
    bracketed organisation or a brief marker.

    >>> could_be_run_in_head("一是建机制。"), could_be_run_in_head("（区委办）")
    (True, False)
    """
    flat = compact(text)
    if (
        not 2 <= len(flat) <= SHARED.max_display_run
        or is_brief_start(flat)
        or attribution_org(flat) is not None
    ):
        return False
    return sum(1 for c in flat if is_cjk(c)) >= 2


def could_be_standalone_head(text: str) -> bool:
    """A line in a headline face that can be a headline: not a sentence's end, not a rule.

    Unlike ``looks_like_headline`` commas are allowed: the face already says headline.

    >>> could_be_standalone_head("抓党建促发展，推动乡村振兴"), could_be_standalone_head("——")
    (True, False)
    """
    flat = compact(text)
    if (
        not 2 <= len(flat) <= SHARED.max_standalone_head
        or RULE_LINE.match(flat)
        or is_ornament(flat)
    ):
        return False
    if flat[-1] in "。；;" or flat[-1] in "、（(":
        return False  # a sentence's end, or a line that goes on
    if attribution_org(flat) is not None or is_brief_start(flat):
        return False
    return sum(1 for c in flat if is_cjk(c)) >= 2


# A month and day (``12月17日``), spaces allowed (OCR and raw text put them in).
_MONTH_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
# After the date: the comma that opens a sentence with it, misread as a full stop or not.
_AFTER_DATE = re.compile(r"\s*[，,.．。]?\s*")


def date_at_line_end(text: str, following: str | None) -> int | None:
    """Where a date that ends the line, or begins there and ends on the next one, starts:
    set after a headline in a face of its own (``…工作会议12月17`` / ``日，我区…``), it
    opens the body, which a paragraph often does.

    >>> date_at_line_end("区审计局召开医保基金监管工作会议12月17", "日，我区召开推进会")
    16
    >>> date_at_line_end("区交通运输局全面加强消防安全工作8月26日.", "我区召开推进会")
    16
    >>> date_at_line_end("梅岭区召开招商引资工作会议 11月", "4日，梅岭区召开推进会")
    14
    >>> date_at_line_end("截至8月26日，共走访", "解决实际困难") is None
    True
    """
    text = text.rstrip()
    joined = text + (following or "")
    for match in _MONTH_DAY.finditer(joined):
        start = match.start()
        before = text[:start].rstrip()
        if start >= len(text) or not before or not is_cjk(before[-1]):
            continue
        if match.end() < len(text):
            # The date ends on this line: only punctuation may follow it there.
            rest = _AFTER_DATE.fullmatch(text, match.end())
            if rest is None:
                continue
        return start
    return None


@dataclass(frozen=True)
class Gap:
    """The whitespace between a run-in headline and its body."""

    line: int
    """Which of the paragraph's lines holds the gap: 0, or more when the headline wrapped."""
    start: int
    end: int


def _gaps_before_sentence(text: str, before: int = 0) -> list[tuple[int, int]]:
    """Inner whitespace runs before the first sentence punctuation, while the characters
    before them (``before`` more from an earlier line) can still be a headline.

    One pass over the text: a line of 40,000 spaced characters costs 40,000 steps, not the
    square of it.

    >>> _gaps_before_sentence("区委召开 会议，部署 工作")
    [(4, 5)]
    """
    gaps = []
    seen = before
    position = 0
    for match in re.finditer(r"\s+", text):
        chunk = text[position : match.start()]
        if has_sentence_punct(chunk):
            break
        seen += len(chunk)
        if seen > SHARED.max_run_in_head:
            break
        if match.start() > 0 and match.end() < len(text):
            gaps.append(match.span())
        position = match.end()
    return gaps


def numbered_head_before_opener(texts: Sequence[str]) -> Gap | None:
    """The end of a numbered run-in headline that no gap or face parts from its body, where
    the body opens with the words that date or number its first sentence (``（二）…形成长效
    机制 3月24`` / ``日，我区召开…``; ``…交出亮眼答卷截至3月10日，``): the headline is the
    unpunctuated text before them, over the first line or two.

    >>> numbered_head_before_opener(["（三）区民政局推动垃圾分类", "交出亮眼答卷截至3月10日，"])
    Gap(line=1, start=6, end=6)
    >>> numbered_head_before_opener(["（一）区委于3月5日，召开会议"]) is None
    True
    """
    if not texts or not LIST_MARKER.match(texts[0]):
        return None
    # The opener may begin on the second line and end on the third (``3月24`` / ``日，``).
    joined = "".join(texts[: SHARED.opener_lines])
    ends = list(accumulate(len(text) for text in texts[: SHARED.opener_lines]))
    for opener in words.BODY_OPENER.finditer(joined):
        if opener.start() >= ends[min(1, len(ends) - 1)]:
            return None
        head = joined[: opener.start()].rstrip()
        if has_sentence_punct(head) or len(compact(head)) > SHARED.max_run_in_head:
            return None
        clause = joined[opener.start() : opener.start() + SHARED.opener_clause + 1]
        marker = LIST_MARKER.match(head)
        cjk = sum(1 for c in head[marker.end() if marker else 0 :] if is_cjk(c))
        if cjk < SHARED.min_numbered_head or ("，" not in clause and "," not in clause):
            continue
        line = 0 if opener.start() < ends[0] else 1
        offset = opener.start() - (ends[0] if line else 0)
        if offset == 0:
            return None  # the headline ended with its line: other cues judge that
        stop = offset
        while stop > 0 and texts[line][stop - 1].isspace():
            stop -= 1
        return Gap(line, stop, offset)
    return None



# A number, a Latin word and the closing punctuation after them are never split over two
# lines: where one did not fit, the line before stops short (``…占`` / ``15.16%；``).
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,%‰+\-/:]+[。，、；：？！）》”’%]*")


def leading_unit_width(text: str) -> float:
    """The width in ems of the number or Latin word (with the punctuation kept to it) that
    opens ``text``, which a line break never splits; 0 when it opens with neither."""
    unit = _UNBREAKABLE.match(text)
    return 0.0 if unit is None else sum(1.0 if is_wide(c) else 0.5 for c in unit.group())


def _between_wide(text: str, start: int, end: int) -> bool:
    return is_wide(text[start - 1]) and is_wide(text[end])


_BODY_ENUMERATION = re.compile(r"[一二三四五六七八九十]是")


def _opens_body(text: str) -> bool:
    """Whether a line opens with a body's opening words (``截至``, a date, ``一是``).

    Such a line opens a paragraph, or goes on with one after a headline that ended on the line
    before; a gap after its first words is a misread comma's (``截至11月171. 共走访15项．``,
    ``一是推广“网格+”工作模式． 共排查…``). Set in a headline's face ``一是…`` does head
    a paragraph: the face says so (``could_be_run_in_head``), not a gap.

    >>> _opens_body("截至11月17日 共走访"), _opens_body("区委召开 会议")
    (True, False)
    """
    flat = compact(text)
    return bool(words.BODY_OPENER.match(flat) or _BODY_ENUMERATION.match(flat))


def find_run_in_gap(
    first: str,
    second: str | None,
    *more: str,
    item_boundary: bool,
    spaces_are_noise: bool,
) -> Gap | None:
    """Find the gap after a run-in headline on a paragraph's first line, or on a later one
    (``more`` lines) when the headline wrapped.

    A gap between two Chinese characters is the headline gap unless the extraction sprinkles
    such spaces everywhere (``spaces_are_noise``); a gap next to a digit (``开工 1月4日``) only
    counts where an item can start anyway (``item_boundary``), since extractors also put
    spaces around numbers.
    """
    trusted = item_boundary or not spaces_are_noise
    texts = [first, second, *more]
    for line_index, text in enumerate(texts):
        if text is None or _opens_body(text):
            return None
        prefix = "".join(t for t in texts[:line_index] if t is not None)
        if line_index >= 1 and (has_sentence_punct(prefix) or not looks_like_headline(prefix)):
            return None
        candidates = []
        for start, end in _gaps_before_sentence(text, len(compact(prefix))):
            head = compact(prefix + text[:start])
            if (
                len(head) < SHARED.min_run_in_head
                or len(head) > SHARED.max_run_in_head
                or (line_index >= 1 and start > SHARED.wrapped_gap_reach)
            ):
                continue
            if looks_like_headline(head) and not is_brief_start(head) and (
                head[-1] not in NO_LINE_END
            ):
                candidates.append((start, end))
        between_chinese = [gap for gap in candidates if _between_wide(text, *gap)]
        if between_chinese and trusted:
            return Gap(line_index, *between_chinese[0])
        # A digit-side gap is weaker evidence: it must be on the first line and the body must
        # visibly start a sentence after it, or a standalone headline with spaced digits
        # ("青川区召开 2023 年…会议") would split, or swallow the next line's "4 月10日".
        last_punct = max((i for i, c in enumerate(text) if c in SENTENCE_PUNCT), default=-1)
        beside_digits = [gap for gap in candidates if last_punct >= gap[1]]
        if beside_digits and item_boundary and line_index == 0:
            return Gap(line_index, *beside_digits[0])
    return None
