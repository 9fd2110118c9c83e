"""Glyphs with positions into printed lines: rows, line fragments, and the spaces between words.

Works on plain geometry (points, origin top-left) so that PDF text layers and OCR boxes can
share it. A space is put between two glyphs only when the gap between them says so, never
because an extractor inserted one.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from bulletin_ocr.layout.gutters import MIN_GUTTER, Strip, find_strips
from bulletin_ocr.model import BBox, FontInfo, Ink, StyleRun
from bulletin_ocr.repair.chars import is_wide

# A gap wider than this (in ems) between two glyphs on one row separates line fragments:
# columns, table cells, the issuer and the date of a masthead. Two ems after a run-in
# headline, which a scan measures at up to 2.2, do not: a headline's last glyph wrapped to
# the next line was read as a line of its own beside its body.
FRAGMENT_GAP = 2.6
# Between two Latin glyphs a gap of this many ems is a word space (real spaces are ~0.25 em).
LATIN_SPACE = 0.15
# Between Chinese glyphs only a gap this much wider than the line's usual spacing is a space
# (the gap after a run-in headline); justification and letter-spacing are not.
WIDE_SPACE = 0.7
# Two PDF glyphs whose baselines differ by more than this (ems) and whose boxes overlap by
# more than OVERPRINT_OVERLAP are on two lines printed over each other (research report: a
# "[Table_RatingDescription]" tag 0.25 em above "1. 投资评级…" read as one interleaved line).
OVERPRINT_DRIFT = 0.1
OVERPRINT_OVERLAP = 0.2
# A drawn rule is thinner than this share of the body's em; a taller drawing is a box.
MAX_RULE_HEIGHT = 0.5
# Pieces an OCR engine placed carry the engine's own two thresholds (Glyph.spaces): their
# positions are estimates, as loose as that engine's decoder.


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str = ""
    color: str | None = None
    bold: bool = False
    confidence: float | None = None
    """For OCR: the recogniser's confidence in the line this piece belongs to."""
    group: int = -1
    """For OCR: which recognised line box the piece came from."""
    spaces: tuple[float, float] | None = None
    """For OCR: the engine's WIDE_SPACE and LATIN_SPACE (``ocr.BoxGeometry``)."""
    baseline: float | None = None
    """For PDF text: the height of the glyph's origin, the line it stands on. Boxes do not
    show it: a font's box hangs from the baseline by its own descent (Times digits in a
    FangSong line sit 0.40 em lower)."""
    ink: Ink | None = None
    """For OCR on a page image: what the glyph's pixels show (``layout.ink``)."""
    restored: str = ""
    """For OCR: the repair that put back a glyph the recogniser dropped (``ocr.thin_glyphs``)."""
    gap_before: bool = False
    """For OCR on a page image: a gap measured before this glyph inside its box, where a
    run-in headline's face ends (``structure.faces``), whether or not the faces on its two
    sides were judged apart. Half an em is too little for a space among OCR's loose
    positions (``spaced_text``)."""

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def level(self) -> float:
        """Where the glyph stands for line building: its baseline, or for OCR pieces (whose
        boxes an engine placed on the line) the middle of its box."""
        return self.middle if self.baseline is None else self.baseline


