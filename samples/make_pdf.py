#!/usr/bin/env python3
"""Typeset the sample bulletins as born-digital PDFs, like bulletins exported from Word/WPS.

For every ``samples/src/<name>.json`` this writes ``samples/pdf/<name>.pdf``: an A4 bulletin with
a red masthead, justified body text in a CJK serif (Ming) face, bold headlines in a Kai face,
digits and Latin words in Times, page numbers ``— N —`` and the distribution footer. The PDFs
exercise the PDF reader on real PDF structure: embedded subset TrueType fonts with ToUnicode maps,
text drawn run by run with explicit positions, justification by character spacing (``Tc``), faux
bold by text render mode 2 (fill + stroke, so every character is drawn once), red text and rules
drawn as vector lines.

Needs reportlab (``pip install reportlab``) and two Debian/Ubuntu font packages::

    apt-get install fonts-arphic-uming fonts-arphic-ukai

(``/usr/share/fonts/truetype/arphic/uming.ttc``, subfont "AR PL UMing CN", and ``ukai.ttc``,
"AR PL UKai CN"; other paths can be given with ``BULLETIN_UMING`` / ``BULLETIN_UKAI``). The fonts
are embedded as subsets. The output is byte-deterministic (reportlab ``invariant=1``).

Usage::

    python samples/make_pdf.py                 # writes samples/pdf/*.pdf
    python samples/make_pdf.py --check         # writes nothing; exit 1 if a PDF is out of date
    python samples/make_pdf.py --verify        # also reads the PDFs back with pdfplumber

Typesetting model (em = body font size, 15 pt):

* A4; the text column is ``raw_options.line_em`` ems wide (28 em = 420 pt), centred on the page;
  text sits on a grid of ``PITCH`` = 26 pt lines, ``ROWS`` lines per page (22-24, see
  ``ROW_CHOICES``; the first choice in which a paragraph runs from one page to the next wins).
* Paragraphs: 2-em first-line indent, every line but the last fully justified (the extra space
  is spread evenly over all gaps between characters, none inside a number or Latin word), the
  last line left-aligned. Kinsoku: closing punctuation never starts a line (it is squeezed onto
  the full line before it, the line's gaps shrinking by up to 1 em in all; beyond that the last
  character moves down with it), an opening bracket or quote never ends a line, numbers and
  Latin words are never split. Between a Han character and a number/Latin word there is a
  0.25-em gap (Word's "autospace"), drawn as a position shift, not as a space character.
* Standalone headlines: centred, UKai 18 pt bold, wrapped into lines of even length if wider than
  the column; a blank grid line before them (not at the top of a page). Run-in headlines: UKai
  15 pt bold at the paragraph indent, 1 em gap, then the body; if the headline leaves less than
  2 em for the body on its line, its last two characters move down. Bold = render mode 2 with a
  stroke of 2.5 % of the font size; headline digits/Latin in Times-Bold.
* Briefs: "△" then the text, as a paragraph. Attributions "（org）" end the last paragraph as one
  unbreakable unit, or stand right-aligned on their own line (``attribution_own_line``). An
  attribution that does not fit on the last line drops to the start of the next one, and the
  line before it is left unjustified (as if it ended with a manual line break).
* Masthead on page 1: red letter-spaced title (36 pt), issue line, issuer at the left and date at
  the right edge of the column, red rule. A one-line masthead gives just that line and the rule.
* Distribution footer at the bottom of the last page: black rule, ``报：…`` lines (14 pt, hanging
  indent after the label, justified), black rule, ``（共印N份）`` right-aligned.
* Page numbers ``— N —`` centred below the text block (dashes from the CJK font, digits Times 14).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
PDF_DIR = HERE / "pdf"

try:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas as rl_canvas
except ImportError:  # pragma: no cover - environment problem
    sys.exit("samples/make_pdf.py needs reportlab: pip install reportlab")

PRODUCER = "samples/make_pdf.py"
rl_config.useA85 = 0  # plain Flate content streams, as Word/WPS write them

# --------------------------------------------------------------------------- fonts

FONT_FILES = {
    # registered name: (env override, default path, subfont index in the TTC, apt package)
    "UMingCN": ("BULLETIN_UMING", "/usr/share/fonts/truetype/arphic/uming.ttc", 0,
                "fonts-arphic-uming"),
    "UKaiCN": ("BULLETIN_UKAI", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0,
               "fonts-arphic-ukai"),
}
EXPECTED_FAMILY = {"UMingCN": "AR PL UMing CN", "UKaiCN": "AR PL UKai CN"}

BODY_CJK = "UMingCN"
HEAD_CJK = "UKaiCN"
LATIN = "Times-Roman"
LATIN_BOLD = "Times-Bold"


KEEP_NAME_IDS = frozenset(range(7))  # copyright, family, style, unique id, full name, version, PS


def trim_name_table(face: Any) -> None:
    """Embed only name records 0-6, as font subsetters usually do.

    The Arphic fonts carry the whole licence text (name id 13, 20 KB) in their ``name`` table,
    which reportlab would copy into every 256-glyph subset; the copyright notice (id 0) stays.
    """
    import struct

    data = bytes(face.get_table("name"))
    _fmt, count, string_offset = struct.unpack(">HHH", data[:6])
    records = []
    for k in range(count):
        rec = struct.unpack(">6H", data[6 + 12 * k:18 + 12 * k])
        if rec[3] in KEEP_NAME_IDS:
            start = string_offset + rec[5]
            records.append((rec[:4], data[start:start + rec[4]]))
    head = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    table, strings = [head], b""
    for ids, text in records:
        table.append(struct.pack(">6H", *ids, len(text), len(strings)))
        strings += text
    trimmed = b"".join(table) + strings
    original = face.get_table

    def get_table(tag: str) -> bytes:
        return trimmed if tag == "name" else original(tag)

    face.get_table = get_table


def register_fonts() -> None:
    missing = []
    for name, (env, default, index, package) in FONT_FILES.items():
        path = os.environ.get(env, default)
        if not Path(path).is_file():
            missing.append((name, path, package))
            continue
        # asciiReadable=0: no unused ASCII glyphs in the first subset (Latin text is in Times)
        font = TTFont(name, path, subfontIndex=index, asciiReadable=0)
        trim_name_table(font.face)
        family = font.face.familyName.decode("latin-1") if isinstance(
            font.face.familyName, bytes) else str(font.face.familyName)
        if family != EXPECTED_FAMILY[name]:
            sys.exit(f"{path} subfont {index} is {family!r}, expected {EXPECTED_FAMILY[name]!r}")
        pdfmetrics.registerFont(font)
    if missing:
        lines = [f"  {name}: {path} not found (Debian/Ubuntu package {package})"
                 for name, path, package in missing]
        packages = " ".join(sorted({package for _, _, package in missing}))
        sys.exit("samples/make_pdf.py: CJK fonts missing\n" + "\n".join(lines)
                 + f"\ninstall them with: apt-get install {packages}")


# --------------------------------------------------------------------------- geometry

PAGE_W, PAGE_H = A4  # 595.28 x 841.89 pt
BODY_SIZE = 15.0
PITCH = 26.0
BASELINE = 19.0          # baseline below the top of a grid line
ROW_CHOICES = (23, 22, 24)
TOP_SHIFT = 12.0         # the text block sits this much above the vertical centre
MASTHEAD_ROWS_FULL = 6   # grid lines taken by a title/issue/issuer masthead on page 1
MASTHEAD_ROWS_SHORT = 2  # ... by an issuer/date-only masthead
PAGENO_DROP = 30.0       # page-number baseline below the bottom of the text block

INDENT_EM = 2.0
AUTOSPACE_EM = 0.25
RUN_IN_GAP_EM = 1.0
MIN_RUN_IN_BODY_EM = 2.0
MAX_SQUEEZE_EM = 1.0
BOLD_STROKE = 0.025      # stroke width of the faux bold, relative to the font size

RED = (0.85, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Style:
    cjk: str
    latin: str
    size: float
    bold: bool = False
    color: tuple[float, float, float] = BLACK


STYLES = {
    "body": Style(BODY_CJK, LATIN, BODY_SIZE),
    "runin": Style(HEAD_CJK, LATIN_BOLD, BODY_SIZE, bold=True),
    "head": Style(HEAD_CJK, LATIN_BOLD, 18.0, bold=True),
    "footer": Style(BODY_CJK, LATIN, 14.0),
    "title": Style(BODY_CJK, LATIN_BOLD, 36.0, bold=True, color=RED),
    "mast": Style(BODY_CJK, LATIN, 16.0),
    "pageno": Style(BODY_CJK, LATIN, 14.0),
}
TITLE_TRACKING_EM = 0.5

# --------------------------------------------------------------------------- text units

NO_START = frozenset("，。、；：？！）》〉」』】〕”’…—·")
NO_END = frozenset("（《〈「『【〔“‘")
ASCII_RUN = re.compile(
    r"[A-Za-z0-9]+(?:[.:/+\-][A-Za-z0-9]+)*%?(?: [A-Za-z][A-Za-z0-9]*(?:[.:/+\-][A-Za-z0-9]+)*)*"
)


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@dataclass(frozen=True)
class Atom:
    """One drawn token: a CJK character, or a number / Latin run, or a lone ASCII mark."""

    text: str
    style: str

    @property
    def latin(self) -> bool:
        return self.text.isascii()

    @property
    def font(self) -> str:
        st = STYLES[self.style]
        return st.latin if self.latin else st.cjk

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, STYLES[self.style].size)


def atoms_of(text: str, style: str) -> list[Atom]:
    out: list[Atom] = []
    pos = 0
    while pos < len(text):
        m = ASCII_RUN.match(text, pos)
        if m:
            out.append(Atom(m.group(), style))
            pos = m.end()
        else:
            out.append(Atom(text[pos], style))
            pos += 1
    return out


def autospace(a: Atom, b: Atom) -> float:
    """Word's gap between a Han character and a number or Latin word."""
    def alnum(x: Atom) -> bool:
        return x.latin and any(ch.isalnum() for ch in x.text)
    if (is_han(a.text[-1]) and alnum(b)) or (alnum(a) and is_han(b.text[0])):
        return AUTOSPACE_EM * min(STYLES[a.style].size, STYLES[b.style].size)
    return 0.0


