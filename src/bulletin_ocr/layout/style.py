"""Typography measured from pixels: stroke width (bold), glyph size, ink colour, drawn rules.

A scan has no font names, but it shows the same evidence a PDF's fonts give: a headline set
in 黑体 or bold has strokes about a third thicker than the body's, a larger face has taller
glyphs, a masthead is printed in red above a red rule. These measures go into the glyphs'
``bold``/``size``/``color`` before they are chained into lines, so an OCR line gets the same
style runs (``Line.runs``) as a PDF line, and ``structure`` judges both alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise
from typing import Any

from bulletin_ocr.layout import words
from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.model import BBox
from bulletin_ocr.repair.chars import is_cjk

# Faux bold adds a stroke of ~2.5% of the em on each side of a glyph whose strokes are
# ~7% of the em: ratios of 1.3-1.5 against the body. Noise from scanning stays under 1.15
# on a line-long run (measured on the generated corpus scans).
BOLD_RATIO = 1.22
# Blur and binarisation thin a heavy face's strokes (黑体 measured 1.12-1.16 times the body
# on some corpus scans) but not its ink: a run whose strokes are somewhat heavier and whose
# glyphs hold this much more ink than the body's is bold too. Measured on 30 corpus scans,
# boxes of four or more Chinese glyphs: body text 0.91-1.12 (stroke) and 0.67-1.42 (ink,
# 1.19 at the 99th percentile); headlines 1.12-2.27 and 0.94-3.71.
HEAVIER = 1.08
MORE_INK = 1.3
# Body text's strokes measured at most this many times the page's usual (see above): a run
# heavier than that is no plain body, whatever steps down before it.
PLAIN = 1.12
# A bold run found by its ink as well as its strokes needs this many glyphs: per glyph, the
# ink varies with the character (一 against 警) far more than with the face.
MIN_BOLD_RUN = 4
# Judged against the body beside it, a bold run needs this many measured glyphs: shorter
# runs of plain text step down as much by chance (four glyphs of a body line did).
MIN_RELATIVE_RUN = 6
# A run whose ink stands this much taller than the page's usual (a face 1.15 times the body's
# measured 1.15-1.19 on corpus scans) and steps down to the usual height is a larger face.
TALLER = 1.1
# Two glyphs end a taller run when this share of the run stands TALLER and neither of them
# stands above BODY_HEIGHT times the usual height (a 1.15 face measured 1.13-1.19 and body
# glyphs after it 0.97-1.02 on corpus scans; a 1.15 face's 以 measured 0.89, its 强 1.04).
CLEAR_SHARE = 0.8
BODY_HEIGHT = 1.03
# Ink this many times the usual height shows a larger face even on one or two glyphs.
CLEARLY_LARGER = 1.5
# Glyphs whose ink stands less than this share of the usual height are flat by design.
FLAT = 0.8
# A step between neighbouring Chinese glyphs this many times the box's usual one is a gap:
# half an em after a headline makes 1.5, justification stays under 1.2.
GAP_STEP = 1.4
# A gap this many glyphs from a cut found by the ink may still be where the faces part.
GAP_REACH = 6
# A step this many times the box's usual one holds a gap of an em or more.
EM_GAP_STEP = 1.75
# Beside a cut found by the ink, a step this much wider than the box's usual one is the gap.
SNAP_STEP = 1.25
# Ink height of a Chinese glyph is about 0.9 em whatever its face; a larger face shows
# taller ink. Sizes within this share of the page's usual size are the usual size.
SAME_SIZE = 0.08
# A box opening with at most this many glyphs before a gap: a wrapped headline's last ones.
WRAPPED_TAIL = 3
# A change of face inside one recognised box needs runs of at least this many glyphs.
MIN_RUN = 2
# A run-in headline in a larger face (1.15 times the body in the corpus) ends with a gap:
# its pitch, the gap included, averages this much wider than the body's after it in the same
# box (a lower threshold let single misplaced glyphs of plain lines through).
LARGER_STEP = 1.25
# Height and pitch of a larger face agree within this (1.12 and 1.16 on a corpus scan).
DISAGREE = 0.12
# Fewer glyphs than this are too few to measure a face on.
MIN_MEASURED = 3
# A recognised box with fewer Chinese glyphs than this takes its style from its neighbours.
SMALL_BOX = 4
RED = "#cc0000"


@dataclass(frozen=True)
class Ink:
    """What the pixels of one glyph box show."""

    stroke: float
    """Mean stroke width in pixels (twice the ink area over its outline)."""
    height: float
    """Height of the ink in pixels."""
    red: bool
    area: int = 0
    """Number of ink pixels: a heavier face or a larger one leaves more ink per glyph."""


def to_gray(image: Any) -> Any:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def ink_mask(gray: Any) -> Any:
    """Dark pixels of a crop: Otsu's threshold, so faint and dark scans both work."""
    import cv2

    if gray.size == 0:
        return gray > 0
    _, mask = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask.astype(bool)


