"""Faces judged on a scanned page's measured ink: which glyphs are bold, larger or red, and
where a run-in headline's face ends inside a recognised box.

Layout measures each glyph's ink and the page's usual body values (``layout.ink``:
``Glyph.ink``, ``BodyInk``); ``style_glyphs`` judges the faces of each recognised box against
the body, and layout chains the judged glyphs into lines with the style runs (``Line.runs``)
a PDF line gets from its fonts, so the rest of ``structure`` judges both alike. The judging
comes before the chaining: lines are chained on the judged sizes (``layout.ocr_lines``).

A box may hold a bold run-in headline and its body with no gap between them, so each box is
split where its profile changes most (at a glyph boundary), and each side judged as a whole.
Every number is in ``structure.thresholds`` (``SCAN_FACES``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise

from bulletin_ocr.layout.glyphs import FRAGMENT_GAP, Glyph
from bulletin_ocr.layout.ink import (
    PITCH_GAP,
    PITCH_OVERLAP,
    RED,
    is_chinese,
    median_height,
    typical_pitch,
)
from bulletin_ocr.layout.ink import pitches as glyph_pitches
from bulletin_ocr.layout.ink import steps as glyph_steps
from bulletin_ocr.model import BodyInk, Ink
from bulletin_ocr.structure import words
from bulletin_ocr.structure.thresholds import SCAN_FACES as T


@dataclass(frozen=True)
class Face:
    """How one glyph is judged to be set."""

    bold: bool
    size: float
    color: str | None = None
    gap_before: bool = False
    """A gap measured before the glyph parts a run-in headline's face from the body's."""


def style_glyphs(
    groups: Sequence[Sequence[Glyph]], body: BodyInk | None
) -> list[list[Glyph]]:
    """The glyphs of each recognised box with ``bold``, ``size`` and ``color`` judged on their
    measured ink (``Glyph.ink``) against the page's ``body``; as they are when nothing was
    measured (``body`` None)."""
    return [
        [
            replace(glyph, bold=face.bold, size=face.size, color=face.color,
                    gap_before=face.gap_before)
            for glyph, face in zip(group, faces, strict=True)
        ]
        for group, faces in zip(groups, style_boxes(groups, body), strict=True)
    ]


def style_boxes(groups: Sequence[Sequence[Glyph]], body: BodyInk | None) -> list[list[Face]]:
    """The face of every glyph of each recognised box (in the recogniser's order): judged
    against the page's ``body``, or as given where nothing was measured."""
    plain = [[Face(glyph.bold, glyph.size, glyph.color) for glyph in group] for group in groups]
    if body is None:
        return plain
    styled = [
        _styled(list(group), [_against_its_character(glyph, body) for glyph in group], body, faces)
        for group, faces in zip(groups, plain, strict=True)
    ]
    return _bold_between_bold_lines(groups, _borrow_for_small_boxes(groups, styled, body), body)


def _bold_between_bold_lines(
    groups: Sequence[Sequence[Glyph]], faces: Sequence[list[Face]], body: BodyInk
) -> list[list[Face]]:
    """A box judged plain throughout that stands between two bold boxes, just above and just
    below it across the same span, is the middle line of a wrapped bold headline when its
    strokes are heavier than the page's usual and as heavy as theirs: the three lines of one
    headline share a face and a scan's blur, and a line measured a little short of bold
    (b012575: 1.20 times the usual between lines of 1.22 and 1.26) split the headline in
    three."""
    result = [list(own) for own in faces]
    for index, group in enumerate(groups):
        own = _box_stroke(group)
        if own is None or any(face.bold for face in faces[index]):
            continue
        if own < T.heavier * body.stroke:
            continue
        above = _next_box(group, groups, upward=True)
        below = _next_box(group, groups, upward=False)
        if above is None or below is None:
            continue
        if not (faces[above] and faces[above][-1].bold and faces[below] and faces[below][0].bold):
            continue
        strokes = [_box_stroke(groups[other]) for other in (above, below)]
        theirs = [stroke for stroke in strokes if stroke is not None]
        if len(theirs) < 2 or own * T.heavier < min(theirs):
            continue
        result[index] = [replace(face, bold=True) for face in faces[index]]
    return result


def _box_stroke(group: Sequence[Glyph]) -> float | None:
    """The median stroke of a measurable box's Chinese glyphs; None for a box too small."""
    strokes = [glyph.ink.stroke for glyph in group if glyph.ink is not None and is_chinese(glyph)]
    return statistics.median(strokes) if _measurable(group) and strokes else None


def _next_box(
    group: Sequence[Glyph], groups: Sequence[Sequence[Glyph]], upward: bool
) -> int | None:
    """The measurable box on the row next above (``upward``) or below ``group``, within two of
    its ems and overlapping it across; None when there is none."""
    em = max(glyph.size for glyph in group)

    def distance(box: Sequence[Glyph]) -> float:
        return group[0].top - box[0].bottom if upward else box[0].top - group[0].bottom

    near = [
        other for other, box in enumerate(groups)
        if box is not group and _measurable(box) and 0 <= distance(box) <= T.above_reach * em
        and min(box[-1].x1, group[-1].x1) > max(box[0].x0, group[0].x0)
    ]
    return min(near, key=lambda other: distance(groups[other])) if near else None


def _against_its_character(glyph: Glyph, body: BodyInk) -> Ink | None:
    """The glyph's ink with its height scaled to what a glyph of the page's usual height
    would show, where the page tells its character's usual height (``BodyInk.char_heights``):
    a 1.15 face's 工 measured 0.82 times the usual and cut its headline short, its 通 of the
    body 1.10 ran on with it. Characters flatter than ``T.tall`` (一, 二) keep their
    measure: a pixel or two moves their ratio too far."""
    ink = glyph.ink
    height = body.char_heights.get(glyph.text) if ink is not None else None
    if ink is None or height is None or height < T.tall:
        return ink
    return replace(ink, height=ink.height / height)


def _borrow_for_small_boxes(
    groups: Sequence[Sequence[Glyph]], faces: Sequence[list[Face]], body: BodyInk
) -> list[list[Face]]:
    """A box of a few Chinese glyphs (``一、`` or ``（二）区信`` boxed apart from the rest of
    its headline, a page number) is too small to measure: it takes the style of a box beside
    it on its row; alone on its row, of the box just above it where its ink stands nearer
    that box's height than the body's (a wrapped headline's last glyphs, ``村振兴`` centred
    under ``强化”推动乡``, b012217); else the body's."""
    result = []
    for index, (group, own) in enumerate(zip(groups, faces, strict=True)):
        if _measurable(group) or not group:
            result.append(own)
            continue
        first = group[0]
        row = [
            other
            for other, beside in enumerate(groups)
            if other != index and _measurable(beside)
            and first.top <= beside[0].middle <= first.bottom
        ]
        model = _model_for_small_box(group, groups, row) if row else None
        if model is None:
            model = _box_above(group, groups, body)
        if model is None:
            result.append([replace(face, bold=False, color=None) for face in own])
            continue
        box, place = model
        face = faces[box][place]
        result.append([replace(g, bold=face.bold, size=face.size, color=face.color) for g in own])
    return result


def _box_above(
    group: Sequence[Glyph], groups: Sequence[Sequence[Glyph]], body: BodyInk
) -> tuple[int, int] | None:
    """The measurable box on the row just above ``group`` (within two of its ems, overlapping
    it across), and its last glyph, where ``group``'s ink stands nearer that box's height than
    the page's usual one; None otherwise."""
    own = median_height(group)
    nearest = _next_box(group, groups, upward=True)
    if own is None or nearest is None:
        return None
    theirs = median_height(groups[nearest])
    if theirs is None or abs(own - theirs) >= abs(own - body.height):
        return None
    return nearest, len(groups[nearest]) - 1


def _measurable(group: Sequence[Glyph]) -> bool:
    """Enough Chinese glyphs to judge a face on: three of them varied too much (二 is flat,
    a blurred 黑体 stroke can measure light on one glyph in three)."""
    return sum(1 for glyph in group if is_chinese(glyph)) >= T.small_box


def _model_for_small_box(
    group: Sequence[Glyph], groups: Sequence[Sequence[Glyph]], row: Sequence[int]
) -> tuple[int, int] | None:
    """Whose style a small box takes (the box among ``row``, and the glyph of it): the box
    after it on its row (``一、`` is boxed apart from its headline) within a line fragment's
    reach, else the box before it when no gap parts them; None for a box standing a gap after
    the last one, which the detector parted from a run-in headline: the start of the
    paragraph (``11月`` of ``11月4日``), and for a box whose row holds only the other
    column's line."""
    # Not a box a column's gutter away (the other column's line on the same row).
    reach = FRAGMENT_GAP * max(glyph.size for glyph in group)
    after = [box for box in row if 0 <= groups[box][0].x0 - group[-1].x1 <= reach]
    if after:
        return min(after, key=lambda box: groups[box][0].x0 - group[-1].x1), 0
    before = [box for box in row if groups[box][0].x0 < group[0].x0]
    if not before:
        return None
    nearest = max(before, key=lambda box: groups[box][-1].x1)
    gap = group[0].x0 - groups[nearest][-1].x1
    return (nearest, len(groups[nearest]) - 1) if gap < max(g.size for g in group) else None


def _styled(
    glyphs: Sequence[Glyph], inks: Sequence[Ink | None], usual: BodyInk, faces: list[Face]
) -> list[Face]:
    """``faces`` of one box's glyphs judged on their ``inks``: each side of the face
    boundary bold or not, its size, red or not."""
    known = [(i, ink) for i, ink in enumerate(inks) if ink is not None]
    if not known:
        return faces
    boundary, cue = _face_boundary(glyphs, known, usual)
    cuts = [0, len(glyphs)] if boundary is None else [0, boundary, len(glyphs)]
    styled = list(faces)
    for start, stop in pairwise(cuts):
        segment = [ink for i, ink in known if start <= i < stop]
        if not segment:
            continue
        bold = _is_bold(segment, usual)
        rest = [k for i, k in known if i >= stop]
        if cue == "strokes" and start == 0 and not bold:
            bold = _heavier_than_its_body(segment, rest, usual)
        elif cue == "gap" and start == 0 and not bold:
            bold = _fuller_than_its_body(segment, rest, usual)
        ratio = _run_size(glyphs, start, stop, segment, usual, cue)
        if bold:
            # A heavy face never passes for small print: 楷体 and some 黑体 leave shorter ink
            # than the body's 宋体 at the same size.
            ratio = max(ratio, 1.0)
        red = sum(ink.red for ink in segment) * 2 > len(segment)
        # One size for the body type of the page, so that the body face is one face; but
        # the last glyph or two of a wrapped headline, parted from the body by a gap, keep
        # what they measured: too few to show their face, they show where it ended.
        tail = cue in ("gap", "pitch") and start == 0 and 0 < stop <= T.wrapped_tail
        same = abs(ratio - 1) <= T.same_size and not (tail and ratio > 1)
        size = usual.em if same else usual.em * ratio
        for index in range(start, stop):
            styled[index] = Face(
                bold=bold, size=round(size, 1), color=RED if red else None,
                gap_before=cue == "gap" and index == boundary,
            )
    return styled


def _face_boundary(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: BodyInk
) -> tuple[int | None, str]:
    """Where the box turns from a headline's face to the body's, and the cue that shows it
    (``""`` when none does): strokes or stroke times ink (snapped to a gap beside the cut), a
    gap alone, taller ink, a wider pitch; the first that finds one. A gap inside a run of
    taller ink that goes on past it is a justified line's, not the headline's end: the ink
    after it is not yet the body's."""
    cut = _heavier_then_lighter(known)
    if cut is None:
        cut = _lone_light_last(glyphs, known, usual)
    if cut is not None:
        return _gap_parting_faces(glyphs, known, cut, _stroke) or _whole_words(
            glyphs, _snap_to_gap(glyphs, cut), known, _stroke
        ), "strokes"
    cut = _bold_then_plain(known, usual)
    if cut is not None:
        return _gap_parting_faces(glyphs, known, cut, _weight) or _whole_words(
            glyphs, _snap_to_gap(glyphs, cut), known, _weight
        ), "ink"
    cut = _gap_after_run(glyphs)
    if cut is None:
        cut = _lone_glyph_before_gap(glyphs, known)
    if cut is None:
        cut = _short_run_before_gap(glyphs, known)
    taller = _taller_then_body(glyphs, known, usual)
    if cut is not None and (taller is None or taller <= cut):
        return cut, "gap"
    if taller is not None:
        return _whole_words(glyphs, taller), "height"
    cut = _larger_then_body(glyphs, known, usual)
    if cut is not None:  # sized as a run found by its pitch: by its pitch and ink together
        return _whole_words(glyphs, cut), "pitch"
    cut = _wider_then_narrower(glyphs) if usual.pitch > 0 else None
    return (_whole_words(glyphs, cut), "pitch") if cut is not None else (None, "")


def _whole_words(
    glyphs: Sequence[Glyph],
    cut: int,
    known: Sequence[tuple[int, Ink]] = (),
    measure: Callable[[Ink], float] | None = None,
) -> int:
    """``cut`` moved to where the body's opening words begin (a date, ``截至``) when they
    begin a few glyphs from it, else on to the end of the word it falls inside; unless a gap
    marks it, or the glyphs it would move over all measure (by ``measure``) clearly lighter
    than the run before it. A headline never ends inside a word, and the ink of single glyphs
    is a noisy measure; but the dictionary's words are longer than a headline's last one may
    be (``创建活动`` of ``…文明城市创建`` / ``活动当天``), and two light glyphs are no noise."""
    if cut in _widened_steps(glyphs):
        return cut
    offsets = list(accumulate((len(glyph.text) for glyph in glyphs), initial=0))
    text = "".join(glyph.text for glyph in glyphs)
    opener = words.body_opener_near(text, offsets[cut])
    if opener is not None and opener in offsets:
        return offsets.index(opener)
    end = words.end_of_word_at(text, offsets[cut])
    if end not in offsets or _clearly_lighter(known, cut, offsets.index(end), measure):
        return cut
    return offsets.index(end)


def _clearly_lighter(
    known: Sequence[tuple[int, Ink]],
    cut: int,
    end: int,
    measure: Callable[[Ink], float] | None,
) -> bool:
    """Whether two glyphs or more lie between ``cut`` and ``end``, each measuring at most the
    run before ``cut`` over ``bold_ratio``: a change of face, not one glyph's noise."""
    if measure is None:
        return False
    head = [measure(ink) for index, ink in known if index < cut]
    between = [measure(ink) for index, ink in known if cut <= index < end]
    if len(head) < T.min_run or len(between) < T.min_run:
        return False
    level = statistics.median(head)
    return all(value * T.bold_ratio <= level for value in between)


def _run_size(
    glyphs: Sequence[Glyph],
    start: int,
    stop: int,
    inks: Sequence[Ink],
    usual: BodyInk,
    cue: str,
) -> float:
    """How much larger than the body the glyphs ``start:stop`` of the box are set."""
    tall = [ink.height for ink in inks if ink.height >= T.flat * usual.height]
    by_height = statistics.median(tall) / usual.height if tall and usual.height > 0 else None
    if cue == "pitch" and start == 0:
        # Found by its pitch: a run of two or three glyphs shows its face by that pitch and by
        # its ink together; either alone misread a 1.15 face at 0.98 or 1.09.
        pitches = glyph_pitches(glyphs[start:stop])
        ratios = [typical_pitch(pitches) / usual.pitch] if len(pitches) >= 2 else []
        ratios += [by_height] if by_height is not None else []
        return statistics.fmean(ratios) if ratios else 1.0
    if cue == "height" and start == 0 and by_height is not None:
        # Found by its taller ink: OCR's glyph positions, quantised to a few pixels, give a
        # pitch that may say the body's size and would veto what the ink shows.
        return statistics.median(ink.height for ink in inks) / usual.height
    if cue == "gap" and start == 0 and len(inks) < T.min_measured and by_height is not None:
        # The last glyph or two of a wrapped headline, before the gap: their ink is all there
        # is to measure.
        return by_height
    # The body after a run-in headline is spread by the same justification as the headline:
    # its pitch is the measure of theirs.
    after = glyph_pitches(glyphs[stop:]) if start == 0 and cue else []
    body_pitch = typical_pitch(after) if len(after) >= 2 else None
    return _size_ratio(glyphs[start:stop], inks, usual, body_pitch)


def _is_bold(inks: Sequence[Ink], usual: BodyInk) -> bool:
    """Clearly heavier strokes than the page's usual ones, or heavier strokes and more ink.

    >>> usual = BodyInk(stroke=4.0, height=50.0, em=60.0, pitch=62.0, area=900.0)
    >>> _is_bold([Ink(5.0, 50.0, False, 950)] * 3, usual)
    True
    >>> _is_bold([Ink(4.5, 50.0, False, 1250)] * 3, usual)
    True
    >>> _is_bold([Ink(4.5, 50.0, False, 1000)] * 3, usual)
    False
    """
    stroke = statistics.median(ink.stroke for ink in inks) / usual.stroke
    ink = statistics.median(ink.area for ink in inks) / usual.area if usual.area else 1.0
    return stroke >= T.bold_ratio or (stroke >= T.heavier and ink >= T.more_ink)


def _heavier_than_its_body(head: Sequence[Ink], body: Sequence[Ink], usual: BodyInk) -> bool:
    """A run whose strokes step down clearly to plain body glyphs in the same box is bold when
    it is at least somewhat heavier than the page's usual stroke: the body beside it is the
    measure that shares its blur and threshold."""
    if len(head) < T.min_relative_run or not body or _is_bold(body, usual):
        return False
    return statistics.median(ink.stroke for ink in head) >= T.heavier * usual.stroke


def _fuller_than_its_body(head: Sequence[Ink], body: Sequence[Ink], usual: BodyInk) -> bool:
    """A run a gap parts from plain body glyphs in the same box is a heavy face (黑体 at the
    body's size) when its ink stands taller and holds more than the body's beside it: a sans
    face fills its em where 仿宋 and 宋体 leave it open. On a grey scan 黑体's strokes measured
    no heavier than the page's usual (1.06), its ink 1.5 and its height 1.10 times, the body
    after its gap 1.08 and 0.96: the body beside it shares its blur and threshold, the page's
    usual (pulled up by the headlines of a short page) does not."""
    if len(head) < T.min_relative_run or len(body) < T.min_measured or _is_bold(body, usual):
        return False
    tall = [[ink.height for ink in run if ink.height >= T.flat * usual.height]
            for run in (head, body)]
    if len(tall[0]) < T.min_relative_run or len(tall[1]) < T.min_measured:
        return False
    taller = statistics.median(tall[0]) >= T.taller * statistics.median(tall[1])
    area = statistics.median(ink.area for ink in body)
    fuller = statistics.median(ink.area for ink in head) >= T.more_ink * area
    return taller and fuller


def _size_ratio(
    glyphs: Sequence[Glyph], inks: Sequence[Ink], usual: BodyInk, body_pitch: float | None = None
) -> float:
    """How much larger than the body the run is set: the mean of what the height of its
    tall glyphs (flat ones like 一 and punctuation say nothing) and its pitch show (against
    ``body_pitch`` where the body beside it in the same line gives one), or the lesser when
    they disagree."""
    ratios = []
    tall = [ink.height for ink in inks if ink.height >= T.tall * usual.height]
    if tall and usual.height > 0 and len(tall) < T.min_measured:
        # One or two glyphs vary too much to tell a size a few tenths larger, but not one
        # half again as large: a two-glyph masthead title (``简报``) boxed alone.
        ratio = statistics.median(tall) / usual.height
        if ratio >= T.clearly_larger:
            return ratio
    if len(tall) >= T.min_measured and usual.height > 0:
        ratios.append(statistics.median(tall) / usual.height)
    pitches = glyph_pitches(glyphs)
    # Justification spreads a line holding digits or Latin words: its pitch says nothing.
    spread = any(ch.isascii() and ch.isalnum() for glyph in glyphs for ch in glyph.text)
    if len(pitches) >= T.min_measured and body_pitch:
        ratios.append(typical_pitch(pitches) / body_pitch)
    elif len(pitches) >= T.min_measured and usual.pitch > 0 and not spread:
        ratios.append(typical_pitch(pitches) / usual.pitch)
    if not ratios:
        return 1.0
    if max(ratios) - min(ratios) > T.disagree:
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
    cut = _change_point(strokes, T.bold_ratio)
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
    if len(strokes) - cut != T.min_run:
        return cut
    head = statistics.median(strokes[:cut])
    first, last = strokes[cut], strokes[cut + 1]
    if first >= head / T.heavier and last * T.bold_ratio <= head:
        return cut + 1
    return cut


def _lone_light_last(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: BodyInk
) -> int | None:
    """The box's last glyph, when it alone is plain after a bold run: the body's first glyph
    on a line a run-in headline fills but for it (``…工作会议区`` / ``委…``). A change point
    needs two glyphs after it; one plain glyph pulled the mean of the last two (议 1.60, 区
    1.02 times the usual stroke) up to the run's own. Its strokes and its ink must both step
    down clearly from the run's, and it must be a tall Chinese glyph: flat ones (一, 二) and
    punctuation measure light in any face. Digits just before that glyph carry no ink to
    judge and go with it, as ``_heavier_then_lighter`` has them: the body opens with a date
    (``…工作会议7`` / ``月`` then ``25日，`` on the next line, b012936)."""
    if len(known) <= T.min_relative_run or known[-1][0] != len(glyphs) - 1:
        return None
    index, last = known[-1]
    head = [ink for _, ink in known[:-1]]
    if not is_chinese(glyphs[index]) or last.height < T.flat * usual.height:
        return None
    if not _is_bold(head, usual) or last.stroke > T.plain * usual.stroke:
        return None
    stroke = statistics.median(ink.stroke for ink in head)
    area = statistics.median(ink.area for ink in head)
    if last.stroke * T.bold_ratio > stroke or last.area * T.more_ink > area:
        return None
    while index > 0 and glyphs[index - 1].text.isdigit():
        index -= 1
    return index


def _bold_then_plain(known: Sequence[tuple[int, Ink]], usual: BodyInk) -> int | None:
    """The glyph after a bold run that opens the box, where strokes alone do not step down
    clearly (blurred 黑体): the cut where stroke times ink steps down most, taken when the
    run before it is bold and the rest is not."""
    weights = [ink.stroke * ink.area for _, ink in known]
    cut = _change_point(weights, 1.0, min_run=T.min_bold_run)
    if cut is None:
        return None
    head, tail = [ink for _, ink in known[:cut]], [ink for _, ink in known[cut:]]
    if len(tail) < T.min_bold_run or not _is_bold(head, usual) or _is_bold(tail, usual):
        return None
    # Heavier than the body beside it too: a line set a little heavier than the page's usual
    # (scanned darker) passes the page's measure on a run of complex characters. And the
    # rest plain: light glyphs (三 of ``以“三强化”推动``) pull a 黑体 run's weight down.
    strokes = [statistics.median(ink.stroke for ink in run) for run in (head, tail)]
    if strokes[0] < T.heavier * strokes[1] or strokes[1] > T.plain * usual.stroke:
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
        if len(head) >= T.min_run and tail and (
            statistics.median(head) >= T.heavier * statistics.median(tail)
        ):
            parting.append(gap)
    near = [gap for gap in parting if abs(gap - boundary) <= T.gap_reach]
    return min(near, key=lambda gap: abs(gap - boundary)) if near else None


def _wide_gaps(glyphs: Sequence[Glyph]) -> list[int]:
    """The glyphs that stand a gap apart from the Chinese glyph before them."""
    return [index for index, ratio in _widened_steps(glyphs).items() if ratio >= T.gap_step]


def _snap_to_gap(glyphs: Sequence[Glyph], boundary: int) -> int:
    """``boundary`` moved to a gap within two glyphs of it: the ink of single glyphs is a
    noisy measure, the gap after a headline an exact one."""
    widened = _widened_steps(glyphs)
    near = [(step, -abs(index - boundary), index) for index, step in widened.items()
            if abs(index - boundary) <= T.snap_reach]
    return max(near)[2] if near else boundary


def _widened_steps(glyphs: Sequence[Glyph]) -> dict[int, float]:
    """The glyphs that stand a little apart from the Chinese glyph before them (index: how
    many times the box's usual step): where a cut found by the ink is snapped to. Less than
    a gap alone needs: half an em after a larger face measured 1.33 times a step spread by
    justification."""
    steps = glyph_steps(glyphs)
    if len(steps) < T.min_measured:
        return {}
    usual = statistics.median(step for _, step in steps)
    return {i + 1: step / usual for i, step in steps if step >= T.snap_step * usual}


def _taller_then_body(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: BodyInk
) -> int | None:
    """The glyph after a run of taller ink that opens the box, where the glyphs after it are
    the page's usual height: a larger face run in with no gap, which justification gives
    the body's pitch (the ink is the one thing that shows it)."""
    # Flat glyphs (二, 一, 以) are short in any face: a few of them after a tall run are no
    # step down to the body.
    tall = [(i, ink) for i, ink in known if ink.height >= T.flat * usual.height]
    heights = [ink.height for _, ink in tall]
    cut = _change_point(heights, T.taller, min_run=T.min_relative_run)
    if cut is None:
        # Beside a widened step the ink need only step down from a taller run to the usual
        # height (checked below): a 1.15 face measured 1.14 times the usual, the three body
        # glyphs after its half-em gap 1.05, too close for the step down alone.
        cut = _change_point(heights, 1.0, min_run=T.min_relative_run)
        if cut is None or tall[cut - 1][0] + 1 not in _widened_steps(glyphs):
            return None
    if usual.height <= 0:
        return None
    cut = _shorter_by_one(heights, cut, usual)
    head = statistics.median(heights[:cut]) / usual.height
    tail = statistics.median(heights[cut:]) / usual.height
    if head < T.taller or tail > 1 + T.same_size:
        return None
    boundary = tall[cut - 1][0] + 1
    if len(heights) - cut < T.min_measured and not (
        boundary in _widened_steps(glyphs) or _cleanly_apart(heights[:cut], heights[cut:], usual)
    ):
        return None
    return boundary


def _shorter_by_one(heights: Sequence[float], cut: int, usual: BodyInk) -> int:
    """``cut`` one glyph earlier where the run it ends is the shortest a step may end
    (``min_relative_run``) and its last glyph stands at the body's height while the rest stand
    clearly taller: a run of one glyph fewer could not be cut, so the shortest cut took in
    the body's first glyph (``出坚实步伐`` / ``区农业…``: heights 1.09-1.24, then 0.97)."""
    if cut != T.min_relative_run or heights[cut - 1] > T.body_height * usual.height:
        return cut
    head = heights[: cut - 1]
    taller = sum(1 for height in head if height >= T.taller * usual.height)
    return cut - 1 if taller >= T.clear_share * len(head) else cut


def _cleanly_apart(head: Sequence[float], tail: Sequence[float], usual: BodyInk) -> bool:
    """Two glyphs after a taller run are too few to show a step down by their median: they
    do when nearly all of the run stands clearly taller and both stand at the body's height
    (``以`` after ``区市场监管局`` is a short glyph of the same face, not the body's)."""
    taller = sum(1 for height in head if height >= T.taller * usual.height)
    return taller >= T.clear_share * len(head) and max(tail) <= T.body_height * usual.height


def _gap_after_run(glyphs: Sequence[Glyph]) -> int | None:
    """The glyph after a wide gap inside a box, with a run of glyphs before and after it:
    justified Chinese text has none, so it is where a run-in headline ends (its face is then
    judged on each side). The recogniser often reads such a line as one box."""
    steps = glyph_steps(glyphs)
    if len(steps) < T.min_measured:
        return None
    usual = statistics.median(pitch for _, pitch in steps)
    # At least T.min_bold_run glyphs before the gap, T.min_measured after it; or, about a gap of
    # an em or more (never a justified line's), the two glyphs that end a wrapped headline,
    # or the last glyph or two of the box.
    wide = [
        k for k, (_, pitch) in enumerate(steps)
        if (
            pitch >= T.gap_step * usual
            and T.min_bold_run <= k + 1 <= len(steps) - T.min_measured + 1
        )
        or (pitch >= T.em_gap_step * usual and k + 1 >= T.min_run)
    ]
    return steps[wide[0]][0] + 1 if len(wide) == 1 else None


def _lone_glyph_before_gap(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]]
) -> int | None:
    """1 where the box opens with one glyph, heavier or taller than the rest, an em or more
    before the next: the last glyph of a wrapped headline (``议`` / ``副区长…``). One glyph's
    place alone is too weak a sign; its ink must agree. Taller ink, the steadier measure of
    the two, makes half an em enough (``育`` / ``活动当天``: a step 1.58 times the usual, ink
    1.23 times the rest's)."""
    steps = glyph_steps(glyphs)
    if len(steps) < T.min_measured or steps[0][0] != 0 or not known or known[0][0] != 0:
        return None
    usual = statistics.median(step for _, step in steps)
    rest = [ink for i, ink in known if i > 0]
    if steps[0][1] < T.gap_step * usual or len(rest) < T.min_measured:
        return None
    first = known[0][1]
    heavier = first.stroke >= T.bold_ratio * statistics.median(ink.stroke for ink in rest)
    taller = first.height >= T.taller * statistics.median(ink.height for ink in rest)
    wide = steps[0][1] >= T.em_gap_step * usual
    return 1 if taller or (heavier and wide) else None