@dataclass
class Unit:
    """An unbreakable group of atoms (one atom, or a whole attribution), or the run-in gap."""

    atoms: list[Atom]
    gap: bool = False

    @property
    def no_start(self) -> bool:
        return bool(self.atoms) and self.atoms[0].text[0] in NO_START

    @property
    def no_end(self) -> bool:
        return bool(self.atoms) and self.atoms[-1].text[-1] in NO_END



@dataclass
class Line:
    """One printed line: atoms, where run-in gaps fall, and how it is aligned."""

    atoms: list[Atom]
    x_left: float
    width: float              # available width from x_left
    align: str                # "justify" | "left" | "center" | "right"
    role: str                 # "body" | "head" | "runin" | "attr" | "footer" | "copies" | ...
    gaps_after: frozenset[int] = frozenset()  # run-in gap after atom i
    block: str = ""
    last: bool = False        # the last line of its paragraph (not justified)

    def natural(self) -> float:
        gaps = sum(self.extra(i) for i in range(len(self.atoms) - 1))
        return sum(a.width for a in self.atoms) + gaps

    def extra(self, i: int) -> float:
        """Fixed space between atom i and atom i+1."""
        gap = RUN_IN_GAP_EM * BODY_SIZE if i in self.gaps_after else 0.0
        return gap + autospace(self.atoms[i], self.atoms[i + 1])

    def text(self) -> str:
        return "".join(a.text for a in self.atoms)

    def place(self) -> tuple[list[float], float]:
        """x of every atom and the spacing added to every gap."""
        nat = self.natural()
        n = len(self.atoms)
        stretch = 0.0
        if n > 1 and (self.align == "justify" or (self.align == "left" and nat > self.width)):
            # justified, or a last line over-full by squeezed closing punctuation
            stretch = (self.width - nat) / (n - 1)
            start = self.x_left
        elif self.align == "center":
            start = self.x_left + (self.width - nat) / 2
        elif self.align == "right":
            start = self.x_left + self.width - nat
        else:
            start = self.x_left
        xs = []
        x = start
        for i, a in enumerate(self.atoms):
            xs.append(x)
            if i < n - 1:
                x += a.width + self.extra(i) + stretch
        return xs, stretch