def stroke_width(mask: Any) -> float:
    """Twice the ink area over its outline: a stroke w wide and L long has area wL and an
    outline of about 2L.

    >>> import numpy as np
    >>> bar = np.zeros((20, 40), dtype=bool); bar[5:9, 2:38] = True
    >>> round(stroke_width(bar), 1)
    3.8
    """
    import numpy as np

    area = int(mask.sum())
    if area == 0:
        return 0.0
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    outline = area - int(np.count_nonzero(inner))
    return 2.0 * area / max(outline, 1)


def measure_ink(image: Any, gray: Any, box: BBox) -> Ink | None:
    """Stroke, height and colour of the ink inside ``box``; None when it holds none."""
    height, width = gray.shape[:2]
    x0, x1 = max(0, int(box.x0)), min(width, round(box.x1))
    top, bottom = max(0, int(box.top)), min(height, round(box.bottom))
    if x1 - x0 < 2 or bottom - top < 2:
        return None
    mask = ink_mask(gray[top:bottom, x0:x1])
    if not mask.any():
        return None
    top_row, bottom_row = _glyph_rows(mask.sum(axis=1))
    red = False
    if image.ndim == 3:
        pixels = image[top:bottom, x0:x1][mask].astype(float)
        blue, green, r = pixels[:, 0].mean(), pixels[:, 1].mean(), pixels[:, 2].mean()
        red = r - max(green, blue) >= 50
    return Ink(stroke_width(mask), float(bottom_row - top_row + 1), red, int(mask.sum()))


# Blank rows this share of the box apart part a speck of the scan's noise from the glyph.
SPECK_GAP = 0.08
# ... and a part with less than this share of the ink is the speck.
SPECK_INK = 0.04


def _glyph_rows(ink_per_row: Any) -> tuple[int, int]:
    """The first and last row of the glyph's ink: rows of specks that stand apart from it
    at the top or bottom of the box left out (a degraded scan's dots made a body glyph
    measure four tenths taller than it is). A glyph's own dots (文, 计) touch it or nearly.

    >>> import numpy as np
    >>> _glyph_rows(np.array([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 30, 20, 30, 12, 0]))
    (10, 14)
    >>> _glyph_rows(np.array([0, 6, 0, 9, 30, 20, 30, 12, 0]))
    (1, 7)
    """
    import numpy as np

    rows = np.flatnonzero(ink_per_row)
    gap = max(3, int(SPECK_GAP * len(ink_per_row)))
    breaks = np.flatnonzero(np.diff(rows) > gap)
    parts = np.split(rows, breaks + 1)
    total = float(ink_per_row.sum())
    while len(parts) > 1 and ink_per_row[parts[0]].sum() < SPECK_INK * total:
        parts.pop(0)
    while len(parts) > 1 and ink_per_row[parts[-1]].sum() < SPECK_INK * total:
        parts.pop()
    return int(parts[0][0]), int(parts[-1][-1])