@dataclass
class Fragment:
    """Glyphs that read as one printed line within one column.

    ``bbox`` is computed once, when first asked for: only ask after the fragment is built.
    """

    glyphs: list[Glyph]

    @cached_property
    def bbox(self) -> BBox:
        return BBox(
            min(g.x0 for g in self.glyphs),
            min(g.top for g in self.glyphs),
            max(g.x1 for g in self.glyphs),
            max(g.bottom for g in self.glyphs),
        )

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs)

    def text(self) -> str:
        return spaced_text(self.glyphs)

    def text_with_starts(self) -> tuple[str, list[int]]:
        """The text, and where in it each glyph starts."""
        return _spaced(self.glyphs)

    def styled_text(self) -> tuple[str, list[StyleRun]]:
        """The text, and the runs of glyphs set in one face (a space between two runs goes
        with the first)."""
        text, starts = _spaced(self.glyphs)
        runs: list[StyleRun] = []
        for glyph, start in zip(self.glyphs, starts, strict=True):
            font = FontInfo(glyph.font, round(glyph.size, 1), glyph.bold, glyph.color)
            if runs and runs[-1].font == font:
                runs[-1] = StyleRun(runs[-1].start, start + len(glyph.text), font)
            else:
                if runs:
                    runs[-1] = StyleRun(runs[-1].start, start, runs[-1].font)
                runs.append(StyleRun(start, start + len(glyph.text), font))
        return text, runs

    def gap_offsets(self) -> tuple[int, ...]:
        """Where in ``styled_text`` each glyph with a gap measured before it starts."""
        _, starts = _spaced(self.glyphs)
        return tuple(
            start for glyph, start in zip(self.glyphs, starts, strict=True) if glyph.gap_before
        )

    def confidence(self) -> float | None:
        """Mean of the glyphs' confidences, weighted by their lengths (None for PDF text)."""
        scored = [(g.confidence, len(g.text)) for g in self.glyphs if g.confidence is not None]
        if not scored:
            return None
        return sum(c * n for c, n in scored) / sum(n for _, n in scored)

    def font(self) -> FontInfo:
        """The font most of the line is set in, weighted by character count."""
        counts: dict[tuple[str, bool, str | None], int] = {}
        for glyph in self.glyphs:
            key = (glyph.font, glyph.bold, glyph.color)
            counts[key] = counts.get(key, 0) + 1
        name, bold, color = max(counts, key=lambda k: counts[k])
        return FontInfo(name=name, size=round(self.size, 2), bold=bold, color=color)


def column_strips(
    glyphs: Sequence[Glyph], known: Sequence[Strip] = (), dividers: Sequence[BBox] = ()
) -> list[Strip]:
    """The gutters between the page's columns, found from its body type (titles and
    headlines set large may run across the columns); ``known`` are the previous page's.

    ``dividers`` are long horizontal rules: a masthead above its rule and a distribution
    footer below its rule are centred or spread across the page, so only the text between
    them shows the columns. Only rules thinner than half the body's em count: a box as tall
    as a line of text is a frame or a shaded panel (a research report draws one round each
    line of its body column, and the columns were measured between two of them, across a
    sidebar's chart alone).
    """
    if not glyphs:
        return []
    left = min(g.x0 for g in glyphs)
    right = max(g.x1 for g in glyphs)
    top = min(g.top for g in glyphs)
    bottom = max(g.bottom for g in glyphs)
    usual = statistics.median(g.size for g in glyphs)
    rules = [d for d in dividers if d.height < MAX_RULE_HEIGHT * usual]
    # A rule broken by a star in its middle is two drawings on one level.
    long_rules = [
        rule
        for level in _levels(rules)
        if sum(d.width for d in level) >= 0.5 * (right - left)
        for rule in level
    ]
    upper = [d.bottom for d in long_rules if d.bottom < top + 0.4 * (bottom - top)]
    lower = [d.top for d in long_rules if d.top > bottom - 0.4 * (bottom - top)]
    start, stop = max(upper, default=top - 1), min(lower, default=bottom + 1)
    body = [
        (g.x0, g.x1, len(g.text))
        for g in glyphs
        if g.size <= 1.3 * usual and start <= g.middle <= stop
    ]
    # A gutter is at least half an em wide: narrower strips are gaps a detector left.
    return find_strips(body, left, right, known, max(MIN_GUTTER, 0.5 * usual))


def rules_by_level(dividers: Sequence[BBox]) -> list[BBox]:
    """Rules drawn at one level as one: a rule broken by a star in its middle spans the page
    (and the gutter under the star) as a whole rule does."""
    return [merged for rules in _levels(dividers) if (merged := BBox.union(rules)) is not None]


# Rules whose middles stand this many units apart or less are drawn at one height: a scan's
# rule wavers by a pixel or two.
LEVEL_DRIFT = 4.0


def _levels(dividers: Sequence[BBox]) -> list[list[BBox]]:
    """The rules grouped by the height they are drawn at, top to bottom. Neighbours by their
    middles, not rounded buckets: the two halves of a star-broken scan rule, one pixel apart,
    fell into two buckets (868–870 and 869–871 rounded apart).

    >>> halves = [BBox(543, 868, 1191, 870), BBox(1293, 869, 1942, 871), BBox(0, 3000, 9, 3001)]
    >>> [len(level) for level in _levels(halves)]
    [2, 1]
    """
    levels: list[list[BBox]] = []
    last = 0.0
    for rule in sorted(dividers, key=lambda d: d.top + d.bottom):
        middle = (rule.top + rule.bottom) / 2
        if not levels or middle - last > LEVEL_DRIFT:
            levels.append([])
        levels[-1].append(rule)
        last = middle
    return levels


