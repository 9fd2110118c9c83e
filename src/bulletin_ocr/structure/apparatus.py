"""What on a page with geometry is not body text, decided on that page alone: running heads
and page numbers (furniture), margin references and foot notes (notes).

``layout.margins`` measures the body column; this module decides from the measurements, one
page at a time: a book's running head ``12 第一篇 商品和货币`` is found on its own page by
where it stands, its size and the gap below it, not only because it repeats.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bulletin_ocr.layout.margins import body_edges
from bulletin_ocr.layout.page_numbers import is_folio
from bulletin_ocr.model import BBox, Line, Note, Page
from bulletin_ocr.structure import conventions
from bulletin_ocr.structure.thresholds import SHARED

# The mark a foot note opens with: （3）, (3), ①, [3], 注：.
NOTE_CALL = re.compile(r"\s*(?:[（(](\d{1,3})[)）]|([①-⑳])|\[(\d{1,3})\]|注[：:])")


@dataclass
class Apparatus:
    furniture: list[tuple[Line, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def note_ids(self) -> set[str]:
        return {line.id for note in self.notes for line in note.lines}


def find_apparatus(pages: Sequence[Page]) -> Apparatus:
    """Furniture and notes of every page that has geometry.

    The page is read whole, with what ``layout.furniture`` already set aside (a page number
    in the margin band, a head repeated across pages): this decider, on the page's own
    evidence, gives its reason to the furniture it finds there too; the older rule's reason
    stays where this one cannot decide.
    """
    found = Apparatus()
    for page in pages:
        whole = page.lines + page.furniture
        lines = [line for line in whole if line.bbox is not None]
        if (
            len(lines) < SHARED.min_page_lines
            or not page.height
            or len(lines) != len(whole)
            or page.columns
        ):
            continue
        _page_apparatus(page, lines, found)
    return found


def _page_apparatus(page: Page, lines: list[Line], found: Apparatus) -> None:
    size = _body_size(lines)
    edges = body_edges([_box(line) for line in lines], size)
    if edges is None:
        return
    left, right = edges
    # Already furniture: a page number beside a running head is no margin reference; nor is
    # a footer's field set out to the right of a short last column (``校对：…``).
    margin = [line for line in _margin_lines(lines, left, right, size)
              if line not in page.furniture and conventions.role_of(line.text, "body") is None]
    body = [line for line in lines if line not in margin]
    by_line: dict[str, Note] = {}
    for line in margin:
        beside = _beside(line, body)
        if beside is None:
            continue
        if beside.id in by_line:  # one reference the recogniser read as two boxes
            by_line[beside.id].lines.append(line)
            continue
        by_line[beside.id] = Note(
            "margin", page.number, [line], "outside the body column", beside=beside.id
        )
        found.notes.append(by_line[beside.id])
    body = [line for line in body if not any(line in n.lines for n in found.notes)]
    body.sort(key=lambda line: _box(line).top)
    if len(body) < SHARED.min_page_lines:
        return
    usual = statistics.median(_gap(a, b) for a, b in pairwise(body))
    apart = max(SHARED.apart_gaps * usual, SHARED.min_apart * size)
    assert page.height is not None
    top_band = SHARED.band_share * page.height
    heads = [line for line in body[:-1] if _box(line).bottom <= top_band]
    # The head ends at the first wide gap: every line above it is furniture if set so.
    cut = next((i for i, line in enumerate(heads) if _gap(line, body[i + 1]) >= apart), None)
    if cut is not None:
        found.furniture += [
            (line, _furniture_reason(line, "top"))
            for line in heads[: cut + 1]
            if _furniture_face(line, size)
        ]
    foot_band = page.height - top_band
    tail = body[-1]
    if (
        _box(tail).top >= foot_band
        and is_folio(tail.text)
        and _gap(body[-2], tail) >= apart
    ):
        found.furniture.append((tail, _furniture_reason(tail, "bottom")))
        body = body[:-1]
    _foot_notes(page, body, size, apart, found)


def _margin_lines(lines: Sequence[Line], left: float, right: float, size: float) -> list[Line]:
    """The lines printed beyond the body column's edges, on each side where all of them are
    narrow enough to be references; none on a side where one is as wide as text."""
    found: list[Line] = []
    for beyond in (
        [line for line in lines if _box(line).x1 <= left],
        [line for line in lines if _box(line).x0 >= right],
    ):
        if all(_box(line).x1 - _box(line).x0 <= SHARED.margin_max_em * size for line in beyond):
            found += beyond
    return found


def _foot_notes(
    page: Page, body: list[Line], size: float, apart: float, found: Apparatus
) -> None:
    """The lines below the last wide gap of the lower half, in small type, opening with a
    note's mark, as one note per mark."""
    assert page.height is not None
    taken = {line.id for line, _ in found.furniture} | {line.id for line in page.furniture}
    body = [line for line in body if line.id not in taken]
    start = None
    for index in range(len(body) - 1, 0, -1):
        line = body[index]
        above_notes = _box(line).top < SHARED.notes_below * page.height
        if above_notes or _size(line) > SHARED.note_size * size:
            break
        if _gap(body[index - 1], line) >= apart and NOTE_CALL.match(line.text):
            start = index
    if start is None:
        return
    notes: list[Note] = []
    for line in body[start:]:
        call = NOTE_CALL.match(line.text)
        indented = line.indent is not None and line.indent >= SHARED.note_indent
        if not notes or (call and indented) or _gap(notes[-1].lines[-1], line) >= apart:
            number = next((g for g in call.groups() if g), None) if call else None
            notes.append(Note("foot", page.number, [line], "foot note in small type below the body",
                              call=number))
        else:
            notes[-1].lines.append(line)
    found.notes.extend(notes)


def _beside(line: Line, body: Sequence[Line]) -> Line | None:
    """The body line printed on the same level as ``line``."""
    box = _box(line)
    best, overlap = None, 0.0
    for other in body:
        o = min(box.bottom, _box(other).bottom) - max(box.top, _box(other).top)
        if o > overlap:
            best, overlap = other, o
    return best if overlap > SHARED.level_overlap * box.height else None


def _furniture_face(line: Line, size: float) -> bool:
    bold = line.font is not None and line.font.bold
    return (
        _size(line) <= SHARED.not_larger * size
        and not bold
        and len(line.text.strip()) <= SHARED.max_furniture
    )


def _furniture_reason(line: Line, band: str) -> str:
    kind = "page number" if is_folio(line.text) else "running head"
    return f"{kind}: {band} band, set apart from the body"


def _body_size(lines: Sequence[Line]) -> float:
    return statistics.median(_size(line) for line in lines)


def _size(line: Line) -> float:
    if line.font is not None and line.font.size > 0:
        return line.font.size
    return _box(line).height


def _gap(above: Line, below: Line) -> float:
    return _box(below).top - _box(above).bottom


def _box(line: Line) -> BBox:
    assert line.bbox is not None
    return line.bbox
