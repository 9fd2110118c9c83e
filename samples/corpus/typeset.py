"""Typeset one generated bulletin as a born-digital A4 PDF, under its variant's layout choices.

The line breaking, justification and drawing are those of ``samples/make_pdf.py`` (atoms, units
with kinsoku, ``break_units``, ``draw_line`` with per-subset text origins and fake bold by text
render mode 2): this module only swaps in the variant's faces, sizes and run-in gap and adds
what the samples lack -- two-column pages, a configurable masthead (classification marks,
cumulative issue formats, issuer and date on one row or two, Chinese-numeral dates, a rule with a
star or doubled), numbered headlines, brief marks, attributions that may wrap across a line
break, and other page-number styles.

``make_pdf`` keeps its geometry in module globals (``BODY_SIZE``, ``RUN_IN_GAP_EM``, ``STYLES``);
``_make_pdf_settings`` sets them for one bulletin and restores them afterwards, so sample
typesetting in the same process is unaffected. Styles of generated bulletins live in
``make_pdf.STYLES`` under keys starting with ``cx.``.

Model, in body ems (em = ``body_size``): the text block is ``line_em`` ems wide, centred, on a
grid of ``1.75 em`` lines; with ``columns == 2`` it is split into two columns with a 2-em
gutter. A glyph missing from a face (〇 in the GB fonts) is drawn in AR PL UMing, as Word
substitutes fonts.
"""

from __future__ import annotations

import io
import math
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from samples import make_pdf as mp
from samples.corpus.variants import CLASSIFICATION_TEXT

PRODUCER = "samples/corpus"

