"""Thin glyphs the recogniser dropped: 一, 二 and 三, mostly on 1-bit scans.

On a 1-bit page the strokes of 一, 二 and 三 keep a few pixels of horizontal bar, often broken,
and the recogniser reads ``下一步`` as ``下步`` and ``二是`` as ``是`` (1-bit TIFFs of nine
generated sets: 396 一 read where 428 were printed). Where it drops one, its neighbours stand
two pitches apart, and the gap it leaves reads as a headline's end (b011632 ``会议下步，全区``).
The glyph's place still shows: between its neighbours lies ink that is nothing but one, two
or three thin horizontal bars. That gap gets its glyph back, and the line declares the repair
``restore_thin_glyph``. A dash is longer than a glyph and a rule longer still; specks are
neither wide nor level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.layout.ink import ink_mask, to_gray
from bulletin_ocr.model import BodyInk
from bulletin_ocr.repair.chars import is_cjk

REPAIR = "restore_thin_glyph"
DASHES = "—―─–-_~～"
DOTS = "。．.，,、"
BARS = {1: "一", 2: "二", 3: "三"}
# Neighbours' centres this many of the page's pitches apart leave room for a glyph between.
ROOM = 1.6
# A bar is at most this tall and its ink, bars together, this wide (ems: the page's pitch):
# 一 measures 0.05-0.12 em by 0.8-0.9, a dash 1 em or 2.
THIN, NARROWEST, WIDEST = 0.2, 0.15, 1.1
# Each bar reaches at least this wide (ems) and this many times its height: a speck or a
# broken 。 is neither.
BAR_WIDTH, BAR_ASPECT = 0.08, 1.3
# Columns of paper this wide part one glyph's ink from the next's (ems).
PARTING = 0.04
# One bar stands in the middle of the line's ink: its centre within this share of the ink
# height from the middle.
LEVEL = 0.2


def restore_thin_glyphs(image: Any, groups: Sequence[Sequence[Glyph]], body: BodyInk
                        ) -> list[list[Glyph]]:
    """The glyphs of each recognised box, with a thin glyph put back in each gap between two
    that holds one (``Glyph.restored``)."""
    if body.pitch <= 0:
        return [list(group) for group in groups]
    gray = to_gray(image)
    return [_restored(gray, group, body.pitch) for group in groups]


def _restored(gray: Any, group: Sequence[Glyph], pitch: float) -> list[Glyph]:
    glyphs: list[Glyph] = []
    for index, glyph in enumerate(group):
        glyphs.append(glyph)
        if index + 1 < len(group):
            found = _bars_between(gray, glyph, group[index + 1], pitch)
            if found is not None:
                text, x0, x1 = found
                glyphs.append(replace(glyph, text=text, x0=x0, x1=x1, ink=None, restored=REPAIR))
    return glyphs


def _bars_between(gray: Any, left: Glyph, right: Glyph, pitch: float
                  ) -> tuple[str, float, float] | None:
    """The glyph of bars standing alone between ``left`` and ``right``, and its extent; None
    where the two stand too close for one, or anything else lies between them."""
    import numpy as np

    if left.text in BARS.values() or right.text in BARS.values() or not is_cjk(right.text[:1]):
        # A bar glyph beside, placed by the decoder a little off, puts its own bars in the
        # gap; a mark after it (。 （) is placed by the decoder at a point, its ink anywhere.
        return None
    if left.text[-1:] in DASHES or left.text[-1:] in DOTS:
        # A dash reaches into the gap with a bar of its own (——译者注); a full stop or comma
        # the decoder placed at a point may stand anywhere in it, its ring broken into bars.
        return None
    start, stop = round((left.x0 + left.x1) / 2), round((right.x0 + right.x1) / 2)
    if stop - start < ROOM * pitch:
        return None
    top, bottom = round(min(left.top, right.top)), round(max(left.bottom, right.bottom))
    crop = gray[max(0, top) : max(0, bottom), max(0, start) : max(0, stop)]
    if crop.size == 0:
        return None
    mask = ink_mask(crop)
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    runs = _column_runs(mask.any(axis=0), max(1, round(PARTING * pitch)))
    inner = [(a, b) for a, b in runs if a > 0 and b < mask.shape[1]]  # not the neighbours'
    while inner and not _thin(mask, inner[0], pitch):
        inner.pop(0)  # the rest of the glyph on the left
    while inner and not _thin(mask, inner[-1], pitch):
        inner.pop()  # the start of the glyph on the right
    if not inner or not all(_thin(mask, run, pitch) for run in inner):
        return None
    lo, hi = inner[0][0], inner[-1][1]
    if not NARROWEST * pitch <= hi - lo <= WIDEST * pitch:
        return None
    bands = _row_runs(mask[:, lo:hi].any(axis=1))
    if not 1 <= len(bands) <= len(BARS) or any(b - a > THIN * pitch for a, b in bands):
        return None
    for a, b in bands:  # each a bar: wide, and far wider than tall (not a speck, not 。)
        inked = np.flatnonzero(mask[a:b, lo:hi].any(axis=0))
        width = int(inked[-1]) + 1 - int(inked[0])
        if width < BAR_WIDTH * pitch or width < BAR_ASPECT * (b - a):
            return None
    if not _level(bands, int(rows[0]), int(rows[-1]) + 1):
        return None
    return BARS[len(bands)], start + lo, start + hi


def _thin(mask: Any, run: tuple[int, int], pitch: float) -> bool:
    """Whether the ink of columns ``run`` lies in bands no taller than a bar."""
    return all(b - a <= THIN * pitch for a, b in _row_runs(mask[:, run[0] : run[1]].any(axis=1)))


def _level(bands: Sequence[tuple[int, int]], top: int, bottom: int) -> bool:
    """Whether the bars stand as 一 二 三 do in the line's ink from ``top`` to ``bottom``: one
    in the middle, two or three spread over its height."""
    height = bottom - top
    middles = [((a + b) / 2 - top) / height for a, b in bands]
    if len(bands) == 1:
        return abs(middles[0] - 0.5) <= LEVEL
    return middles[0] < 0.5 - LEVEL / 2 and middles[-1] > 0.5 + LEVEL / 2


def _column_runs(inked: Any, parting: int) -> list[tuple[int, int]]:
    """Runs of inked columns (start, stop) that fewer than ``parting`` blank ones join."""
    runs: list[tuple[int, int]] = []
    for column, ink in enumerate(inked):
        if not ink:
            continue
        if runs and column - runs[-1][1] < parting:
            runs[-1] = (runs[-1][0], column + 1)
        else:
            runs.append((column, column + 1))
    return runs


def _row_runs(inked: Any) -> list[tuple[int, int]]:
    """Runs of inked rows (start, stop)."""
    return _column_runs(inked, 1)