def style_glyphs(image: Any, groups: Sequence[Sequence[Glyph]]) -> list[list[Glyph]]:
    """The glyphs of each recognised box with ``bold``, ``size`` and ``color`` from pixels.

    Boldness is judged against the page's usual stroke, per run: a box may hold a bold
    run-in headline and its body with no gap between them, so each box is split where its
    stroke profile changes most (at a glyph boundary), and each side judged as a whole.
    """
    gray = to_gray(image)
    # Only Chinese glyphs are measured: digits and Latin letters have other proportions (a
    # serif "App" looks heavier than thin 仿宋 strokes); they take the style of their run.
    inks = [
        [measure_ink(image, gray, _box(g)) if _is_chinese(g) else None for g in group]
        for group in groups
    ]
    strokes = [i.stroke for row in inks for i in row if i is not None]
    heights = [i.height for row in inks for i in row if i is not None]
    areas = [i.area for row in inks for i in row if i is not None]
    if not strokes:
        return [list(group) for group in groups]
    pitches = [p for group in groups for p in _pitches(group)]
    usual = _Usual(
        stroke=statistics.median(strokes),
        height=statistics.median(heights),
        area=statistics.median(areas),
        em=statistics.median(g.size for group in groups for g in group),
        pitch=_typical_pitch(pitches) if pitches else 0.0,
    )
    styled = [_styled(list(group), row, usual) for group, row in zip(groups, inks, strict=True)]
    return _borrow_for_small_boxes(styled)


def _steps(glyphs: Sequence[Glyph]) -> list[tuple[int, float]]:
    """Each Chinese glyph's advance to the Chinese glyph after it, with the first one's index
    (pairs with digits, Latin or punctuation between them are left out)."""
    return [
        (i, b.x0 - a.x0)
        for i, (a, b) in enumerate(pairwise(glyphs))
        if _is_chinese(a) and _is_chinese(b)
    ]


def _pitches(glyphs: Sequence[Glyph]) -> list[float]:
    """Distances between neighbouring Chinese characters of one box: a larger face is set
    on a wider pitch (justification adds a little, the same on every line)."""
    return [step for _, step in _steps(glyphs)]


def _typical_pitch(pitches: Sequence[float]) -> float:
    """The mean step, gaps and overlaps left out: the recogniser places glyphs on a grid of a
    few pixels, so a line's steps alternate between two values (60 and 72 px) and a median
    picks one of them.

    >>> _typical_pitch([60.0, 72.0, 60.0, 72.0, 60.0, 72.0, 130.0])
    66.0
    """
    middle = statistics.median(pitches)
    kept = [p for p in pitches if 0.6 * middle <= p <= GAP_STEP * middle]
    return statistics.fmean(kept or pitches)


def _borrow_for_small_boxes(groups: list[list[Glyph]]) -> list[list[Glyph]]:
    """A box of a few Chinese glyphs (``一、`` or ``（二）区信`` boxed apart from the rest of
    its headline, a page number) is too small to measure: it takes the style of a box beside
    it on its row, or the body's."""
    result = []
    for group in groups:
        if _measurable(group) or not group:
            result.append(group)
            continue
        first = group[0]
        row = [
            other
            for other in groups
            if other is not group and _measurable(other)
            and first.top <= other[0].middle <= first.bottom
        ]
        if not row:
            result.append([replace(g, bold=False, color=None) for g in group])
            continue
        model = _model_for_small_box(group, row)
        if model is None:
            result.append([replace(g, bold=False, color=None) for g in group])
            continue
        result.append(
            [replace(g, bold=model.bold, size=model.size, color=model.color) for g in group]
        )
    return result


def _measurable(group: Sequence[Glyph]) -> bool:
    """Enough Chinese glyphs to judge a face on: three of them varied too much (二 is flat,
    a blurred 黑体 stroke can measure light on one glyph in three)."""
    return sum(1 for glyph in group if _is_chinese(glyph)) >= SMALL_BOX


def _model_for_small_box(group: Sequence[Glyph], row: Sequence[Sequence[Glyph]]) -> Glyph | None:
    """Whose style a small box takes: the box after it on its row (``一、`` is boxed apart
    from its headline), else the box before it when no gap parts them; None (the body's)
    for a box standing a gap after the last one, which the detector parted from a run-in
    headline: the start of the paragraph (``11月`` of ``11月4日``)."""
    after = [other for other in row if other[0].x0 >= group[-1].x1]
    if after:
        return min(after, key=lambda other: other[0].x0 - group[-1].x1)[0]
    before = max(row, key=lambda other: other[-1].x1)
    gap = group[0].x0 - before[-1].x1
    return before[-1] if gap < max(g.size for g in group) else None


@dataclass(frozen=True)
class _Usual:
    """The page's body type: its stroke and ink height in pixels, its em."""

    stroke: float
    height: float
    em: float
    pitch: float
    area: float = 0.0