def width_of(units: list[Unit]) -> float:
    atoms: list[Atom] = []
    gaps: set[int] = set()
    for u in units:
        if u.gap:
            if atoms:
                gaps.add(len(atoms) - 1)
        else:
            atoms.extend(u.atoms)
    if not atoms:
        return 0.0
    return Line(atoms, 0, 0, "left", "", frozenset(gaps)).natural()


def break_units(units: list[Unit], first_cap: float, cap: float) -> list[list[Unit]]:
    """Greedy line breaking with kinsoku, unbreakable units and the run-in gap rule."""
    eps = 1e-6
    lines: list[list[Unit]] = []
    cur: list[Unit] = []
    capacity = first_cap
    i = 0

    def close(carry: list[Unit]) -> None:
        nonlocal cur, capacity
        while cur and cur[-1].gap:
            cur.pop()
        lines.append(cur)
        while carry and carry[0].gap:
            carry = carry[1:]
        cur = carry
        capacity = cap

    while i < len(units):
        u = units[i]
        if u.gap:
            # The body must get at least MIN_RUN_IN_BODY_EM after the gap on the headline's line.
            room = capacity - width_of(cur) - (RUN_IN_GAP_EM + MIN_RUN_IN_BODY_EM) * BODY_SIZE
            if room < -eps and len(cur) > 2:
                k = 2
                while k < len(cur) and cur[-k].no_start:
                    k += 1
                carry = cur[-k:]
                cur = cur[:-k]
                close(carry)
                continue
            cur.append(u)
            i += 1
            continue
        if width_of([*cur, u]) <= capacity + eps or not cur:
            cur.append(u)
            i += 1
            continue
        if u.no_start:
            j = i
            while j < len(units) and units[j].no_start:
                j += 1
            if width_of(cur + units[i:j]) - capacity <= MAX_SQUEEZE_EM * BODY_SIZE + eps:
                cur.extend(units[i:j])  # squeezed onto the full line
                i = j
                close([])
                continue
            carry = [cur.pop()]
            while cur and (carry[0].no_start or cur[-1].no_end or cur[-1].gap):
                carry.insert(0, cur.pop())
            close(carry)
            continue
        carry = []
        while cur and cur[-1].no_end:
            carry.insert(0, cur.pop())
        if not cur:
            cur, carry = carry, []
            cur.append(u)
            i += 1
            continue
        close(carry)
    if cur:
        close([])
    return [ln for ln in lines if ln]


def to_line(units: list[Unit], x_left: float, width: float, align: str, role: str,
            block: str) -> Line:
    atoms: list[Atom] = []
    gaps: set[int] = set()
    for u in units:
        if u.gap:
            if atoms:
                gaps.add(len(atoms) - 1)
        else:
            atoms.extend(u.atoms)
    return Line(atoms, x_left, width, align, role, frozenset(gaps), block)


# --------------------------------------------------------------------------- blocks


@dataclass
class Block:
    kind: str                 # "para" | "head" | "attr" | "footer"
    lines: list[Line]
    space_before: bool = False
    keep_with_next: bool = False
    name: str = ""


@dataclass
class Geometry:
    line_em: int
    rows: int

    @property
    def col_w(self) -> float:
        return self.line_em * BODY_SIZE

    @property
    def x0(self) -> float:
        return (PAGE_W - self.col_w) / 2

    @property
    def x1(self) -> float:
        return self.x0 + self.col_w

    @property
    def top(self) -> float:
        """Top of the text block, from the top of the page."""
        return (PAGE_H - self.rows * PITCH) / 2 - TOP_SHIFT

    def baseline_y(self, row: int, drop: float = BASELINE) -> float:
        """PDF y of the baseline in grid row ``row``."""
        return PAGE_H - (self.top + row * PITCH + drop)

    @property
    def block_bottom_y(self) -> float:
        return PAGE_H - (self.top + self.rows * PITCH)


def paragraph_lines(units: list[Unit], geo: Geometry, first_indent: float, role: str,
                    block: str) -> list[Line]:
    col = geo.col_w
    broken = break_units(units, col - first_indent, col)
    out = []
    for n, ln in enumerate(broken):
        indent = first_indent if n == 0 else 0.0
        last = n == len(broken) - 1
        line = to_line(ln, geo.x0 + indent, col - indent, "left" if last else "justify",
                       role, block)
        line.last = last
        out.append(line)
    return out


