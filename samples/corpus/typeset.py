"""Typeset one generated bulletin as a born-digital A4 PDF, under its variant's layout choices.

The line breaking, justification and drawing are those of ``samples/make_pdf.py`` (atoms, units
with kinsoku, ``break_units``, ``paragraph_lines``, ``draw_line`` with per-subset text origins
and fake bold by text render mode 2): this module swaps in the variant's faces, sizes and run-in
gap (``faces.py``) and adds what the samples lack: two-column pages (``geometry.py``), the
configurable masthead (``masthead.py``), numbered headlines, left-aligned headlines, brief marks,
attributions that may wrap across a line break, and other page-number styles.

Items: a standalone headline is centred (or left at the paragraph indent) in the headline style,
wrapped into lines of even length, with a blank grid line before it; a run-in headline starts
the first paragraph at the indent, followed by the variant's gap (none, 0.5, 1 or 2 em) and the
body. An attribution ``（org）`` ends the last paragraph as one unbreakable unit (``end``: if it
does not fit it drops whole to the next line, the line before left unjustified), or as
breakable characters (``wrap``: it may run across a line break, ``…好评。（区`` / ``市场监管局）``),
or stands right-aligned on a line of its own (``own_line``). Pagination is ``make_pdf``'s (widow
and orphan control, a headline kept with two lines of what follows), through the columns.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field, replace
from typing import Any

from samples import make_pdf as mp
from samples.corpus.content import FILLERS
from samples.corpus.faces import BLACK, atoms, make_pdf_settings, register_faces
from samples.corpus.geometry import PAGE_H, PAGE_W, Column, Geometry
from samples.corpus.masthead import Masthead, chinese_number, masthead_layout

PRODUCER = "samples/corpus"

# --------------------------------------------------------------------------- content blocks


@dataclass
class ItemLayout:
    """Per-item layout decisions and outcomes, kept beside the truth."""

    attribution: str | None = None      # "end" | "wrap" | "own_line"
    attribution_wrapped: bool = False   # its characters ended up on two lines
    attribution_dropped: bool = False   # an unbreakable one moved whole to the next line
    head_lines: int = 0
    # Paragraphs, other than the item's last, whose last line is full (less than 1 em left):
    # in a raw extraction nothing shows where the next paragraph starts.
    hidden_paragraph_ends: int = 0


def numbered(head: str, k: int, style: str) -> str:
    if style == "none":
        return head
    num = chinese_number(k)
    return f"{num}、{head}" if style == "一、" else f"（{num}）{head}"


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
        # paragraph_lines reads only col_w and x0 of its geometry, which a Column has
        lines = mp.paragraph_lines(units, col, indent, "body", name)  # type: ignore[arg-type]
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
        if k < len(paras) - 1 and lines[-1].natural() > lines[-1].width - size:
            info.hidden_paragraph_ends += 1
        blocks.append(mp.Block("para", lines, name=name))
    if attribution and attr_mode == "own_line":
        line = mp.to_line([mp.Unit(atoms(attribution, "cx.body"))], 0.0, col.col_w, "right",
                          "attr", f"item{n}.attribution")
        blocks.append(mp.Block("attr", [line], name=f"item{n}.attribution"))
    return blocks


def footer_lines(distribution: list[dict[str, Any]], geo: Geometry,
                 v: dict[str, Any] | None = None) -> list[list[mp.Line]]:
    """The footer's rows: 报/送/发 lines with a hanging indent after the label, then (with
    ``--conventions``) the imprint and the colophon, then the copies line."""
    v = v or {}
    out: list[list[mp.Line]] = []
    colophon = [e for e in distribution if "row" in e]
    for entry in distribution:
        if entry in colophon:
            continue
        if entry["label"] is None and entry["text"].endswith("印发"):
            out.append(imprint_row(entry["text"], geo))
            continue
        if entry["label"] is None:
            out += colophon_rows(colophon, geo, v.get("cv_colophon", "none"))
            colophon = []
            out.append([mp.to_line([mp.Unit(atoms(entry["text"], "cx.footer"))], 0.0,
                                   geo.width, "right", "copies", "distribution")])
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
            out.append([line])
    return out + colophon_rows(colophon, geo, v.get("cv_colophon", "none"))


def imprint_row(text: str, geo: Geometry) -> list[mp.Line]:
    """``XX办公室`` at the left and ``2023年7月3日印发`` at the right of one row."""
    year = text.index("年") - 4  # four digits, Arabic or Chinese
    return [mp.Line(atoms(text[:year], "cx.footer"), 0.0, geo.width, "left", "imprint",
                    block="distribution"),
            mp.Line(atoms(text[year:], "cx.footer"), 0.0, geo.width, "right", "imprint",
                    block="distribution")]


def colophon_rows(fields: list[dict[str, Any]], geo: Geometry,
                  form: str) -> list[list[mp.Line]]:
    """Rows of ``label：value`` fields (entries with a ``row`` number): each row's fields
    spread over the width, or, for ``lines``, one field per row."""
    rows: dict[int, list[list[mp.Atom]]] = {}
    for field_ in fields:
        rows.setdefault(field_["row"], []).append(
            atoms(f"{field_['label']}：{field_['text']}", "cx.footer"))
    out: list[list[mp.Line]] = []
    for row in rows.values():
        if form == "lines":
            out += [[mp.Line(a, 0.0, geo.width, "left", "colophon", block="distribution")]
                    for a in row]
            continue
        step = geo.width / len(row)
        out.append([mp.Line(a, k * step, step, "left", "colophon", block="distribution")
                    for k, a in enumerate(row)])
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


def paginate(blocks: list[mp.Block], footer: list[list[mp.Line]], geo: Geometry,
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
        pages[-1].footer = [Placed(line, start_row + k, 0)
                            for k, row in enumerate(footer) for line in row]
    return pages


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


def contents_blocks(truth: dict[str, Any], col: Column, v: dict[str, Any]) -> list[mp.Block]:
    """The 本期要目 heading, centred, and each entry at the paragraph indent, wrapped over as
    many lines as it needs, its last line ending in dot leaders and a page number if the
    variant has them (and they fit: three ems at least)."""
    entries = truth.get("contents") or []
    if not entries:
        return []
    size = float(v["body_size"])
    indent = 2 * size
    room = col.col_w - indent
    leaders = v.get("cv_toc_leaders") == "dots"
    lines: list[mp.Line] = []
    for entry in entries:
        broken = mp.break_units(unit_list(entry, "cx.body"), room, room)
        for k, units in enumerate(broken):
            line = mp.to_line(units, indent, room, "justify", "toc", "contents")
            if k == len(broken) - 1:
                line.align = "left"
                left = room - sum(a.width for a in line.atoms)
                if leaders and left >= 3 * size:
                    line.atoms = line.atoms + atoms("…" * int((left - size) / size) + "1",
                                                    "cx.body")
            lines.append(line)
    heading = mp.to_line(unit_list(v["cv_toc"], "cx.body"), 0.0, col.col_w, "center", "toc",
                         "contents")
    return [mp.Block("toc", [heading, *lines], name="contents")]


def section_block(label: str, col: Column, v: dict[str, Any], n: int) -> mp.Block:
    """A section label on a line of its own, left or centred, in the headline or body face."""
    style = "cx.head" if v.get("cv_section_face") == "head" else "cx.body"
    align = "center" if v.get("cv_section_align") == "center" else "left"
    line = mp.to_line(unit_list(label, style), 0.0, col.col_w, align, "section",
                      f"item{n}.section")
    return mp.Block("section", [line], space_before=True, keep_with_next=True,
                    name=f"item{n}.section")


def layout_blocks(truth: dict[str, Any], geo: Geometry, v: dict[str, Any],
                  rng: random.Random) -> tuple[list[mp.Block], list[ItemLayout]]:
    col = Column(geo.frame_w)
    blocks: list[mp.Block] = contents_blocks(truth, col, v)
    infos: list[ItemLayout] = []
    for n, item in enumerate(truth["items"], 1):
        if item.get("section_label"):
            blocks.append(section_block(item["section_label"], col, v, n))
        mode = v["attribution"]
        if mode == "mixed":
            mode = rng.choice(("end", "wrap", "own_line"))
        info = ItemLayout()
        item_b = item_blocks(item, n, col, v, mode, info)
        if mode == "wrap" and item["attribution"] and not info.attribution_wrapped:
            item_b = lengthen_until_wrapped(item, n, col, v, info) or item_b
        if blocks and blocks[-1].kind == "section":
            item_b[0].space_before = False  # the label keeps its item close
        blocks.extend(item_b)
        infos.append(info)
    if blocks:
        blocks[0].space_before = False
    if blocks and blocks[0].kind == "toc" and len(blocks) > 1:
        blocks[1].space_before = True  # a blank line ends the contents
    return blocks, infos


def lengthen_until_wrapped(item: dict[str, Any], n: int, col: Column, v: dict[str, Any],
                           info: ItemLayout) -> list[mp.Block] | None:
    """Lengthen the last paragraph by a filler clause until its attribution runs across a line
    break (``wrap`` mode), updating the truth in place; None if no filler does it."""
    last = item["paragraphs"][-1]
    stem = last[:-1] if last.endswith("。") else last
    for filler in filler_clauses():
        item["paragraphs"][-1] = stem + filler + "。"
        trial = ItemLayout()
        item_b = item_blocks(item, n, col, v, "wrap", trial)
        if trial.attribution_wrapped:
            info.__dict__.update(trial.__dict__)
            return item_b
    item["paragraphs"][-1] = last
    return None


def filler_clauses() -> list[str]:
    """Single and paired filler clauses, shortest first (every length from 5 to ~40 chars)."""
    pairs = [a + b for a in FILLERS for b in FILLERS if a != b]
    return sorted([*FILLERS, *pairs], key=lambda f: (len(f), f))


def page_number_text(n: int, style: str) -> str | None:
    return {"dash": f"— {n} —", "hyphen": f"- {n} -"}.get(style)


def build(truth: dict[str, Any], v: dict[str, Any], rng: random.Random) -> Built:
    """Lay out and draw the bulletin; the truth's masthead must already hold ``date_text``."""
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.pdfgen import canvas as rl_canvas  # type: ignore[import-untyped]

    register_faces()
    with make_pdf_settings(v):
        geo = Geometry(int(v["line_em"]), float(v["body_size"]), int(v["columns"]))
        mast = masthead_layout(truth["masthead"], v, geo)
        first_row = math.ceil(mast.height / geo.pitch)
        blocks, infos = layout_blocks(truth, geo, v, rng)
        pages = paginate(blocks, footer_lines(truth["distribution"], geo, v), geo, first_row)
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
    c.setStrokeColorRGB(*mp.RED)
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