def _is_chinese(glyph: Glyph) -> bool:
    return len(glyph.text) == 1 and is_cjk(glyph.text)


def _box(glyph: Glyph) -> BBox:
    return BBox(glyph.x0, glyph.top, glyph.x1, glyph.bottom)


def _styled(glyphs: list[Glyph], inks: list[Ink | None], usual: _Usual) -> list[Glyph]:
    known = [(i, ink) for i, ink in enumerate(inks) if ink is not None]
    if not known:
        return glyphs
    boundary, cue = _face_boundary(glyphs, known, usual)
    cuts = [0, len(glyphs)] if boundary is None else [0, boundary, len(glyphs)]
    styled = list(glyphs)
    for start, stop in pairwise(cuts):
        segment = [ink for i, ink in known if start <= i < stop]
        if not segment:
            continue
        bold = _is_bold(segment, usual)
        if cue == "strokes" and start == 0 and not bold:
            bold = _heavier_than_its_body(segment, [k for i, k in known if i >= stop], usual)
        ratio = _run_size(glyphs, start, stop, segment, usual, cue)
        if bold:
            # A heavy face never passes for small print: 楷体 and some 黑体 leave shorter ink
            # than the body's 宋体 at the same size.
            ratio = max(ratio, 1.0)
        red = sum(ink.red for ink in segment) * 2 > len(segment)
        # One size for the body type of the page, so that the body face is one face; but
        # the last glyph or two of a wrapped headline, parted from the body by a gap, keep
        # what they measured: too few to show their face, they show where it ended.
        tail = cue in ("gap", "pitch") and start == 0 and 0 < stop <= WRAPPED_TAIL
        same = abs(ratio - 1) <= SAME_SIZE and not (tail and ratio > 1)
        size = usual.em if same else usual.em * ratio
        for index in range(start, stop):
            styled[index] = replace(
                glyphs[index], bold=bold, size=round(size, 1), color=RED if red else None
            )
    return styled


def _face_boundary(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: _Usual
) -> tuple[int | None, str]:
    """Where the box turns from a headline's face to the body's, and the cue that shows it
    (``""`` when none does): strokes or stroke times ink (snapped to a gap beside the cut), a
    gap alone, taller ink, a wider pitch; the first that finds one."""
    cut = _heavier_then_lighter(known)
    if cut is not None:
        return _gap_parting_faces(glyphs, known, cut, _stroke) or _whole_words(
            glyphs, _snap_to_gap(glyphs, cut)
        ), "strokes"
    cut = _bold_then_plain(known, usual)
    if cut is not None:
        return _gap_parting_faces(glyphs, known, cut, _weight) or _whole_words(
            glyphs, _snap_to_gap(glyphs, cut)
        ), "ink"
    cut = _gap_after_run(glyphs)
    if cut is None:
        cut = _lone_glyph_before_gap(glyphs, known)
    if cut is not None:
        return cut, "gap"
    cut = _taller_then_body(glyphs, known, usual)
    if cut is not None:
        return _whole_words(glyphs, cut), "height"
    cut = _wider_then_narrower(glyphs) if usual.pitch > 0 else None
    return (_whole_words(glyphs, cut), "pitch") if cut is not None else (None, "")


def _whole_words(glyphs: Sequence[Glyph], cut: int) -> int:
    """``cut`` moved to where the body's opening words begin (a date, ``截至``) when they
    begin a few glyphs from it, else on to the end of the word it falls inside; unless a gap
    marks it. A headline never ends inside a word, and the ink of single glyphs is a noisy
    measure."""
    if cut in _widened_steps(glyphs):
        return cut
    offsets = list(accumulate((len(glyph.text) for glyph in glyphs), initial=0))
    text = "".join(glyph.text for glyph in glyphs)
    opener = words.body_opener_near(text, offsets[cut])
    if opener is not None and opener in offsets:
        return offsets.index(opener)
    end = words.end_of_word_at(text, offsets[cut])
    return offsets.index(end) if end in offsets else cut