def balanced_head(text: str, geo: Geometry) -> list[list[Unit]]:
    units = [Unit([a]) for a in atoms_of(text, "head")]
    lines = break_units(units, geo.col_w, geo.col_w)
    if len(lines) > 1:
        cap = width_of(units) / len(lines)
        while cap < geo.col_w:
            cand = break_units(units, cap, cap)
            if len(cand) == len(lines):
                return cand
            cap += 1.0
    return lines


def item_blocks(item: dict[str, Any], n: int, geo: Geometry) -> list[Block]:
    blocks: list[Block] = []
    indent = INDENT_EM * BODY_SIZE
    attribution = f"（{item['attribution']}）" if item["attribution"] else None
    own_line = bool(item["attribution_own_line"])
    if item["head_rend"] == "standalone":
        lines = [to_line(ln, geo.x0, geo.col_w, "center", "head", f"item{n}.head")
                 for ln in balanced_head(item["head"], geo)]
        blocks.append(Block("head", lines, space_before=True, keep_with_next=True,
                            name=f"item{n}.head"))
    paras = item["paragraphs"]
    for k, para in enumerate(paras):
        units = [Unit([a]) for a in atoms_of(para, "body")]
        if k == 0 and item["type"] == "brief":
            units.insert(0, Unit([Atom("△", "body")]))
        if k == 0 and item["head_rend"] == "run-in":
            units = [Unit([a]) for a in atoms_of(item["head"], "runin")] + [Unit([], gap=True)] \
                + units
        attr_unit = None
        if k == len(paras) - 1 and attribution and not own_line:
            attr_unit = Unit(atoms_of(attribution, "body"))
            units.append(attr_unit)
        name = f"item{n}.p{k + 1}"
        lines = paragraph_lines(units, geo, indent, "body", name)
        if attr_unit is not None and len(lines) > 1 and lines[-1].atoms == attr_unit.atoms:
            # The attribution did not fit and dropped to a line of its own: the text before it
            # ends as if with a manual line break (not stretched across the whole column).
            lines[-2].align = "left"
        for line in lines:
            if any(a.style == "runin" for a in line.atoms):
                line.role = "runin"
        blocks.append(Block("para", lines, name=name))
    if attribution and own_line:
        line = to_line([Unit(atoms_of(attribution, "body"))], geo.x0, geo.col_w, "right", "attr",
                       f"item{n}.attribution")
        blocks.append(Block("attr", [line], name=f"item{n}.attribution"))
    return blocks


def footer_lines(src: dict[str, Any], geo: Geometry) -> list[Line]:
    out: list[Line] = []
    for entry in src["distribution"]:
        label = f"{entry['label']}：" if entry["label"] else ""
        label_atoms = atoms_of(label, "footer")
        hang = sum(a.width for a in label_atoms)
        units = [Unit([a]) for a in atoms_of(entry["text"], "footer")]
        broken = break_units(units, geo.col_w - hang, geo.col_w - hang)
        for n, ln in enumerate(broken):
            last = n == len(broken) - 1
            line = to_line(ln, geo.x0 + hang, geo.col_w - hang, "left" if last else "justify",
                           "footer", "distribution")
            if n == 0 and label_atoms:
                # the label is drawn at the column edge, the text hangs after it
                line.atoms = label_atoms + line.atoms
                line.gaps_after = frozenset(i + len(label_atoms) for i in line.gaps_after)
                line.x_left -= hang
                line.width += hang
            line.last = last
            out.append(line)
    for footer in src.get("footer_lines", []):
        out += spread_row(footer["printed"], "footer", geo, "colophon")
    if src["copies_line"]:
        out.append(to_line([Unit(atoms_of(src["copies_line"], "footer"))], geo.x0, geo.col_w,
                           "right", "copies", "distribution"))
    return out


SAME_ROW = "same row"  # a Line's block: it stands on the row of the line before it


def spread_row(printed: str, style: str, geo: Geometry, role: str) -> list[Line]:
    """A row whose parts the source separates with wide spaces (``松岭区委宣传部    2023年
    12月8日印发``, ``分析：王明    审核：李华``): two parts at the two ends of the row, more
    spread at equal steps from the left edge."""
    parts = re.split(r"\s{2,}", printed.strip())
    if len(parts) == 2:
        return [Line(atoms_of(parts[0], style), geo.x0, geo.col_w, "left", role,
                     block="distribution"),
                Line(atoms_of(parts[1], style), geo.x0, geo.col_w, "right", role,
                     block=SAME_ROW)]
    step = geo.col_w / len(parts)
    return [Line(atoms_of(part, style), geo.x0 + k * step, step, "left", role,
                 block="distribution" if k == 0 else SAME_ROW)
            for k, part in enumerate(parts)]


# --------------------------------------------------------------------------- pagination


@dataclass
class Placed:
    line: Line
    row: int


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    footer_row: int | None = None   # first grid row of the footer block