# face key: (registered name, env override, default path, subfont index, expected family)
FACES = {
    "song": ("CorpusSong", "BULLETIN_SONG",
             "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "AR PL SungtiL GB"),
    "fangsong": ("CorpusFang", "BULLETIN_FANGSONG_SUBSTITUTE",
                 "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "AR PL KaitiM GB"),
    "ming": ("CorpusMing", "BULLETIN_UMING", "/usr/share/fonts/truetype/arphic/uming.ttc", 0,
             "AR PL UMing CN"),
    "kai": ("CorpusKai", "BULLETIN_UKAI", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0,
            "AR PL UKai CN"),
    "hei": ("CorpusHei", "BULLETIN_HEI", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0,
            "WenQuanYi Zen Hei"),
}
FALLBACK = "ming"
DEBIAN_PACKAGES = "fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp " \
    "fonts-arphic-gkai00mp fonts-wqy-zenhei"

PAGE_W, PAGE_H = mp.PAGE_W, mp.PAGE_H
PITCH_EM = 1.75
TEXT_HEIGHT = 640.0          # pt of grid lines a page holds, at most
GUTTER_EM = 2.0
RED = mp.RED
BLACK = mp.BLACK
GAP_EM = {"none": 0.0, "half": 0.5, "one": 1.0, "two": 2.0}
CHINESE_DIGITS = "〇一二三四五六七八九"

_registered: set[str] = set()


def register_faces() -> None:
    """Register the five TrueType faces with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, env, default, index, family in FACES.values():
        if name in _registered:
            continue
        path = os.environ.get(env, default)
        if not Path(path).is_file():
            raise SystemExit(f"{path} not found: apt-get install {DEBIAN_PACKAGES}")
        font = TTFont(name, path, subfontIndex=index, asciiReadable=0)
        mp.trim_name_table(font.face)
        got = font.face.familyName
        got = got.decode("latin-1") if isinstance(got, bytes) else str(got)
        if got != family:
            raise SystemExit(f"{path} subfont {index} is {got!r}, expected {family!r}")
        pdfmetrics.registerFont(font)
        _registered.add(name)


def has_glyph(font: str, ch: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    return ord(ch) in pdfmetrics.getFont(font).face.charToGlyph


# --------------------------------------------------------------------------- styles


def build_styles(v: dict[str, Any]) -> dict[str, mp.Style]:
    """The ``cx.*`` styles of one bulletin, plus a fallback-face twin of each."""
    body_font = FACES[v["body_face"]][0]
    size = float(v["body_size"])
    head = v["head_face"]
    if head in ("hei", "kai"):
        head_font, bold, runin_size, head_size = FACES[head][0], head == "kai", size, size * 1.25
    elif head == "body_bold":
        head_font, bold, runin_size, head_size = body_font, True, size, size * 1.25
    else:  # body_larger: same face, not bold, only the size tells
        head_font, bold, runin_size, head_size = body_font, False, size * 1.15, size * 1.4
    head_latin = "Times-Bold" if bold or head == "hei" else "Times-Roman"
    title_font = FACES["hei"][0] if v["title_face"] == "hei" else body_font
    title_color = RED if v["title_color"] == "red" else BLACK
    styles = {
        "cx.body": mp.Style(body_font, "Times-Roman", size),
        "cx.runin": mp.Style(head_font, head_latin, runin_size, bold=bold),
        "cx.head": mp.Style(head_font, head_latin, round(head_size, 1), bold=bold),
        "cx.footer": mp.Style(body_font, "Times-Roman", size - 1),
        "cx.title": mp.Style(title_font, "Times-Bold", float(v["title_size"]),
                             bold=v["title_face"] != "hei", color=title_color),
        "cx.mast": mp.Style(body_font, "Times-Roman", 16.0),
        "cx.mark": mp.Style(FACES["hei"][0], "Times-Roman", 14.0),
        "cx.star": mp.Style(FACES["ming"][0], "Times-Roman", 16.0, color=RED),
        "cx.pageno": mp.Style(body_font, "Times-Roman", 14.0),
    }
    fallback = FACES[FALLBACK][0]
    for key, st in list(styles.items()):
        styles[key + "!"] = replace(st, cjk=fallback)
    return styles


def atoms(text: str, style: str) -> list[mp.Atom]:
    """make_pdf's atoms, a glyph the face lacks moved to the fallback twin of the style."""
    out = []
    for a in mp.atoms_of(text, style):
        if not a.latin and not has_glyph(mp.STYLES[style].cjk, a.text):
            a = mp.Atom(a.text, style + "!")
        out.append(a)
    return out


@contextmanager
def _make_pdf_settings(v: dict[str, Any]) -> Iterator[None]:
    saved = (mp.BODY_SIZE, mp.RUN_IN_GAP_EM)
    mp.BODY_SIZE = float(v["body_size"])
    mp.RUN_IN_GAP_EM = GAP_EM[v["runin_gap"]]
    mp.STYLES.update(build_styles(v))
    try:
        yield
    finally:
        mp.BODY_SIZE, mp.RUN_IN_GAP_EM = saved


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Column:
    """What ``make_pdf.paragraph_lines`` needs: a width and a left edge (0: frame-relative)."""

    col_w: float
    x0: float = 0.0


@dataclass(frozen=True)
class Geometry:
    line_em: int
    size: float
    columns: int

    @property
    def pitch(self) -> float:
        return round(self.size * PITCH_EM, 2)

    @property
    def rows(self) -> int:
        return int(TEXT_HEIGHT // self.pitch)

    @property
    def width(self) -> float:
        return self.line_em * self.size

    @property
    def x0(self) -> float:
        return (PAGE_W - self.width) / 2

    @property
    def x1(self) -> float:
        return self.x0 + self.width

    @property
    def frame_w(self) -> float:
        if self.columns == 1:
            return self.width
        return (self.width - GUTTER_EM * self.size) / 2

    def frame_x(self, k: int) -> float:
        return self.x0 + k * (self.frame_w + GUTTER_EM * self.size)

    @property
    def top(self) -> float:
        return (PAGE_H - self.rows * self.pitch) / 2 - 12.0

    def baseline_y(self, row: int) -> float:
        return PAGE_H - (self.top + row * self.pitch + self.size * 1.27)

    def y_at(self, drop: float) -> float:
        """PDF y of a point ``drop`` pt below the top of the text block."""
        return PAGE_H - (self.top + drop)

    @property
    def bottom_y(self) -> float:
        return PAGE_H - (self.top + self.rows * self.pitch)


# --------------------------------------------------------------------------- content blocks


@dataclass
class ItemLayout:
    """Per-item layout decisions and outcomes, kept beside the truth."""

    attribution: str | None = None      # "end" | "wrap" | "own_line"
    attribution_wrapped: bool = False   # its characters ended up on two lines
    attribution_dropped: bool = False   # an unbreakable one moved whole to the next line
    head_lines: int = 0


def numbered(head: str, k: int, style: str) -> str:
    if style == "none":
        return head
    num = chinese_number(k)
    return f"{num}、{head}" if style == "一、" else f"（{num}）{head}"


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals (一, 十, 十一, 二十三).

    >>> [chinese_number(n) for n in (1, 10, 11, 20, 23)]
    ['一', '十', '十一', '二十', '二十三']
    """
    tens, ones = divmod(n, 10)
    text = ("" if tens <= 1 else CHINESE_DIGITS[tens]) + ("十" if tens else "")
    return text + (CHINESE_DIGITS[ones] if ones else "")


def unit_list(text: str, style: str) -> list[mp.Unit]:
    return [mp.Unit([a]) for a in atoms(text, style)]


def headline_lines(head: str, col: Column, align: str, size: float) -> list[mp.Line]:
    units = unit_list(head, "cx.head")
    broken = mp.break_units(units, col.col_w, col.col_w)
    if len(broken) > 1:  # even line lengths, as a typesetter balances a centred headline
        cap = mp.width_of(units) / len(broken)
        while cap < col.col_w:
            cand = mp.break_units(units, cap, cap)
            if len(cand) == len(broken):
                broken = cand
                break
            cap += 1.0
    if align == "center":
        return [mp.to_line(ln, 0.0, col.col_w, "center", "head", "head") for ln in broken]
    indent = 2 * size
    return [mp.to_line(ln, indent, col.col_w - indent, "left", "head", "head") for ln in broken]


def item_blocks(item: dict[str, Any], n: int, col: Column, v: dict[str, Any],
                attr_mode: str | None, info: ItemLayout) -> list[mp.Block]:
    size = float(v["body_size"])
    indent = 2 * size
    blocks: list[mp.Block] = []
    if item["head_rend"] == "standalone":
        lines = headline_lines(item["head"], col, v["head_align"], size)
        info.head_lines = len(lines)
        blocks.append(mp.Block("head", lines, space_before=True, keep_with_next=True,
                               name=f"item{n}.head"))
    attribution = f"（{item['attribution']}）" if item["attribution"] else None
    info.attribution = attr_mode if attribution else None
    paras = item["paragraphs"]
    for k, para in enumerate(paras):
        units = unit_list(para, "cx.body")
        if k == 0 and item["type"] == "brief":
            units = [mp.Unit(atoms(v["brief_mark"], "cx.body")), *units]
        if k == 0 and item["head_rend"] == "run-in":
            head_units = unit_list(item["head"], "cx.runin")
            gap = [mp.Unit([], gap=True)] if v["runin_gap"] != "none" else []
            units = head_units + gap + units
        attr_units: list[mp.Unit] = []
        if k == len(paras) - 1 and attribution and attr_mode != "own_line":
            attr_units = ([mp.Unit(atoms(attribution, "cx.body"))] if attr_mode == "end"
                          else unit_list(attribution, "cx.body"))
            units += attr_units
        name = f"item{n}.p{k + 1}"
        lines = mp.paragraph_lines(units, col, indent, "body", name)
        if attr_units:
            n_attr = len(attribution or "")
            tail = "".join(ln.text() for ln in lines)[-n_attr:]
            assert tail == attribution, (tail, attribution)
            last_len = len(lines[-1].text())
            info.attribution_wrapped = attr_mode == "wrap" and last_len < n_attr
            if attr_mode == "end" and len(lines) > 1 and lines[-1].atoms == attr_units[0].atoms:
                lines[-2].align = "left"  # the text before a dropped attribution is not stretched
                info.attribution_dropped = True
        for line in lines:
            if any(a.style.startswith("cx.runin") for a in line.atoms):
                line.role = "runin"
        blocks.append(mp.Block("para", lines, name=name))
    if attribution and attr_mode == "own_line":
        line = mp.to_line([mp.Unit(atoms(attribution, "cx.body"))], 0.0, col.col_w, "right",
                          "attr", f"item{n}.attribution")
        blocks.append(mp.Block("attr", [line], name=f"item{n}.attribution"))
    return blocks


def footer_lines(distribution: list[dict[str, Any]], geo: Geometry) -> list[mp.Line]:
    """报/送/发 lines with a hanging indent after the label, then the copies line."""
    out: list[mp.Line] = []
    for entry in distribution:
        if entry["label"] is None:
            out.append(mp.to_line([mp.Unit(atoms(entry["text"], "cx.footer"))], 0.0, geo.width,
                                  "right", "copies", "distribution"))
            continue
        label = atoms(f"{entry['label']}：", "cx.footer")
        hang = sum(a.width for a in label)
        broken = mp.break_units(unit_list(entry["text"], "cx.footer"), geo.width - hang,
                                geo.width - hang)
        for k, ln in enumerate(broken):
            last = k == len(broken) - 1
            line = mp.to_line(ln, hang, geo.width - hang, "left" if last else "justify",
                              "footer", "distribution")
            if k == 0:
                line.atoms = label + line.atoms
                line.x_left, line.width = 0.0, geo.width
            line.last = last
            out.append(line)
    return out


# --------------------------------------------------------------------------- pagination


@dataclass
class Placed:
    line: mp.Line
    row: int
    frame: int


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    footer: list[Placed] = field(default_factory=list)


def paginate(blocks: list[mp.Block], footer: list[mp.Line], geo: Geometry,
             first_row: int) -> list[Page]:
    """Flow blocks through the frames (columns) of each page, as make_pdf.paginate does."""
    rows = geo.rows
    pages = [Page()]
    frame, row, start = 0, first_row, first_row

    def next_frame() -> None:
        nonlocal frame, row, start
        if frame + 1 < geo.columns:
            frame += 1
            row = start = first_row if len(pages) == 1 else 0
        else:
            pages.append(Page())
            frame, row, start = 0, 0, 0

    for bi, b in enumerate(blocks):
        if b.space_before and row > start:
            row += 1
        if row >= rows:
            next_frame()
        if b.keep_with_next:
            nxt = blocks[bi + 1].lines if bi + 1 < len(blocks) else []
            if row + len(b.lines) + min(2, len(nxt)) > rows:
                next_frame()
        lines = list(b.lines)
        while lines:
            left = rows - row
            if len(lines) <= left:
                take = len(lines)
            elif b.kind != "para" or left < 2:
                take = 0
            else:
                take = left - (1 if len(lines) - left == 1 else 0)  # no widow
                take = take if take >= 2 else 0                       # no orphan
            for line in lines[:take]:
                pages[-1].placed.append(Placed(line, row, frame))
                row += 1
            lines = lines[take:]
            if lines:
                next_frame()
    if footer:
        used = max((p.row for p in pages[-1].placed), default=first_row - 1)
        if used + 2 + len(footer) > rows:
            pages.append(Page())
        start_row = rows - len(footer)
        pages[-1].footer = [Placed(line, start_row + k, 0) for k, line in enumerate(footer)]
    return pages


# --------------------------------------------------------------------------- masthead


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
        else:
            text = f"{issue}（{cumulative}）" if cumulative else issue
            lines.append((_text_line(text, "cx.mast", x0, w, "center"), drop))
            raw.append(text)
        drop += 12.0
    drop += 26.0
    if v["issuer_date"] == "one_row":
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


# --------------------------------------------------------------------------- build


@dataclass
class Built:
    """The PDF and what was laid out: pages of placed lines, the masthead, per-item layout."""

    pdf: bytes
    geo: Geometry
    pages: list[Page]
    masthead: Masthead
    items: list[ItemLayout]
    page_numbers: list[str]


def layout_blocks(truth: dict[str, Any], geo: Geometry, v: dict[str, Any],
                  rng: random.Random) -> tuple[list[mp.Block], list[ItemLayout]]:
    col = Column(geo.frame_w)
    blocks: list[mp.Block] = []
    infos: list[ItemLayout] = []
    for n, item in enumerate(truth["items"], 1):
        mode = v["attribution"]
        if mode == "mixed":
            mode = rng.choice(("end", "wrap", "own_line"))
        info = ItemLayout()
        blocks.extend(item_blocks(item, n, col, v, mode, info))
        infos.append(info)
    if blocks:
        blocks[0].space_before = False
    return blocks, infos


def page_number_text(n: int, style: str) -> str | None:
    return {"dash": f"— {n} —", "hyphen": f"- {n} -"}.get(style)


def build(truth: dict[str, Any], v: dict[str, Any], rng: random.Random) -> Built:
    """Lay out and draw the bulletin; the truth's masthead must already hold ``date_text``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as rl_canvas

    register_faces()
    with _make_pdf_settings(v):
        geo = Geometry(int(v["line_em"]), float(v["body_size"]), int(v["columns"]))
        mast = masthead_layout(truth["masthead"], v, geo)
        first_row = math.ceil(mast.height / geo.pitch)
        blocks, infos = layout_blocks(truth, geo, v, rng)
        pages = paginate(blocks, footer_lines(truth["distribution"], geo), geo, first_row)
        buf = io.BytesIO()
        c = rl_canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
        c.setTitle(truth["masthead"]["title"] or truth["name"])
        c.setProducer(PRODUCER)
        c.setCreator(PRODUCER)
        numbers: list[str] = []
        for pno, page in enumerate(pages, 1):
            if pno == 1:
                draw_masthead(c, mast, geo)
            for p in sorted(page.placed, key=lambda p: (p.frame, p.row)):
                line = replace(p.line, x_left=p.line.x_left + geo.frame_x(p.frame))
                draw_line(c, line, geo.baseline_y(p.row))
            if page.footer:
                draw_footer(c, page, geo)
            text = page_number_text(pno, v["page_number"])
            if text:
                draw_page_number(c, text, geo)
                numbers.append(text)
            c.showPage()
        c.save()
    return Built(buf.getvalue(), geo, pages, mast, infos, numbers)


def draw_line(c: Any, line: mp.Line, y: float) -> None:
    """``make_pdf.draw_line``, starting from fill-only text.

    reportlab assumes every text object starts in render mode 0 and so never writes ``0 Tr``
    after a bold line, but the text render mode is graphics state that outlives a text object:
    without this reset, the line after a fake-bold headline is drawn bold too.
    """
    c._code.append("0 Tr")
    mp.draw_line(c, line, y)


def draw_masthead(c: Any, mast: Masthead, geo: Geometry) -> None:
    for line, drop in mast.lines:
        draw_line(c, line, geo.y_at(drop))
    c.saveState()
    c.setStrokeColorRGB(*RED)
    for x0, x1, drop, width in mast.rules:
        c.setLineWidth(width)
        c.line(x0, geo.y_at(drop), x1, geo.y_at(drop))
    c.restoreState()


def draw_footer(c: Any, page: Page, geo: Geometry) -> None:
    for p in page.footer:
        line = replace(p.line, x_left=p.line.x_left + geo.x0)
        draw_line(c, line, geo.baseline_y(p.row))
    n_dist = sum(1 for p in page.footer if p.line.role == "footer")
    first = page.footer[0].row
    c.saveState()
    c.setStrokeColorRGB(*BLACK)
    c.setLineWidth(0.75)
    for row in (first, first + n_dist):
        y = PAGE_H - (geo.top + row * geo.pitch + 2.0)
        c.line(geo.x0, y, geo.x1, y)
    c.restoreState()


def draw_page_number(c: Any, text: str, geo: Geometry) -> None:
    parts = text.split(" ")
    line_atoms = [a for part in parts for a in atoms(part, "cx.pageno")]
    w = sum(a.width for a in line_atoms) + 7.0 * (len(line_atoms) - 1)
    line = mp.Line(line_atoms, PAGE_W / 2 - w / 2, w, "justify", "pageno", block="pageno")
    draw_line(c, line, geo.bottom_y - 30.0)


# --------------------------------------------------------------------------- read-back


def line_text(line: mp.Line, run_in_space: bool) -> str:
    """A printed line as an extraction shows it: one space in a run-in gap, if asked."""
    out = []
    for i, a in enumerate(line.atoms):
        out.append(a.text)
        if run_in_space and i in line.gaps_after:
            out.append(" ")
    return "".join(out)


def drawn_text(built: Built) -> list[str]:
    """Per page, every character drawn, in drawing order, without whitespace."""
    out = []
    for pno, page in enumerate(built.pages, 1):
        parts = [ln.text() for ln, _ in built.masthead.lines] if pno == 1 else []
        parts += [p.line.text() for p in sorted(page.placed, key=lambda p: (p.frame, p.row))]
        parts += [p.line.text() for p in page.footer]
        if built.page_numbers:
            parts.append(built.page_numbers[pno - 1])
        out.append("".join("".join(parts).split()))
    return out


def check_text_layer(built: Built, truth_chars: str) -> None:
    """Read the PDF back with pdfplumber: its characters are those drawn, in order, and the
    truth's characters appear among them in order. Raises AssertionError otherwise."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        got = ["".join(ch["text"] for ch in page.chars if not ch["text"].isspace())
               for page in pdf.pages]
    want = drawn_text(built)
    if got != want:
        raise AssertionError(f"text layer differs from the layout:\n got {got}\nwant {want}")
    if not is_subsequence(truth_chars, "".join(got)):
        raise AssertionError("the text layer does not hold every truth character in order")


def is_subsequence(needle: str, haystack: str) -> bool:
    """True if every character of ``needle`` occurs in ``haystack`` in the same order.

    >>> is_subsequence("ace", "abcde"), is_subsequence("aec", "abcde")
    (True, False)
    """
    it = iter(haystack)
    return all(ch in it for ch in needle)