def _run_size(
    glyphs: Sequence[Glyph],
    start: int,
    stop: int,
    inks: Sequence[Ink],
    usual: _Usual,
    cue: str,
) -> float:
    """How much larger than the body the glyphs ``start:stop`` of the box are set."""
    tall = [ink.height for ink in inks if ink.height >= FLAT * usual.height]
    by_height = statistics.median(tall) / usual.height if tall and usual.height > 0 else None
    if cue == "pitch" and start == 0:
        # Found by its pitch: a run of two or three glyphs shows its face by that pitch and by
        # its ink together; either alone misread a 1.15 face at 0.98 or 1.09.
        pitches = _pitches(glyphs[start:stop])
        ratios = [_typical_pitch(pitches) / usual.pitch] if len(pitches) >= 2 else []
        ratios += [by_height] if by_height is not None else []
        return statistics.fmean(ratios) if ratios else 1.0
    if cue == "height" and start == 0 and by_height is not None:
        # Found by its taller ink: OCR's glyph positions, quantised to a few pixels, give a
        # pitch that may say the body's size and would veto what the ink shows.
        return statistics.median(ink.height for ink in inks) / usual.height
    if cue == "gap" and start == 0 and len(inks) < MIN_MEASURED and by_height is not None:
        # The last glyph or two of a wrapped headline, before the gap: their ink is all there
        # is to measure.
        return by_height
    # The body after a run-in headline is spread by the same justification as the headline:
    # its pitch is the measure of theirs.
    after = _pitches(glyphs[stop:]) if start == 0 and cue else []
    body_pitch = _typical_pitch(after) if len(after) >= 2 else None
    return _size_ratio(glyphs[start:stop], inks, usual, body_pitch)


def _is_bold(inks: Sequence[Ink], usual: _Usual) -> bool:
    """Clearly heavier strokes than the page's usual ones, or heavier strokes and more ink.

    >>> usual = _Usual(stroke=4.0, height=50.0, em=60.0, pitch=62.0, area=900.0)
    >>> _is_bold([Ink(5.0, 50.0, False, 950)] * 3, usual)
    True
    >>> _is_bold([Ink(4.5, 50.0, False, 1250)] * 3, usual)
    True
    >>> _is_bold([Ink(4.5, 50.0, False, 1000)] * 3, usual)
    False
    """
    stroke = statistics.median(ink.stroke for ink in inks) / usual.stroke
    ink = statistics.median(ink.area for ink in inks) / usual.area if usual.area else 1.0
    return stroke >= BOLD_RATIO or (stroke >= HEAVIER and ink >= MORE_INK)


def _heavier_than_its_body(head: Sequence[Ink], body: Sequence[Ink], usual: _Usual) -> bool:
    """A run whose strokes step down clearly to plain body glyphs in the same box is bold when
    it is at least somewhat heavier than the page's usual stroke: the body beside it is the
    measure that shares its blur and threshold."""
    if len(head) < MIN_RELATIVE_RUN or not body or _is_bold(body, usual):
        return False
    return statistics.median(ink.stroke for ink in head) >= HEAVIER * usual.stroke


def _size_ratio(
    glyphs: Sequence[Glyph], inks: Sequence[Ink], usual: _Usual, body_pitch: float | None = None
) -> float:
    """How much larger than the body the run is set: the mean of what the height of its
    tall glyphs (flat ones like 一 and punctuation say nothing) and its pitch show (against
    ``body_pitch`` where the body beside it in the same line gives one), or the lesser when
    they disagree."""
    ratios = []
    tall = [ink.height for ink in inks if ink.height >= 0.6 * usual.height]
    if tall and usual.height > 0 and len(tall) < MIN_MEASURED:
        # One or two glyphs vary too much to tell a size a few tenths larger, but not one
        # half again as large: a two-glyph masthead title (``简报``) boxed alone.
        ratio = statistics.median(tall) / usual.height
        if ratio >= CLEARLY_LARGER:
            return ratio
    if len(tall) >= MIN_MEASURED and usual.height > 0:
        ratios.append(statistics.median(tall) / usual.height)
    pitches = _pitches(glyphs)
    # Justification spreads a line holding digits or Latin words: its pitch says nothing.
    spread = any(ch.isascii() and ch.isalnum() for glyph in glyphs for ch in glyph.text)
    if len(pitches) >= MIN_MEASURED and body_pitch:
        ratios.append(_typical_pitch(pitches) / body_pitch)
    elif len(pitches) >= MIN_MEASURED and usual.pitch > 0 and not spread:
        ratios.append(_typical_pitch(pitches) / usual.pitch)
    if not ratios:
        return 1.0
    if max(ratios) - min(ratios) > DISAGREE:
        # A short line of a narrow column is spread wide by justification: its pitch shows a
        # larger face its glyphs do not have.
        return min(ratios)
    return sum(ratios) / len(ratios)