def _short_run_before_gap(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]]
) -> int | None:
    """Where the box opens with two or three glyphs a gap apart from the rest, their ink
    taller or heavier than the rest's: the last glyphs of a larger headline wrapped onto the
    body's line (``答卷`` / ``通过…``: steps 1.5 times the box's usual after them, ink 1.14
    against 0.96 times the usual height). Too few for a run-in gap alone or for a change in
    the ink alone; the two together show it."""
    steps = glyph_steps(glyphs)
    if len(steps) < T.min_measured:
        return None
    usual = statistics.median(step for _, step in steps)
    wide = [index + 1 for index, step in steps if step >= T.gap_step * usual]
    if not wide or not T.min_run <= wide[0] <= T.wrapped_tail:
        return None
    cut = wide[0]
    head = [ink for i, ink in known if i < cut]
    rest = [ink for i, ink in known if i >= cut]
    if len(head) < T.min_run or len(rest) < T.min_measured:
        return None
    taller = statistics.median(ink.height for ink in head) >= T.taller * statistics.median(
        ink.height for ink in rest
    )
    heavier = statistics.median(ink.stroke for ink in head) >= T.bold_ratio * statistics.median(
        ink.stroke for ink in rest
    )
    return cut if taller or heavier else None


def _larger_then_body(
    glyphs: Sequence[Glyph], known: Sequence[tuple[int, Ink]], usual: BodyInk
) -> int | None:
    """The glyph where a run set larger opens the box and gives way, with no gap, to the
    body: the run's ink taller and its pitch wider than the body's after it, both. Each alone
    steps by less than the recogniser's noise (ink heights 0.82-1.27 along one 1.15 headline,
    pitches alternating 68 and 79 px); the two together show the face. The run may be a whole
    run-in headline or the last two or three glyphs of one wrapped onto the body's line."""
    if usual.height <= 0 or usual.pitch <= 0:
        return None
    heights = {i: ink.height / usual.height for i, ink in known
               if ink.height >= T.flat * usual.height}
    # A step of a gap or a dropped glyph is no pitch (``下步``: 一 lost, one step 1.7 times).
    advances = {i: step / usual.pitch for i, step in glyph_steps(glyphs)
                if PITCH_OVERLAP <= step / usual.pitch <= PITCH_GAP}
    best: tuple[float, int] | None = None
    for cut in range(T.min_run, len(glyphs) - T.min_measured + 1):
        head_h = [h for i, h in heights.items() if i < cut]
        tail_h = [h for i, h in heights.items() if i >= cut]
        # The step from the run's last glyph to the body's first is neither's pitch.
        head_a = [a for i, a in advances.items() if i < cut - 1]
        tail_a = [a for i, a in advances.items() if i >= cut]
        if min(len(head_h), len(tail_h), len(tail_a)) < T.min_run or not head_a:
            continue
        taller = statistics.median(head_h) / statistics.median(tail_h)
        wider = statistics.fmean(head_a) / statistics.fmean(tail_a)
        body_sized = abs(statistics.median(tail_h) - 1) <= T.same_size
        if body_sized and min(taller, wider) >= T.larger_each and (
            taller * wider >= T.larger_together and (best is None or taller * wider > best[0])
        ):
            best = (taller * wider, cut)
    return best[1] if best else None


def _wider_then_narrower(glyphs: Sequence[Glyph]) -> int | None:
    """The glyph where a wider pitch (a larger face) gives way to the body's, if it does."""
    # The last headline glyph's advance includes the gap after it.
    steps = glyph_steps(glyphs)
    if len(steps) < 2 * T.min_measured:
        return None  # a narrow column's few steps: OCR's positions vary as much as that
    cut = _change_point([pitch for _, pitch in steps], T.larger_step)
    # The last wide step starts at the headline's last glyph.
    return steps[cut - 1][0] + 1 if cut is not None else None


def _change_point(
    values: Sequence[float], threshold: float, min_run: int = T.min_run
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
    if n < min_run + T.min_run:
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
    for k in range(min_run, n - T.min_run + 1):
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
    if cut + 1 <= len(values) - T.min_run and abs(first - head) < abs(first - tail):
        return cut + 1
    if cut - 1 >= min_run and abs(last - tail) < abs(last - head):
        return cut - 1
    return cut