def paginate(blocks: list[Block], footer: list[Line], geo: Geometry,
             first_row: int) -> tuple[list[Page], int]:
    """Place blocks on grid rows; returns the pages and the number of paragraphs split."""
    R = geo.rows
    pages = [Page()]
    row = first_row
    page_start = first_row
    splits = 0

    def new_page() -> None:
        nonlocal row, page_start
        pages.append(Page())
        row = 0
        page_start = 0

    for bi, b in enumerate(blocks):
        if b.space_before and row > page_start:
            row += 1
        if row >= R:
            new_page()
        if b.keep_with_next:
            nxt = blocks[bi + 1].lines if bi + 1 < len(blocks) else []
            need = len(b.lines) + min(2, len(nxt))
            if row + need > R:
                new_page()
        lines = list(b.lines)
        first_page = len(pages)
        while lines:
            left = R - row
            if len(lines) <= left:
                take = len(lines)
            elif b.kind != "para" or left < 2:
                take = 0
            else:
                take = left
                if len(lines) - take == 1:  # widow: leave two lines for the next page
                    take -= 1
                if take < 2:  # orphan
                    take = 0
            for line in lines[:take]:
                pages[-1].placed.append(Placed(line, row))
                row += 1
            lines = lines[take:]
            if lines:
                new_page()
        if b.kind == "para" and len(pages) > first_page and any(
            p.line.block == b.name for p in pages[first_page - 1].placed
        ):
            splits += 1

    if footer:
        need = sum(1 for line in footer if line.block != SAME_ROW)
        if row + 1 + need > R:
            new_page()
        start = R - need
        pages[-1].footer_row = start
        k = -1
        for line in footer:
            k += line.block != SAME_ROW
            pages[-1].placed.append(Placed(line, start + k))
    return pages, splits


# --------------------------------------------------------------------------- drawing


def draw_line(c: Any, line: Line, y: float) -> None:
    """Draw one line as runs of same-font atoms, each positioned explicitly."""
    xs, stretch = line.place()
    runs: list[tuple[float, str, str, str, float]] = []  # x, style, font, text, char spacing
    for i, (a, x) in enumerate(zip(line.atoms, xs, strict=True)):
        prev = line.atoms[i - 1] if i else None
        if (runs and prev is not None and not a.latin and not prev.latin
                and prev.style == a.style and line.extra(i - 1) == 0.0):
            x0, st, font, text, cs = runs[-1]
            runs[-1] = (x0, st, font, text + a.text, cs)
        else:
            runs.append((x, a.style, a.font, a.text, 0.0 if a.latin else stretch))
    t = c.beginText()
    mode = None
    bold_width = None
    for x, st_name, font, text, cs in runs:
        st = STYLES[st_name]
        want = 2 if (st.bold and not font.startswith("Times")) else 0
        if want == 2 and bold_width != st.size * BOLD_STROKE:
            bold_width = st.size * BOLD_STROKE
            t._code.append(f"{bold_width:.3f} w")  # line width for the stroked (bold) glyphs
        if want != mode:
            # Written out, not through setTextRenderMode: Tr is graphics state that outlives the
            # text object, while reportlab assumes each new text object starts at 0 and would
            # skip "0 Tr", leaving the previous line's faux bold on.
            t._code.append(f"{want} Tr")
            t._textRenderMode = want
            mode = want
        t.setFillColorRGB(*st.color)
        t.setStrokeColorRGB(*st.color)
        t.setFont(font, st.size)
        # pdfminer (pdfplumber) does not apply Tc after the last glyph of a string, and a TrueType
        # subset switch starts a new string: so every subset segment gets its own origin.
        segments = [text]
        if not font.startswith("Times"):
            lengths = [len(seg) for _, seg in pdfmetrics.getFont(font).splitString(text, c._doc)]
            segments, k = [], 0
            for n in lengths:
                segments.append(text[k:k + n])
                k += n
        for seg in segments:
            t.setCharSpace(round(cs, 4) if len(seg) > 1 else 0)
            t.setTextOrigin(round(x, 3), round(y, 3))
            t.textOut(seg)
            x += pdfmetrics.stringWidth(seg, font, st.size) + cs * len(seg)
    c.drawText(t)


def is_template_masthead(src: dict[str, Any]) -> bool:
    """A masthead with a template's conventions: a secrecy mark above, a signer line."""
    return bool(src["masthead"].get("secrecy") or src["masthead"].get("signer"))


def template_masthead(src: dict[str, Any], geo: Geometry) -> tuple[list[tuple[Line, float]],
                                                                      float]:
    """The lines (and baseline drops below the text block's top) of a template masthead:
    the secrecy mark at the top left, the title, each issue line centred, the issuer at the
    left and the signer at the right of one row, the date centred on a line of its own;
    and the drop of the red rule under them."""
    mh = src["masthead"]
    printed = [ln.strip() for ln in mh["printed_lines"]]
    placed: list[tuple[Line, float]] = []
    drop = 0.0
    if mh.get("secrecy"):
        drop += 14.0
        parts = re.split(r"\s{2,}", printed.pop(0))
        x = geo.x0
        for part in parts:
            atoms = atoms_of(part, "footer")
            placed.append((Line(atoms, x, geo.col_w, "left", "secrecy", block="masthead"), drop))
            x += sum(a.width for a in atoms) + 2 * STYLES["footer"].size
    title, *issues, row, date = printed
    drop += 46.0
    st = STYLES["title"]
    atoms = atoms_of(title, "title")
    w = sum(a.width for a in atoms) + TITLE_TRACKING_EM * st.size * (len(atoms) - 1)
    placed.append((Line(atoms, PAGE_W / 2 - w / 2, w, "justify", "title", block="masthead"),
                   drop))
    drop += 12.0
    for issue in issues:
        drop += 26.0
        placed.append((Line(atoms_of(issue.replace(" ", ""), "mast"), geo.x0, geo.col_w,
                            "center", "issue", block="masthead"), drop))
    drop += 34.0
    issuer, signer = re.split(r"\s{2,}", row)
    placed.append((Line(atoms_of(issuer, "mast"), geo.x0, geo.col_w, "left", "issuer",
                        block="masthead"), drop))
    placed.append((Line(atoms_of(signer, "mast"), geo.x0, geo.col_w, "right", "signer",
                        block="masthead"), drop))
    drop += 28.0
    placed.append((Line(atoms_of(date, "mast"), geo.x0, geo.col_w, "center", "date",
                        block="masthead"), drop))
    return placed, drop + 14.0