def _heavier_then_lighter(known: Sequence[tuple[int, Ink]]) -> int | None:
    """The glyph after the last heavy one, if heavy strokes clearly give way to light ones.

    Digits and punctuation between the two faces go with the body: a run-in headline seldom
    ends in a number, and the paragraph after it often begins with a date (``5月12日``).
    """
    strokes = [ink.stroke for _, ink in known]
    cut = _change_point(strokes, BOLD_RATIO)
    if cut is None:
        return None
    return known[_lone_light_end(strokes, cut) - 1][0] + 1


def _lone_light_end(strokes: Sequence[float], cut: int) -> int:
    """The cut moved on one glyph when only the last glyph of the box is light: a change
    point leaves two glyphs after it at least, so a headline that fills its line but for
    the body's first glyph (``…长效机制下`` / ``一步，``) lost its last glyph to the body.

    >>> _lone_light_end([7.0, 7.2, 6.9, 7.1, 7.3, 4.0], 4)
    5
    >>> _lone_light_end([7.0, 7.2, 6.9, 7.1, 4.2, 4.0], 4)
    4
    """
    if len(strokes) - cut != MIN_RUN:
        return cut
    head = statistics.median(strokes[:cut])
    first, last = strokes[cut], strokes[cut + 1]
    if first >= head / HEAVIER and last * BOLD_RATIO <= head:
        return cut + 1
    return cut


def _bold_then_plain(known: Sequence[tuple[int, Ink]], usual: _Usual) -> int | None:
    """The glyph after a bold run that opens the box, where strokes alone do not step down
    clearly (blurred 黑体): the cut where stroke times ink steps down most, taken when the
    run before it is bold and the rest is not."""
    weights = [ink.stroke * ink.area for _, ink in known]
    cut = _change_point(weights, 1.0, min_run=MIN_BOLD_RUN)
    if cut is None:
        return None
    head, tail = [ink for _, ink in known[:cut]], [ink for _, ink in known[cut:]]
    if len(tail) < MIN_BOLD_RUN or not _is_bold(head, usual) or _is_bold(tail, usual):
        return None
    # Heavier than the body beside it too: a line set a little heavier than the page's usual
    # (scanned darker) passes the page's measure on a run of complex characters. And the
    # rest plain: light glyphs (三 of ``以“三强化”推动``) pull a 黑体 run's weight down.
    strokes = [statistics.median(ink.stroke for ink in run) for run in (head, tail)]
    if strokes[0] < HEAVIER * strokes[1] or strokes[1] > PLAIN * usual.stroke:
        return None
    return known[cut - 1][0] + 1


def _stroke(ink: Ink) -> float:
    return ink.stroke


def _weight(ink: Ink) -> float:
    return ink.stroke * ink.area


def _gap_parting_faces(
    glyphs: Sequence[Glyph],
    known: Sequence[tuple[int, Ink]],
    boundary: int,
    measure: Callable[[Ink], float],
) -> int | None:
    """A wide gap near a cut found by the ink, with heavier glyphs before it than after it:
    the headline's real end. Two very heavy glyphs (村人 in a blurred 黑体 run) pull a
    least-squares cut to them from a gap five glyphs on."""
    parting = []
    for gap in _wide_gaps(glyphs):
        head = [measure(ink) for i, ink in known if i < gap]
        tail = [measure(ink) for i, ink in known if i >= gap]
        if len(head) >= MIN_RUN and tail and (
            statistics.median(head) >= HEAVIER * statistics.median(tail)
        ):
            parting.append(gap)
    near = [gap for gap in parting if abs(gap - boundary) <= GAP_REACH]
    return min(near, key=lambda gap: abs(gap - boundary)) if near else None


def _wide_gaps(glyphs: Sequence[Glyph]) -> list[int]:
    """The glyphs that stand a gap apart from the Chinese glyph before them."""
    return [index for index, ratio in _widened_steps(glyphs).items() if ratio >= GAP_STEP]


