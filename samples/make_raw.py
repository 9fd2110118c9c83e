#!/usr/bin/env python3
"""Regenerate the raw extractions and golden JSON of the sample bulletins.

For every ``samples/src/<name>.json`` (hand-written truth plus layout hints) this writes

* ``samples/raw/<name>.txt``: the bulletin as a broken text extraction, imitating the real
  extractions in ``shared/seeds/``: one text line per printed line followed by a blank line,
  lines cut at the column edge, the first-line indent dropped, spurious spaces around digits
  (and between CJK characters in the masthead), a page break written as a line that starts with
  one space and has no blank line before it, optionally OCR-style ASCII punctuation;
* ``samples/expected/<name>.json``: the truth projected onto the golden schema.

Only the standard library is used, and the output is deterministic: running the script twice
gives byte-identical files. ``--check`` compares instead of writing and exits 1 on a difference.

Layout model (all widths in ems of the body font):

* ASCII characters are 0.5 em wide, every other character (CJK, full-width punctuation,
  “”‘’—…·△) 1 em.
* A body line holds ``line_em`` ems; a paragraph's first line holds ``line_em - 2`` (the indent is
  not written as spaces). A character that may not start a line (，。、；：）》” …) hangs at the end
  of the line before it, so a full line can be up to 1-2 em longer, as in the seeds; an opening
  bracket or quote never ends a line. Numbers and Latin words ("17.6%", "9:30", "PM2.5",
  "open data") are never split.
* A headline is set in a bold face whose glyphs are ``line_em / head_line_em`` times wider: a
  headline line holds ``head_line_em`` ems of headline text. A standalone (centred) headline that
  needs two lines is broken into lines of even length. A run-in headline is followed by a gap
  (one space in the raw text, ``GAP_EM`` wide in print) and the body continues on that line; if
  the headline leaves less than ``MIN_RUN_IN_BODY_EM`` on its last line, its last two units move
  down to a line of their own.
* A brief starts with "△ " (△ 1 em, space 0.5 em) on an indented first line.
* The attribution "（org）" is never split: it ends the last paragraph, or stands on a line of
  its own when ``attribution_own_line`` is true (or when it does not fit on the last line).
* Page ``k`` holds printed lines ``k*page_break_every`` to ``(k+1)*page_break_every - 1``. The raw
  text is ``"".join(" " + "\\n\\n".join(page_lines) + "\\n" for each page) + " "``, which is exactly
  the shape of the seeds (the file starts with a space and ends with a line holding one space).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
RAW_DIR = HERE / "raw"
EXPECTED_DIR = HERE / "expected"

INDENT_EM = 2.0
GAP_EM = 1.0
BRIEF_MARK = "△ "
MIN_RUN_IN_BODY_EM = 2.0

# Characters that may not start a line (they hang at the end of the previous one).
NO_START = frozenset("，。、；：？！）》〉」』】〕”’…—·")
# Characters that may not end a line (they move down to the next one).
NO_END = frozenset("（《〈「『【〔“‘")

# A number or a run of Latin words: never split across lines.
ASCII_RUN = re.compile(
    r"[A-Za-z0-9]+(?:[.:/+\-][A-Za-z0-9]+)*%?(?: [A-Za-z][A-Za-z0-9]*(?:[.:/+\-][A-Za-z0-9]+)*)*"
)
# A number (integer, decimal, time, percentage) that is not part of a Latin word.
NUMBER = re.compile(r"(?<![A-Za-z0-9.:])\d+(?:[.:]\d+)*%?(?![A-Za-z0-9])")

OCR_PUNCT = {"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "！": "!", "？": "?"}

SPURIOUS_DIGIT_P = 0.5
SPURIOUS_DIGIT_P_MASTHEAD = 0.8
SPURIOUS_CJK_P = 0.5

MASTHEAD_KEYS = ["title", "issue", "cumulative_issue", "issuer", "date", "date_text"]
# Template conventions (issue 22): optional in a source, null or empty in the expected JSON.
CONVENTION_MASTHEAD_KEYS = ["secrecy", "signer"]
SRC_KEYS = {"masthead", "items", "distribution", "copies_line", "raw_options"}
# contents: the 本期要目 ({"heading": "≡本期要目≡", "printed": lines as printed, with leaders,
# "entries": their clean text}); footer_lines: imprint and colophon lines printed before the
# copies line ({"printed": "分析：王明    审核：李华", "entries": [{"label": "分析", ...}]}).
OPTIONAL_SRC_KEYS = {"contents", "footer_lines"}
SRC_MASTHEAD_KEYS = {*MASTHEAD_KEYS, "printed_lines"}
ITEM_KEYS = ["type", "head", "head_rend", "paragraphs", "attribution"]
SRC_ITEM_KEYS = {*ITEM_KEYS, "attribution_own_line"}
# section_label: the label printed on its own line before the item (``【工作动态】``), when
# the item opens a section; section: the name of the section the item is in.
RAW_OPTION_KEYS = {
    "line_em", "head_line_em", "seed", "spurious_spaces", "ocr_punct", "page_break_every",
}


class SampleError(ValueError):
    """A source file breaks the schema or the clean-text conventions."""


# --------------------------------------------------------------------------- widths, tokens


def char_em(ch: str) -> float:
    return 0.5 if ord(ch) < 128 else 1.0


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def tokenize(text: str) -> list[str]:
    """Split text into unbreakable units: one CJK character, or one number / Latin run."""
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        match = ASCII_RUN.match(text, pos)
        if match:
            tokens.append(match.group())
            pos = match.end()
        else:
            tokens.append(text[pos])
            pos += 1
    return tokens


def wrap(tokens: list[str], first_cap: float, cap: float, offset: float = 0.0) -> list[str]:
    """Greedy line breaking with hanging closing punctuation (kinsoku).

    ``offset`` ems are already taken on the first line (used after a run-in headline).
    """
    lines: list[str] = []
    cur: list[str] = []
    width = offset
    capacity = first_cap
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        tok_em = text_em(tok)
        if width + tok_em > capacity + 1e-9 and (cur or width > 0):
            if cur and tok[0] in NO_START:
                cur.append(tok)  # hang it at the end of the full line
                width += tok_em
                i += 1
                continue
            carry: list[str] = []
            while cur and cur[-1][-1] in NO_END:
                carry.insert(0, cur.pop())
            if not cur and width == 0:  # only openers on the line: keep them anyway
                cur, carry = carry, []
            lines.append("".join(cur))
            cur = carry
            width = text_em("".join(carry))
            capacity = cap
            continue
        cur.append(tok)
        width += tok_em
        i += 1
    if cur:
        lines.append("".join(cur))
    return lines


# --------------------------------------------------------------------------- artifacts


def ocr_punctuate(line: str) -> str:
    """Full-width punctuation read as ASCII, except between two digits (1，2 is not 1,2)."""
    out = []
    for i, ch in enumerate(line):
        if ch in OCR_PUNCT:
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if not (prev.isascii() and prev.isdigit() and nxt.isascii() and nxt.isdigit()):
                ch = OCR_PUNCT[ch]
        out.append(ch)
    return "".join(out)


def spurious_spaces(line: str, rng: random.Random, p_digit: float, p_cjk: float) -> str:
    """Insert extraction spaces: around numbers next to CJK, and between CJK characters."""
    positions: set[int] = set()
    for match in NUMBER.finditer(line):
        start, end = match.span()
        if start > 0 and is_han(line[start - 1]) and rng.random() < p_digit:
            positions.add(start)
        if end < len(line) and is_han(line[end]) and rng.random() < p_digit:
            positions.add(end)
    if p_cjk > 0:
        for i in range(1, len(line)):
            if is_han(line[i - 1]) and is_han(line[i]) and rng.random() < p_cjk:
                positions.add(i)
    if not positions:
        return line
    out = []
    for i, ch in enumerate(line):
        if i in positions:
            out.append(" ")
        out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- layout


@dataclass
class Printed:
    """One printed line: its clean text and the block it belongs to (for page-break stats)."""

    text: str
    block: str
    masthead: bool = False


def layout_headline(head: str, head_cap: float, balanced: bool = False) -> list[str]:
    """Wrap a headline at ``head_cap`` ems; a centred (standalone) one in lines of even length."""
    tokens = tokenize(head)
    lines = wrap(tokens, head_cap, head_cap)
    if balanced and len(lines) > 1:
        cap = text_em(head) / len(lines)
        while cap < head_cap:
            candidate = wrap(tokens, cap, cap)
            if len(candidate) == len(lines):
                return candidate
            cap += 0.5
    return lines


def layout_run_in(
    head: str, body: list[str], line_em: float, head_cap: float
) -> tuple[list[str], str, str, list[str]]:
    """Lay out a run-in headline and the paragraph (tokens) it runs into.

    Returns (headline lines before the shared line, the shared line's headline part, the shared
    line's body part, the remaining body lines).
    """
    head_lines = layout_headline(head, head_cap)
    scale = line_em / head_cap
    last = head_lines[-1]
    if line_em - text_em(last) * scale - GAP_EM < MIN_RUN_IN_BODY_EM:
        # The headline fills its line: push its last two units down so the body can follow.
        toks = tokenize(last)
        k = 2
        while k < len(toks) and toks[-k][0] in NO_START:
            k += 1
        head_lines[-1:] = ["".join(toks[:-k]), "".join(toks[-k:])]
        last = head_lines[-1]
    offset = text_em(last) * scale + GAP_EM
    body_lines = wrap(body, line_em, line_em, offset=offset)
    if not body_lines or not body_lines[0]:
        raise SampleError(f"run-in headline {head!r}: no room for the body on its last line")
    return head_lines[:-1], last, body_lines[0], body_lines[1:]


def validate_text(text: str, where: str) -> None:
    if not text or text != text.strip():
        raise SampleError(f"{where}: empty or padded text {text!r}")
    for bad in "()[],;!?":
        if bad in text:
            raise SampleError(f"{where}: ASCII {bad!r} in clean text (use full-width)")
    for m in re.finditer(r":", text):
        i = m.start()
        if not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
            raise SampleError(f"{where}: ':' outside a time in clean text")
    for m in re.finditer(r" ", text):
        i = m.start()
        if not (0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha()
                and text[i + 1].isascii() and text[i + 1].isalpha()):
            raise SampleError(f"{where}: space outside two Latin words in clean text")
    if "  " in text or "\n" in text or "\t" in text:
        raise SampleError(f"{where}: whitespace run in clean text")


def validate(src: dict[str, Any], name: str) -> None:
    if not SRC_KEYS <= set(src) <= SRC_KEYS | OPTIONAL_SRC_KEYS:
        raise SampleError(f"{name}: top-level keys {sorted(src)} != {sorted(SRC_KEYS)}")
    mh = src["masthead"]
    if not SRC_MASTHEAD_KEYS <= set(mh) <= SRC_MASTHEAD_KEYS | set(CONVENTION_MASTHEAD_KEYS):
        raise SampleError(f"{name}: masthead keys {sorted(mh)}")
    if not mh["printed_lines"]:
        raise SampleError(f"{name}: masthead.printed_lines is empty")
    if mh["date"] is not None:
        y, m, d = (int(x) for x in mh["date"].split("-"))
        if mh["date_text"] != f"{y}年{m}月{d}日":
            raise SampleError(f"{name}: date {mh['date']} does not match {mh['date_text']}")
    opts = src["raw_options"]
    if set(opts) != RAW_OPTION_KEYS:
        raise SampleError(f"{name}: raw_options keys {sorted(opts)}")
    if opts["spurious_spaces"] not in ("none", "digits", "cjk"):
        raise SampleError(f"{name}: spurious_spaces must be none, digits or cjk")
    if not src["items"]:
        raise SampleError(f"{name}: no items")
    for n, item in enumerate(src["items"], 1):
        where = f"{name} item {n}"
        if not SRC_ITEM_KEYS <= set(item) <= SRC_ITEM_KEYS | {"section", "section_label"}:
            raise SampleError(f"{where}: keys {sorted(item)}")
        if item["type"] not in ("item", "brief"):
            raise SampleError(f"{where}: type {item['type']!r}")
        if item["type"] == "brief" and (item["head"] is not None or item["head_rend"] is not None):
            raise SampleError(f"{where}: a brief has no headline")
        if (item["head"] is None) != (item["head_rend"] is None):
            raise SampleError(f"{where}: head and head_rend go together")
        if item["head_rend"] not in (None, "run-in", "standalone"):
            raise SampleError(f"{where}: head_rend {item['head_rend']!r}")
        if item["head"] is not None:
            validate_text(item["head"], where + " head")
        if not item["paragraphs"]:
            raise SampleError(f"{where}: no paragraphs")
        for k, para in enumerate(item["paragraphs"], 1):
            validate_text(para, f"{where} paragraph {k}")
            if para.startswith("△"):
                raise SampleError(f"{where}: the △ marker is not part of the paragraph")
            if not 40 <= len(para) <= 250:
                raise SampleError(f"{where} paragraph {k}: {len(para)} characters (40-250)")
        attr = item["attribution"]
        if attr is not None:
            validate_text(attr, where + " attribution")
            if "（" in attr or "）" in attr:
                raise SampleError(f"{where}: attribution without its parentheses")
            if item["paragraphs"][-1].endswith("）"):
                raise SampleError(f"{where}: attribution left inside the paragraph")
        elif item["attribution_own_line"]:
            raise SampleError(f"{where}: attribution_own_line without an attribution")
    for entry in src["distribution"]:
        if set(entry) != {"label", "text"}:
            raise SampleError(f"{name}: distribution entry keys {sorted(entry)}")
        validate_text(entry["text"], name + " distribution")


def layout(src: dict[str, Any]) -> list[Printed]:
    """All printed lines of a bulletin, in reading order, as clean text."""
    opts = src["raw_options"]
    line_em = float(opts["line_em"])
    head_cap = float(opts["head_line_em"])
    first_cap = line_em - INDENT_EM
    out: list[Printed] = []

    for line in src["masthead"]["printed_lines"]:
        out.append(Printed(re.sub(r"\s+", " ", line.strip()), "masthead", masthead=True))
    contents = src.get("contents")
    if contents:
        out.append(Printed(contents["heading"], "contents"))
        out += [Printed(entry, "contents") for entry in contents["printed"]]

    for n, item in enumerate(src["items"], 1):
        if item.get("section_label"):
            out.append(Printed(item["section_label"], "section"))
        paras = list(item["paragraphs"])
        attribution = f"（{item['attribution']}）" if item["attribution"] else None
        own_line = bool(item["attribution_own_line"])
        texts = [tokenize(p) for p in paras]
        if attribution and not own_line:
            texts[-1].append(attribution)  # one unbreakable unit
        rendered: list[list[str]] = []
        for k, toks in enumerate(texts):
            block = f"item{n}.p{k + 1}"
            if k == 0 and item["head_rend"] == "run-in":
                head_lines, head_last, body_first, rest = layout_run_in(
                    item["head"], toks, line_em, head_cap
                )
                if "".join([*head_lines, head_last]) != item["head"]:
                    raise AssertionError(f"item {n}: layout lost headline text")
                for h in head_lines:
                    out.append(Printed(h, f"item{n}.head"))
                out.append(Printed(f"{head_last} {body_first}", block))
                lines = rest
                rendered.append([body_first, *rest])
            else:
                if k == 0 and item["head_rend"] == "standalone":
                    head_lines = layout_headline(item["head"], head_cap, balanced=True)
                    if "".join(head_lines) != item["head"]:
                        raise AssertionError(f"item {n}: layout lost headline text")
                    for h in head_lines:
                        out.append(Printed(h, f"item{n}.head"))
                if k == 0 and item["type"] == "brief":
                    toks = [BRIEF_MARK, *toks]
                lines = wrap(toks, first_cap, line_em)
                rendered.append(lines)
            for line in lines:
                out.append(Printed(line, block))
        if attribution and own_line:
            out.append(Printed(attribution, f"item{n}.attribution"))

        # Self-check: the printed lines hold exactly the truth, in order, nothing lost.
        joined = ["".join(r) for r in rendered]
        wanted = list(paras)
        if attribution and not own_line:
            wanted[-1] += attribution
        if item["type"] == "brief":
            wanted[0] = BRIEF_MARK + wanted[0]
        if joined != wanted:
            raise AssertionError(f"item {n}: layout lost text\n{joined}\n{wanted}")

    for entry in src["distribution"]:
        label = f"{entry['label']}：" if entry["label"] else ""
        for line in wrap(tokenize(label + entry["text"]), line_em, line_em):
            out.append(Printed(line, "distribution"))
    for footer in src.get("footer_lines", []):
        out.append(Printed(footer["printed"], "distribution"))
    if src["copies_line"]:
        out.append(Printed(src["copies_line"], "distribution"))
    return out


def render_raw(src: dict[str, Any], printed: list[Printed]) -> str:
    opts = src["raw_options"]
    rng = random.Random(opts["seed"])
    mode = opts["spurious_spaces"]
    lines = []
    for p in printed:
        text = p.text
        if opts["ocr_punct"]:
            text = ocr_punctuate(text)
        if mode in ("digits", "cjk"):
            p_digit = SPURIOUS_DIGIT_P_MASTHEAD if p.masthead else SPURIOUS_DIGIT_P
            p_cjk = SPURIOUS_CJK_P if (mode == "cjk" and p.masthead) else 0.0
            text = spurious_spaces(text, rng, p_digit, p_cjk)
        lines.append(text)
    per_page = int(opts["page_break_every"])
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    return "".join(" " + "\n\n".join(page) + "\n" for page in pages) + " "


def page_break_stats(src: dict[str, Any], printed: list[Printed]) -> tuple[int, int]:
    """(number of page breaks, number of them inside a paragraph)."""
    per_page = int(src["raw_options"]["page_break_every"])
    breaks = list(range(per_page, len(printed), per_page))
    inside = sum(
        1 for b in breaks
        if printed[b - 1].block == printed[b].block and ".p" in printed[b].block
    )
    return len(breaks), inside


def expected_json(src: dict[str, Any]) -> dict[str, Any]:
    mh = src["masthead"]
    distribution = [{"label": e["label"], "text": e["text"]} for e in src["distribution"]]
    distribution += [entry for line in src.get("footer_lines", []) for entry in line["entries"]]
    if src["copies_line"]:
        distribution.append({"label": None, "text": src["copies_line"]})
    contents = src.get("contents")
    return {
        "masthead": {key: mh.get(key) for key in [*MASTHEAD_KEYS, *CONVENTION_MASTHEAD_KEYS]},
        "items": [{key: item[key] for key in ITEM_KEYS} | {"section": item.get("section")}
                  for item in src["items"]],
        "distribution": distribution,
        "contents": list(contents["entries"]) if contents else [],
    }


def build(path: Path) -> tuple[str, str, str]:
    name = path.stem
    src = json.loads(path.read_text(encoding="utf-8"))
    validate(src, name)
    printed = layout(src)
    raw = render_raw(src, printed)
    expected = json.dumps(expected_json(src), ensure_ascii=False, indent=2) + "\n"
    n_breaks, inside = page_break_stats(src, printed)
    note = (
        f"{name}: {len(src['items'])} items, {len(printed)} printed lines, "
        f"{n_breaks} page breaks ({inside} inside a paragraph)"
    )
    if inside == 0:
        note += "  WARNING: no page break falls inside a paragraph"
    return raw, expected, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate samples/raw and samples/expected from samples/src."
    )
    parser.add_argument(
        "--check", action="store_true",
        help="do not write; exit 1 if samples/raw or samples/expected are out of date",
    )
    args = parser.parse_args(argv)
    sources = sorted(SRC_DIR.glob("*.json"))
    if not sources:
        print(f"no sources in {SRC_DIR}", file=sys.stderr)
        return 1
    stale = []
    for path in sources:
        raw, expected, note = build(path)
        print(note, file=sys.stderr)
        targets = [
            (RAW_DIR / f"{path.stem}.txt", raw),
            (EXPECTED_DIR / f"{path.stem}.json", expected),
        ]
        for target, content in targets:
            data = content.encode("utf-8")
            if target.exists() and target.read_bytes() == data:
                continue
            if args.check:
                stale.append(target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    if stale:
        for target in stale:
            print(f"out of date: {target.relative_to(HERE.parent)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
