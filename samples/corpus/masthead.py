"""The masthead of a generated bulletin: its lines, rules and raw text, laid out on page 1.

From the top: a classification mark (``内部资料  注意保存``, ``秘密★1年``) at the left, unless it
sits beside the title at the right; the title, letter-spaced (0.4 em), centred; the issue line
(``第7期``, ``第7期（总第152期）``, or ``第7期`` and ``总第152期`` either side of the centre);
issuer and date at the two ends of one row, or centred on two rows; then a red rule, plain,
doubled (thick over thin) or broken by a ★. An ``issuer_date`` masthead has no title and no
issue line. Positions are baseline drops in pt below the top of the text block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from samples import make_pdf as mp
from samples.corpus.faces import atoms
from samples.corpus.geometry import PAGE_W, Geometry
from samples.corpus.variants import CLASSIFICATION_TEXT

CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals (一, 十, 十一, 二十三).

    >>> [chinese_number(n) for n in (1, 10, 11, 20, 23)]
    ['一', '十', '十一', '二十', '二十三']
    """
    tens, ones = divmod(n, 10)
    text = ("" if tens <= 1 else CHINESE_DIGITS[tens]) + ("十" if tens else "")
    return text + (CHINESE_DIGITS[ones] if ones else "")


@dataclass
class Masthead:
    """Positioned masthead lines (line, baseline drop), rules and what each prints."""

    lines: list[tuple[mp.Line, float]]
    rules: list[tuple[float, float, float, float]]   # x0, x1, drop, width (all red)
    raw_lines: list[str]
    height: float


def date_text(year: int, month: int, day: int, style: str) -> str:
    """The printed date.

    >>> date_text(2023, 3, 5, "chinese"), date_text(2021, 10, 26, "chinese")
    ('二〇二三年三月五日', '二〇二一年十月二十六日')
    """
    if style == "arabic":
        return f"{year}年{month}月{day}日"
    digits = "".join(CHINESE_DIGITS[int(d)] for d in str(year))
    return f"{digits}年{chinese_number(month)}月{chinese_number(day)}日"


def _text_line(text: str, style: str, x: float, width: float, align: str) -> mp.Line:
    return mp.Line(atoms(text, style), x, width, align, "masthead", block="masthead")


def masthead_layout(mh: dict[str, Any], v: dict[str, Any], geo: Geometry) -> Masthead:
    lines: list[tuple[mp.Line, float]] = []
    raw: list[str] = []
    x0, w = geo.x0, geo.width
    drop = 0.0
    mark = CLASSIFICATION_TEXT.get(v["classification"])
    if mark and v["classification"] != "internal_beside":
        drop += 16.0
        lines.append((_text_line(mark, "cx.mark", x0, w, "left"), drop))
        raw.append(mark)
        drop += 10.0
    if mh["title"]:
        size = float(v["title_size"])
        drop += size
        atoms_ = atoms(mh["title"], "cx.title")
        track = 0.4 * size
        tw = sum(a.width for a in atoms_) + track * (len(atoms_) - 1)
        lines.append((mp.Line(atoms_, PAGE_W / 2 - tw / 2, tw, "justify", "title",
                              block="masthead"), drop))
        title_raw = " ".join(mh["title"])
        if mark and v["classification"] == "internal_beside":
            lines.append((_text_line(mark, "cx.mark", x0, w, "right"), drop))
            title_raw += "  " + mark
        raw.append(title_raw)
        drop += 0.3 * size + 22.0
        issue, cumulative = mh["issue"], mh["cumulative_issue"]
        if v["issue_format"] == "spaced_cumulative":
            mid = PAGE_W / 2
            lines.append((_text_line(issue, "cx.mast", x0, mid - 16 - x0, "right"), drop))
            lines.append((_text_line(cumulative, "cx.mast", mid + 16, x0 + w - mid - 16,
                                     "left"), drop))
            raw.append(f"{issue}  {cumulative}")
        elif v.get("cv_issue_lines") == "two" and cumulative:
            # Two centred lines: 第12期 / （总第87期）.
            lines.append((_text_line(issue, "cx.mast", x0, w, "center"), drop))
            drop += 22.0
            lines.append((_text_line(f"（{cumulative}）", "cx.mast", x0, w, "center"), drop))
            raw.extend([issue, f"（{cumulative}）"])
        else:
            text = f"{issue}（{cumulative}）" if cumulative else issue
            lines.append((_text_line(text, "cx.mast", x0, w, "center"), drop))
            raw.append(text)
        drop += 12.0
    drop += 26.0
    if mh.get("signer"):
        # The issuer at the left, the signer at the right, the date on a line of its own.
        signed = f"签发人：{mh['signer']}"
        lines.append((_text_line(mh["issuer"], "cx.mast", x0, w, "left"), drop))
        lines.append((_text_line(signed, "cx.mast", x0, w, "right"), drop))
        raw.append(f"{mh['issuer']}    {signed}")
        drop += 24.0
        align = v.get("cv_date_align", "center")
        lines.append((_text_line(mh["date_text"], "cx.mast", x0, w, align), drop))
        raw.append(mh["date_text"])
    elif v["issuer_date"] == "one_row":
        lines.append((_text_line(mh["issuer"], "cx.mast", x0, w, "left"), drop))
        lines.append((_text_line(mh["date_text"], "cx.mast", x0, w, "right"), drop))
        raw.append(f"{mh['issuer']}    {mh['date_text']}")
    else:
        lines.append((_text_line(mh["issuer"], "cx.mast", x0, w, "center"), drop))
        drop += 24.0
        lines.append((_text_line(mh["date_text"], "cx.mast", x0, w, "center"), drop))
        raw.extend([mh["issuer"], mh["date_text"]])
    drop += 14.0
    rules: list[tuple[float, float, float, float]] = []
    if v["rule"] == "star":
        star = mp.Line(atoms("★", "cx.star"), PAGE_W / 2 - 8, 16, "left", "star",
                       block="masthead")
        lines.append((star, drop + 5.5))
        raw.append("★")
        rules += [(x0, PAGE_W / 2 - 12, drop, 1.5), (PAGE_W / 2 + 12, x0 + w, drop, 1.5)]
    elif v["rule"] == "double":
        rules += [(x0, x0 + w, drop, 2.4), (x0, x0 + w, drop + 4.0, 0.8)]
    else:
        rules.append((x0, x0 + w, drop, 1.5))
    return Masthead(lines, rules, raw, drop + 10.0)