def _snap_to_gap(glyphs: Sequence[Glyph], boundary: int) -> int:
    """``boundary`` moved to a gap within two glyphs of it: the ink of single glyphs is a
    noisy measure, the gap after a headline an exact one."""
    widened = _widened_steps(glyphs)
    near = [(step, -abs(index - boundary), index) for index, step in widened.items()
            if abs(index - boundary) <= 2]
    return max(near)[2] if near else boundary


def _widened_steps(glyphs: Sequence[Glyph]) -> dict[int, float]:
    """The glyphs that stand a little apart from the Chinese glyph before them (index: how
    many times the box's usual step): where a cut found by the ink is snapped to. Less than
    a gap alone needs: half an em after a larger face measured 1.33 times a step spread by
    justification."""
    steps = _steps(glyphs)
    if len(steps) < MIN_MEASURED:
        return {}
    usual = statistics.median(step for _, step in steps)
    return {i + 1: step / usual for i, step in steps if step >= SNAP_STEP * usual}


def _taller_then_body(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: _Usual
) -> int | None:
    """The glyph after a run of taller ink that opens the box, where the glyphs after it are
    the page's usual height: a larger face run in with no gap, which justification gives
    the body's pitch (the ink is the one thing that shows it)."""
    # Flat glyphs (二, 一, 以) are short in any face: a few of them after a tall run are no
    # step down to the body.
    tall = [(i, ink) for i, ink in known if ink.height >= FLAT * usual.height]
    heights = [ink.height for _, ink in tall]
    cut = _change_point(heights, TALLER, min_run=MIN_RELATIVE_RUN)
    if cut is None or usual.height <= 0:
        return None
    head = statistics.median(heights[:cut]) / usual.height
    tail = statistics.median(heights[cut:]) / usual.height
    if head < TALLER or tail > 1 + SAME_SIZE:
        return None
    boundary = tall[cut - 1][0] + 1
    if len(heights) - cut < MIN_MEASURED and not (
        boundary in _widened_steps(glyphs) or _cleanly_apart(heights[:cut], heights[cut:], usual)
    ):
        return None
    return boundary


def _cleanly_apart(head: Sequence[float], tail: Sequence[float], usual: _Usual) -> bool:
    """Two glyphs after a taller run are too few to show a step down by their median: they
    do when nearly all of the run stands clearly taller and both stand at the body's height
    (``以`` after ``区市场监管局`` is a short glyph of the same face, not the body's)."""
    taller = sum(1 for height in head if height >= TALLER * usual.height)
    return taller >= CLEAR_SHARE * len(head) and max(tail) <= BODY_HEIGHT * usual.height


def _gap_after_run(glyphs: Sequence[Glyph]) -> int | None:
    """The glyph after a wide gap inside a box, with a run of glyphs before and after it:
    justified Chinese text has none, so it is where a run-in headline ends (its face is then
    judged on each side). The recogniser often reads such a line as one box."""
    steps = _steps(glyphs)
    if len(steps) < MIN_MEASURED:
        return None
    usual = statistics.median(pitch for _, pitch in steps)
    # At least MIN_BOLD_RUN glyphs before the gap, MIN_MEASURED after it; or, about a gap of
    # an em or more (never a justified line's), the two glyphs that end a wrapped headline,
    # or the last glyph or two of the box.
    wide = [
        k for k, (_, pitch) in enumerate(steps)
        if (
            pitch >= GAP_STEP * usual
            and MIN_BOLD_RUN <= k + 1 <= len(steps) - MIN_MEASURED + 1
        )
        or (pitch >= EM_GAP_STEP * usual and k + 1 >= MIN_RUN)
    ]
    return steps[wide[0]][0] + 1 if len(wide) == 1 else None


def _lone_glyph_before_gap(glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]]) -> int | None:
    """1 where the box opens with one glyph, heavier or taller than the rest, an em or more
    before the next: the last glyph of a wrapped headline (``议`` / ``副区长…``). One glyph's
    place alone is too weak a sign; its ink must agree."""
    steps = _steps(glyphs)
    if len(steps) < MIN_MEASURED or steps[0][0] != 0 or not known or known[0][0] != 0:
        return None
    usual = statistics.median(step for _, step in steps)
    rest = [ink for i, ink in known if i > 0]
    if steps[0][1] < EM_GAP_STEP * usual or len(rest) < MIN_MEASURED:
        return None
    first = known[0][1]
    heavier = first.stroke >= BOLD_RATIO * statistics.median(ink.stroke for ink in rest)
    taller = first.height >= TALLER * statistics.median(ink.height for ink in rest)
    return 1 if heavier or taller else None