def template_masthead_rows(src: dict[str, Any], geo: Geometry) -> int:
    """Grid lines the template masthead takes on page 1 (its rule and a blank line under it)."""
    _, rule = template_masthead(src, geo)
    return math.ceil((rule + 12.0) / PITCH)


def draw_template_masthead(c: Any, src: dict[str, Any], geo: Geometry) -> list[tuple[str, float]]:
    placed, rule = template_masthead(src, geo)
    drawn: list[tuple[str, float]] = []
    for line, drop in placed:
        y = geo.baseline_y(0, drop)
        draw_line(c, line, y)
        if drawn and drawn[-1][1] == y:  # a second line on the row reads after the first
            drawn[-1] = (drawn[-1][0] + line.text(), y)
        else:
            drawn.append((line.text(), y))
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(1.5)
    c.line(geo.x0, geo.baseline_y(0, rule), geo.x1, geo.baseline_y(0, rule))
    c.restoreState()
    return drawn


def draw_masthead(c: Any, src: dict[str, Any], geo: Geometry) -> list[tuple[str, float]]:
    """Draw the masthead; returns its printed lines (text without spaces, baseline y)."""
    if is_template_masthead(src):
        return draw_template_masthead(c, src, geo)
    printed = [ln.strip() for ln in src["masthead"]["printed_lines"]]
    drawn: list[tuple[str, float]] = []
    if len(printed) == 1:
        y_line = geo.baseline_y(0, 20.0)
        y_rule = geo.baseline_y(0, 34.0)
    else:
        y_title = geo.baseline_y(0, 44.0)
        y_line = geo.baseline_y(0, 124.0)
        y_rule = geo.baseline_y(0, 138.0)
        # title: red, letter-spaced, faux bold
        title = printed[0]
        st = STYLES["title"]
        track = TITLE_TRACKING_EM * st.size
        atoms = atoms_of(title, "title")
        w = sum(a.width for a in atoms) + track * (len(atoms) - 1)
        line = Line(atoms, PAGE_W / 2 - w / 2, w, "justify" if len(atoms) > 1 else "left",
                    "title", block="masthead")
        draw_line(c, line, y_title)
        drawn.append((title, y_title))
        y_issue = geo.baseline_y(0, 86.0)
        for issue in printed[1:-1]:
            atoms = atoms_of(issue.replace(" ", ""), "mast")
            line = Line(atoms, geo.x0, geo.col_w, "center", "issue", block="masthead")
            draw_line(c, line, y_issue)
            drawn.append((line.text(), y_issue))
            y_issue -= PITCH
    parts = re.split(r"\s{2,}", printed[-1])
    issuer, date = (parts[0], parts[-1]) if len(parts) > 1 else (parts[0], "")
    left = Line(atoms_of(issuer, "mast"), geo.x0, geo.col_w, "left", "issuer", block="masthead")
    draw_line(c, left, y_line)
    if date:
        right = Line(atoms_of(date, "mast"), geo.x0, geo.col_w, "right", "date",
                     block="masthead")
        draw_line(c, right, y_line)
    drawn.append((issuer + date, y_line))
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(1.5)
    c.line(geo.x0, y_rule, geo.x1, y_rule)
    c.restoreState()
    return drawn


def draw_page_number(c: Any, n: int, geo: Geometry) -> None:
    st = STYLES["pageno"]
    num = Atom(str(n), "pageno")
    dash = Atom("—", "pageno")
    pad = 0.5 * st.size
    w = dash.width * 2 + num.width + 2 * pad
    x = PAGE_W / 2 - w / 2
    line = Line([dash, num, dash], x, w, "justify", "pageno", block="pageno")
    draw_line(c, line, geo.block_bottom_y - PAGENO_DROP)


def draw_footer_rules(c: Any, page: Page, n_dist: int, geo: Geometry) -> None:
    assert page.footer_row is not None
    y_top = PAGE_H - (geo.top + page.footer_row * PITCH + 1.0)
    y_bottom = PAGE_H - (geo.top + (page.footer_row + n_dist) * PITCH + 2.0)
    c.saveState()
    c.setStrokeColorRGB(*BLACK)
    c.setLineWidth(0.75)
    c.line(geo.x0, y_top, geo.x1, y_top)
    c.line(geo.x0, y_bottom, geo.x1, y_bottom)
    c.restoreState()


# --------------------------------------------------------------------------- build


@dataclass
class Built:
    pdf: bytes
    geo: Geometry
    pages: list[Page]
    masthead: list[tuple[str, float]]
    splits: int
    title: str


def layout(src: dict[str, Any], rows: int) -> tuple[Geometry, list[Page], int]:
    geo = Geometry(int(src["raw_options"]["line_em"]), rows)
    blocks: list[Block] = contents_blocks(src, geo)
    for n, item in enumerate(src["items"], 1):
        if item.get("section_label"):
            line = to_line([Unit(atoms_of(item["section_label"], "runin"))], geo.x0, geo.col_w,
                           "left", "section", f"item{n}.section")
            blocks.append(Block("section", [line], space_before=True, keep_with_next=True,
                                name=f"item{n}.section"))
        item_b = item_blocks(item, n, geo)
        if blocks and blocks[-1].kind == "section":
            item_b[0].space_before = False
        blocks.extend(item_b)
    full = len(src["masthead"]["printed_lines"]) > 1
    first_row = MASTHEAD_ROWS_FULL if full else MASTHEAD_ROWS_SHORT
    if is_template_masthead(src):
        first_row = template_masthead_rows(src, geo)
    if blocks and blocks[0].space_before:
        blocks[0].space_before = False
    pages, splits = paginate(blocks, footer_lines(src, geo), geo, first_row)
    return geo, pages, splits