def build_fragments(
    glyphs: Sequence[Glyph], strips: Sequence[Strip] | None = None
) -> list[Fragment]:
    """Chain glyphs left to right into line fragments.

    A glyph extends the fragment whose last glyph is just left of it, on the same line
    (baselines, or for OCR box middles, within ~0.35 em) and of a similar size. Chaining by
    proximity instead of cutting the page into rows keeps a sidebar in small type apart from
    a large headline beside it. No fragment crosses a column gutter (``strips``, found from
    the glyphs when not given): a 2-em gutter is as wide as the gap after a run-in headline,
    and only the whole page tells them apart.
    """
    gutters = column_strips(glyphs) if strips is None else strips
    fragments: list[Fragment] = []
    for band in _bands(glyphs):
        fragments.extend(_chain(band, gutters))
    return fragments


def _bands(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Cut the page into horizontal bands at vertical gaps between the lines glyphs stand on.

    Only glyphs in one band can share a line, so chaining never compares across the page.
    """
    bands: list[list[Glyph]] = []
    previous: Glyph | None = None
    for glyph in sorted(glyphs, key=lambda g: g.level):
        em = min(glyph.size, previous.size) if previous is not None else 0.0
        if previous is None or glyph.level - previous.level > 0.35 * em:
            bands.append([])
        bands[-1].append(glyph)
        previous = glyph
    return bands


def _crosses(left: float, right: float, gutters: Sequence[tuple[float, float]]) -> bool:
    """Whether the gap from ``left`` to ``right`` is a column gutter: it holds one's middle
    and is most of its width (a letter-spaced title across the columns is not cut)."""
    return any(
        left <= (x0 + x1) / 2 <= right and right - left >= 0.8 * (x1 - x0) for x0, x1 in gutters
    )


def _chain(
    glyphs: Sequence[Glyph], gutters: Sequence[tuple[float, float]] = ()
) -> list[Fragment]:
    open_fragments: list[Fragment] = []
    done: list[Fragment] = []
    order = _reading_positions(glyphs)
    for glyph in sorted(glyphs, key=lambda g: (order[id(g)], g.level)):
        best: Fragment | None = None
        best_cost = (False, 0.0)
        still_open = []
        for fragment in open_fragments:
            last = fragment.glyphs[-1]
            gap = glyph.x0 - last.x1
            if gap > FRAGMENT_GAP * max(glyph.size, last.size) or _crosses(
                last.x1, glyph.x0, gutters
            ):
                done.append(fragment)  # nothing further right can join it any more
                continue
            still_open.append(fragment)
            cost = _join_cost(glyph, last, gap)
            if cost is not None and (best is None or cost < best_cost):
                best, best_cost = fragment, cost
        open_fragments = still_open
        if best is None:
            open_fragments.append(Fragment([glyph]))
        else:
            best.glyphs.append(glyph)
    return done + open_fragments


def _join_cost(glyph: Glyph, last: Glyph, gap: float) -> tuple[bool, float] | None:
    """How well ``glyph`` continues the line that ``last`` ends (lower is better), None when
    it cannot: another line, another size, or printed over it. A PDF glyph prefers a line on
    its own baseline to any nearer one off it."""
    em = max(glyph.size, last.size)
    drift = abs(glyph.level - last.level)
    similar = em <= 1.35 * min(glyph.size, last.size)
    # Squeezed full-width punctuation makes boxes overlap by up to an em.
    if drift > 0.35 * em or not similar or gap <= -1.0 * em:
        return None
    if _overprinted(glyph, last, drift, gap):
        return None
    off_baseline = glyph.baseline is not None and drift > OVERPRINT_DRIFT * em
    return off_baseline, drift + max(gap, 0.0)


def _overprinted(glyph: Glyph, last: Glyph, drift: float, gap: float) -> bool:
    """Whether ``glyph`` is printed over ``last`` on another baseline: two lines laid one
    over the other (a hidden tag over a heading), not one line. Glyphs of one line share
    their baseline exactly, so any drift with a real overlap tells them apart; OCR pieces
    know no baseline and keep the looser test.

    >>> g = lambda x0, base: Glyph("x", x0, x0 + 9, base - 8, base + 1, 9, baseline=base)
    >>> _overprinted(g(50, 298.6), g(47.5, 296.3), 2.3, 50 - 56.5)
    True
    >>> _overprinted(g(50, 296.3), g(47.5, 296.3), 0.0, 50 - 56.5)
    False
    """
    if glyph.baseline is None or last.baseline is None:
        return False
    em = max(glyph.size, last.size)
    return drift > OVERPRINT_DRIFT * em and gap < -OVERPRINT_OVERLAP * em


def _reading_positions(glyphs: Sequence[Glyph]) -> dict[int, float]:
    """Where each glyph stands along its line: a PDF glyph at the middle of its box, an OCR
    piece at its left edge, but never left of the glyph the recogniser read before it in
    the same box (a quotation mark placed a glyph too far right fell out of its line and
    read after it).

    Squeezed punctuation overlaps its neighbour: a full-width ``《`` whose ink is on its
    right half is set up to half an em into the glyph before it, so its box may start left
    of a narrow period's (``2.《``, read ``2《.`` by left edges); its middle stays right.

    >>> g = lambda t, x0, group: Glyph(t, x0, x0 + 10, 0, 10, 10, group=group)
    >>> glyphs = [g("局", 0, 1), g("“", 21, 1), g("五", 20, 1), g("个", 30, 1)]
    >>> order = _reading_positions(glyphs)
    >>> "".join(x.text for x in sorted(glyphs, key=lambda x: order[id(x)]))
    '局“五个'
    >>> pdf = lambda t, x0, x1: Glyph(t, x0, x1, 0, 10, 10, baseline=8)
    >>> glyphs = [pdf("2", 25.4, 31.0), pdf("《", 29.3, 39.2), pdf(".", 31.0, 33.7)]
    >>> order = _reading_positions(glyphs)
    >>> "".join(x.text for x in sorted(glyphs, key=lambda x: order[id(x)]))
    '2.《'
    """
    positions: dict[int, float] = {}
    last: dict[int, float] = {}
    for glyph in glyphs:
        position = glyph.x0 if glyph.baseline is None else (glyph.x0 + glyph.x1) / 2
        if glyph.group >= 0 and glyph.group in last:
            position = max(position, last[glyph.group])
        last[glyph.group] = position
        positions[id(glyph)] = position
    return positions


def spaced_text(glyphs: Sequence[Glyph]) -> str:
    """The glyphs' text with spaces where the geometry shows one.

    >>> g = lambda t, x0, x1: Glyph(t, x0, x1, 0, 10, 10)
    >>> spaced_text([g("开", 0, 10), g("工", 10.5, 20.5), g("1", 33, 38), g("月", 38.5, 48.5)])
    '开工 1月'
    >>> spaced_text([g("o", 0, 5), g("p", 5, 10), g("d", 13, 18)])
    'op d'
    """
    return _spaced(glyphs)[0]


def _spaced(glyphs: Sequence[Glyph]) -> tuple[str, list[int]]:
    """``spaced_text`` and where in it each glyph starts."""
    if not glyphs:
        return "", []
    usual = _usual_wide_gap(glyphs)
    parts = [glyphs[0].text]
    starts = [0]
    length = len(glyphs[0].text)
    for previous, glyph in pairwise(glyphs):
        gap = glyph.x0 - previous.x1
        em = max(previous.size, glyph.size) or 1.0
        wide = is_wide(previous.text[-1]) or is_wide(glyph.text[0])
        # OCR places pieces by where the decoder fired, a few tenths of an em either way.
        loose = previous.confidence is not None
        wide_space, latin_space = previous.spaces or (WIDE_SPACE, LATIN_SPACE)
        threshold = usual + wide_space * em if wide else latin_space * em
        # Between OCR pieces only two words can have a space between them ("open data"),
        # never a number and its "%" or a bracket and its content.
        words = previous.text[-1].isalnum() and glyph.text[0].isalnum()
        if gap > threshold and (wide or not loose or words):
            parts.append(" ")
            length += 1
        starts.append(length)
        parts.append(glyph.text)
        length += len(glyph.text)
    return "".join(parts), starts


def _usual_wide_gap(glyphs: Sequence[Glyph]) -> float:
    """The typical gap between neighbouring Chinese glyphs: justification or letter-spacing.

    Only single characters count: an OCR box holds many, and the gaps between boxes are
    exactly the unusual ones.
    """
    gaps = [
        b.x0 - a.x1
        for a, b in pairwise(glyphs)
        if len(a.text) == len(b.text) == 1 and is_wide(a.text) and is_wide(b.text)
    ]
    return max(0.0, statistics.median(gaps)) if gaps else 0.0