def _wider_then_narrower(glyphs: Sequence[Glyph]) -> int | None:
    """The glyph where a wider pitch (a larger face) gives way to the body's, if it does."""
    # The last headline glyph's advance includes the gap after it.
    steps = _steps(glyphs)
    if len(steps) < 2 * MIN_MEASURED:
        return None  # a narrow column's few steps: OCR's positions vary as much as that
    cut = _change_point([pitch for _, pitch in steps], LARGER_STEP)
    # The last wide step starts at the headline's last glyph.
    return steps[cut - 1][0] + 1 if cut is not None else None


def _change_point(
    values: Sequence[float], threshold: float, min_run: int = MIN_RUN
) -> int | None:
    """Where a sequence of stroke widths steps down: heavy glyphs, then light.

    The cut is the one that best explains the sequence as two levels (least squared error),
    taken when the first level is at least ``threshold`` times the second. The largest ratio
    alone favoured cuts that leave one or two light glyphs at the end of a long heavy run.

    >>> _change_point([6.0, 6.2, 5.9, 6.1, 4.1, 4.0, 4.2, 3.9, 4.1], 1.22)
    4
    >>> _change_point([4.0, 4.2, 3.9, 4.1, 4.0], 1.22) is None
    True
    >>> _change_point([6.0, 6.0, 6.0, 6.0, 6.0, 4.2, 4.0, 4.1, 4.0, 3.2, 3.0], 1.22)
    5
    """
    n = len(values)
    if n < min_run + MIN_RUN:
        return None
    sums, squares = [0.0], [0.0]
    for value in values:
        sums.append(sums[-1] + value)
        squares.append(squares[-1] + value * value)

    def error(lo: int, hi: int) -> float:
        total = sums[hi] - sums[lo]
        return squares[hi] - squares[lo] - total * total / (hi - lo)

    best: int | None = None
    best_error = float("inf")
    for k in range(min_run, n - MIN_RUN + 1):
        if sums[k] / k <= (sums[n] - sums[k]) / (n - k):
            continue  # light, then heavy: not a headline's end
        cost = error(0, k) + error(k, n)
        if cost < best_error:
            best, best_error = k, cost
    if best is None:
        return None
    tail = (sums[n] - sums[best]) / (n - best)
    if tail <= 0 or sums[best] / best < threshold * tail:
        return None
    return _nearer_median(values, best, min_run)


def _nearer_median(values: Sequence[float], cut: int, min_run: int) -> int:
    """The cut moved by one glyph where the glyph beside it is nearer the other side's median:
    the means that place the cut are pulled by single glyphs (a light 局 ending a 黑体 run).

    >>> _nearer_median([6.0, 6.1, 5.9, 6.2, 5.1, 4.0, 4.1, 3.9], 4, 2)
    5
    """
    head, tail = statistics.median(values[:cut]), statistics.median(values[cut:])
    first, last = values[cut], values[cut - 1]
    if cut + 1 <= len(values) - MIN_RUN and abs(first - head) < abs(first - tail):
        return cut + 1
    if cut - 1 >= min_run and abs(last - tail) < abs(last - head):
        return cut - 1
    return cut


def find_rules(image: Any) -> list[tuple[BBox, str | None]]:
    """Long horizontal rules printed on the page (pixels), with their colour.

    Morphological opening with a kernel a fifth of the page wide keeps only straight
    horizontal ink; text, even a long row of it, has gaps and vertical strokes.
    """
    import cv2
    import numpy as np

    gray = to_gray(image)
    height, width = gray.shape[:2]
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 5), 1))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened)
    rules = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if h > height // 50:
            continue  # a filled block, not a rule
        box = BBox(float(x), float(y), float(x + w), float(y + h))
        colour = None
        if image.ndim == 3:
            region = image[y : y + h, x : x + w][opened[y : y + h, x : x + w] > 0]
            if len(region):
                blue, green, red = (float(np.mean(region[:, c])) for c in range(3))
                colour = RED if red - max(green, blue) >= 50 else "#000000"
        rules.append((box, colour))
    return rules