def contents_blocks(src: dict[str, Any], geo: Geometry) -> list[Block]:
    """本期要目: its heading centred, each entry (as printed, with leaders) at the indent,
    then a blank line."""
    contents = src.get("contents")
    if not contents:
        return []
    heading = to_line([Unit(atoms_of(contents["heading"], "body"))], geo.x0, geo.col_w,
                      "center", "toc", "contents")
    indent = INDENT_EM * BODY_SIZE
    entries = [to_line([Unit(atoms_of(entry, "body"))], geo.x0 + indent, geo.col_w - indent,
                       "left", "toc", "contents") for entry in contents["printed"]]
    return [Block("toc", [heading, *entries], name="contents")]


def build(path: Path) -> Built:
    src = json.loads(path.read_text(encoding="utf-8"))
    name = path.stem
    for rows in ROW_CHOICES:
        geo, pages, splits = layout(src, rows)
        if splits:
            break
    else:
        geo, pages, splits = layout(src, ROW_CHOICES[0])
    title = src["masthead"]["title"] or name
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setProducer(PRODUCER)
    c.setCreator(PRODUCER)
    if src["masthead"]["issuer"]:
        c.setAuthor(src["masthead"]["issuer"])
    c.setSubject(name)
    n_dist = sum(1 for p in pages[-1].placed if p.line.role == "footer")
    masthead: list[tuple[str, float]] = []
    for pno, page in enumerate(pages, 1):
        if pno == 1:
            masthead = draw_masthead(c, src, geo)
        for p in page.placed:
            draw_line(c, p.line, geo.baseline_y(p.row))
        if page.footer_row is not None:
            draw_footer_rules(c, page, n_dist, geo)
        draw_page_number(c, pno, geo)
        c.showPage()
    c.save()
    return Built(buf.getvalue(), geo, pages, masthead, splits, title)


def truth_text(src: dict[str, Any]) -> str:
    """Every character the PDF must show, in reading order (page numbers aside)."""
    parts = [re.sub(r"\s+", "", ln) for ln in src["masthead"]["printed_lines"]]
    if src.get("contents"):
        parts += [src["contents"]["heading"], *src["contents"]["printed"]]
    for item in src["items"]:
        if item.get("section_label"):
            parts.append(item["section_label"])
        if item["head"]:
            parts.append(item["head"])
        paras = list(item["paragraphs"])
        if item["type"] == "brief":
            paras[0] = "△" + paras[0]
        parts.extend(paras)
        if item["attribution"]:
            parts.append(f"（{item['attribution']}）")
    for entry in src["distribution"]:
        parts.append((f"{entry['label']}：" if entry["label"] else "") + entry["text"])
    parts += [re.sub(r"\s+", "", footer["printed"]) for footer in src.get("footer_lines", [])]
    if src["copies_line"]:
        parts.append(src["copies_line"])
    return "".join(parts)


# --------------------------------------------------------------------------- verify


