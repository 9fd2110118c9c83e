"""The numbers that judge faces measured from a scan's pixels, in one place.

A profile per kind of input: a scan's faces are read off ink and glyph positions
(``structure.faces``); a text-layer PDF names its fonts and needs none of these. Every number
was measured on the generated corpus scans (``samples/corpus``) unless its comment says
otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanFaces:
    """Where a scanned glyph run's face is bold, larger or the body's, and where it ends."""

    bold_ratio: float = 1.22
    """Faux bold adds a stroke of ~2.5% of the em on each side of a glyph whose strokes are
    ~7% of the em: ratios of 1.3-1.5 against the body. Noise from scanning stays under 1.15
    on a line-long run."""
    heavier: float = 1.08
    """Blur and binarisation thin a heavy face's strokes (黑体 measured 1.12-1.16 times the
    body on some corpus scans) but not its ink: a run whose strokes are somewhat heavier and
    whose glyphs hold ``more_ink`` times the body's ink is bold too. Measured on 30 corpus
    scans, boxes of four or more Chinese glyphs: body text 0.91-1.12 (stroke) and 0.67-1.42
    (ink, 1.19 at the 99th percentile); headlines 1.12-2.27 and 0.94-3.71."""
    more_ink: float = 1.3
    plain: float = 1.12
    """Body text's strokes measured at most this many times the page's usual (see above): a
    run heavier than that is no plain body, whatever steps down before it."""
    min_bold_run: int = 4
    """A bold run found by its ink as well as its strokes needs this many glyphs: per glyph,
    the ink varies with the character (一 against 警) far more than with the face."""
    min_relative_run: int = 6
    """Judged against the body beside it, a bold run needs this many measured glyphs: shorter
    runs of plain text step down as much by chance (four glyphs of a body line did)."""
    taller: float = 1.1
    """A run whose ink stands this much taller than the page's usual (a face 1.15 times the
    body's measured 1.15-1.19) and steps down to the usual height is a larger face."""
    clear_share: float = 0.8
    """Two glyphs end a taller run when this share of the run stands ``taller`` and neither
    of them stands above ``body_height`` times the usual height (a 1.15 face measured
    1.13-1.19 and body glyphs after it 0.97-1.02; a 1.15 face's 以 measured 0.89, its 强
    1.04)."""
    body_height: float = 1.03
    clearly_larger: float = 1.5
    """Ink this many times the usual height shows a larger face even on one or two glyphs."""
    flat: float = 0.8
    """Glyphs whose ink stands less than this share of the usual height are flat by design."""
    tall: float = 0.6
    """Glyphs under this share of the usual height (一, punctuation) say nothing of a run's
    size."""
    gap_step: float = 1.4
    """A step between neighbouring Chinese glyphs this many times the box's usual one is a
    gap: half an em after a headline makes 1.5, justification stays under 1.2."""
    gap_reach: int = 6
    """A gap this many glyphs from a cut found by the ink may still be where the faces
    part."""
    snap_reach: int = 2
    """A cut found by the ink moves to a widened step this many glyphs from it."""
    em_gap_step: float = 1.75
    """A step this many times the box's usual one holds a gap of an em or more."""
    snap_step: float = 1.25
    """Beside a cut found by the ink, a step this much wider than the box's usual one is the
    gap."""
    same_size: float = 0.08
    """Ink height of a Chinese glyph is about 0.9 em whatever its face; a larger face shows
    taller ink. Sizes within this share of the page's usual size are the usual size."""
    wrapped_tail: int = 3
    """A box opening with at most this many glyphs before a gap: a wrapped headline's last
    ones."""
    min_run: int = 2
    """A change of face inside one recognised box needs runs of at least this many glyphs."""
    larger_step: float = 1.25
    """A run-in headline in a larger face (1.15 times the body in the corpus) ends with a gap:
    its pitch, the gap included, averages this much wider than the body's after it in the
    same box (a lower threshold let single misplaced glyphs of plain lines through)."""
    disagree: float = 0.12
    """Height and pitch of a larger face agree within this (1.12 and 1.16 on a corpus
    scan)."""
    min_measured: int = 3
    """Fewer glyphs than this are too few to measure a face on."""
    small_box: int = 4
    """A recognised box with fewer Chinese glyphs than this takes its style from its
    neighbours."""


SCAN_FACES = ScanFaces()
"""The profile of scans (the only input whose faces are measured from pixels)."""