def verify(name: str, built: Built, src: dict[str, Any]) -> list[str]:
    """Read the PDF back with pdfplumber and check it against the layout; returns problems."""
    import pdfplumber  # only needed for --verify

    problems: list[str] = []
    geo = built.geo
    facts: dict[str, Any] = {}
    got_all: list[str] = []
    head_fonts: set[str] = set()
    body_fonts: set[str] = set()
    pitches: set[float] = set()
    col_x0 = col_x1 = None
    justified = 0
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        facts["pages"] = len(pdf.pages)
        if len(pdf.pages) != len(built.pages):
            return [f"{len(pdf.pages)} pages in the PDF, {len(built.pages)} laid out"]
        for pno, (page, laid) in enumerate(zip(pdf.pages, built.pages, strict=True), 1):
            block_bottom_top = PAGE_H - geo.block_bottom_y  # pdfplumber 'top' of block bottom
            chars = page.chars
            seen: set[tuple[str, float, float]] = set()
            for ch in chars:
                key = (ch["text"], round(ch["x0"], 1), round(ch["top"], 1))
                if key in seen:
                    problems.append(f"page {pno}: duplicate char {ch['text']!r} at {key[1:]}")
                seen.add(key)
            pn = [ch for ch in chars if ch["top"] > block_bottom_top]
            pn_text = "".join(ch["text"] for ch in sorted(pn, key=lambda ch: ch["x0"]))
            if pn_text != f"—{pno}—":
                problems.append(f"page {pno}: page number {pn_text!r}")
            mid = (min(ch["x0"] for ch in pn) + max(ch["x1"] for ch in pn)) / 2 if pn else 0
            if abs(mid - PAGE_W / 2) > 0.5:
                problems.append(f"page {pno}: page number not centred ({mid:.2f})")
            if any(ch["fontname"].split("+")[-1] != "Times-Roman" for ch in pn
                   if ch["text"].isdigit()):
                problems.append(f"page {pno}: page number digits not in Times-Roman")
            body = [ch for ch in chars if ch["top"] <= block_bottom_top]
            # cluster into lines by top (fonts differ in descent, so tops differ a little)
            lines: list[list[dict]] = []
            for ch in sorted(body, key=lambda ch: (ch["top"], ch["x0"])):
                if lines and ch["top"] - lines[-1][0]["top"] <= 4.0:
                    lines[-1].append(ch)
                else:
                    lines.append([ch])
            lines = [sorted(ln, key=lambda ch: ch["x0"]) for ln in lines]
            for ln in lines:
                got_all.append("".join(ch["text"] for ch in ln))
            rows: dict[int, list[Line]] = {}
            for p in sorted(laid.placed, key=lambda p: p.row):
                rows.setdefault(p.row, []).append(p.line)
            expected = ([t for t, _ in built.masthead] if pno == 1 else []) + [
                "".join(line.text() for line in row) for row in rows.values()]
            got = ["".join(ch["text"] for ch in ln) for ln in lines]
            if got != expected:
                problems.append(f"page {pno}: lines differ from the layout\n  got {got}\n"
                                f"  want {expected}")
                continue
            offset = len(built.masthead) if pno == 1 else 0
            prev_base = None
            for row, ln in zip(rows.values(), lines[offset:], strict=True):
                line = row[0]
                x0 = min(ch["x0"] for ch in ln)
                x1 = max(ch["x1"] for ch in ln)
                base = ln[0]["matrix"][5]
                if line.role in ("body", "runin"):
                    if prev_base is not None:
                        pitches.add(round(prev_base - base, 2))
                    prev_base = base
                    col_x0 = x0 if col_x0 is None else min(col_x0, x0)
                    col_x1 = x1 if col_x1 is None else max(col_x1, x1)
                    styles = [a.style for a in line.atoms for _ in a.text]
                    for ch, st_name in zip(ln, styles, strict=True):
                        (head_fonts if st_name == "runin" else body_fonts).add(ch["fontname"])
                else:
                    prev_base = None
                if line.role == "head":
                    head_fonts.update(ch["fontname"] for ch in ln)
                if line.align == "justify" and line.role in ("body", "runin", "footer"):
                    justified += 1
                    if abs(x1 - geo.x1) > 0.5:
                        problems.append(f"page {pno}: justified line ends at {x1:.2f}, column "
                                        f"edge {geo.x1:.2f}: {line.text()}")
                if line.last and line.role in ("body", "runin") and x1 > geo.x1 + 0.5:
                    problems.append(f"page {pno}: last line overflows: {line.text()}")
                if x0 < geo.x0 - 0.5 or x1 > geo.x1 + 0.5:
                    problems.append(f"page {pno}: line outside the column: {line.text()}")
            if pno == 1 and src["masthead"]["title"]:
                title_chars = list(lines[1 if src["masthead"].get("secrecy") else 0])
                colors = {tuple(round(v, 3) for v in ch["non_stroking_color"])
                          for ch in title_chars}
                facts["title_color"] = sorted(colors)
                facts["title_font"] = sorted({ch["fontname"] for ch in title_chars})
                facts["title_size"] = sorted({round(ch["size"], 1) for ch in title_chars})
                if colors != {RED}:
                    problems.append(f"title colour {colors}")
            if pno == 1:
                reds = [ln_ for ln_ in page.lines
                        if tuple(round(v, 3) for v in ln_["stroking_color"]) == RED]
                if not reds:
                    problems.append("no red rule")
                else:
                    facts["red_rule"] = (round(reds[0]["x0"], 2), round(reds[0]["x1"], 2))
    if "".join(got_all) != truth_text(src):
        problems.append("the characters of the PDF differ from the truth")
    if head_fonts & body_fonts:
        problems.append(f"headline and body share fonts {head_fonts & body_fonts}")
    facts["column"] = (round(col_x0 or 0, 2), round(col_x1 or 0, 2), round(geo.x0, 2),
                       round(geo.x1, 2))
    facts["pitch"] = sorted(pitches)
    facts["justified_lines"] = justified
    facts["head_fonts"] = sorted(head_fonts)
    facts["body_fonts"] = sorted(body_fonts)
    print(f"  {name}: {facts}", file=sys.stderr)
    return problems


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Typeset samples/src/*.json as PDFs.")
    parser.add_argument("names", nargs="*", help="sample names (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if samples/pdf is out of date")
    parser.add_argument("--verify", action="store_true",
                        help="read the PDFs back with pdfplumber and check them (needs pdfplumber)")
    args = parser.parse_args(argv)
    register_fonts()
    sources = sorted(SRC_DIR.glob("*.json"))
    if args.names:
        sources = [p for p in sources if p.stem in set(args.names)]
    if not sources:
        print(f"no sources in {SRC_DIR}", file=sys.stderr)
        return 1
    stale = []
    failed = False
    for path in sources:
        built = build(path)
        target = PDF_DIR / f"{path.stem}.pdf"
        note = (f"{path.stem}: {len(built.pages)} pages, {built.geo.rows} lines a page, "
                f"{built.splits} paragraphs split across pages, {len(built.pdf)} bytes")
        if not built.splits:
            note += "  WARNING: no paragraph runs from one page to the next"
        print(note, file=sys.stderr)
        if args.verify:
            src = json.loads(path.read_text(encoding="utf-8"))
            problems = verify(path.stem, built, src)
            for problem in problems:
                print(f"  PROBLEM {problem}", file=sys.stderr)
            failed |= bool(problems)
        if target.exists() and target.read_bytes() == built.pdf:
            continue
        if args.check:
            stale.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(built.pdf)
    for target in stale:
        print(f"out of date: {target.relative_to(HERE.parent)}", file=sys.stderr)
    return 1 if stale or failed else 0


if __name__ == "__main__":
    sys.exit(main())
