"""The numbers the rule decider judges lines by, in one place: one profile per kind of input.

``Rules`` holds every threshold of ``structure/`` (lengths, ems, shares, weights) with the
reason for its value; ``profile(kind)`` gives the profile of raw text, a PDF's text layer or a
scan (``features.InputKind``). The kinds differ only in ``KIND_FIELDS``: raw text loses the
indents and the space Word sets between Chinese and digits, so its lines' widths are read
with allowances the others need not. Code that knows no kind (a cue on one line's text) reads
``SHARED``, which every profile agrees with on all other fields (``tests/test_thresholds.py``).

``ScanFaces`` judges faces measured from a scan's pixels (``structure.faces``): a text-layer
PDF names its fonts and needs none of them. Its numbers were measured on the generated corpus
scans (``samples/corpus``) unless a comment says otherwise.

The labeller's feature buckets (``features.py``) are model inputs, not thresholds: they stay
with the features the models were trained on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin_ocr.structure.features import InputKind


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
    larger_together: float = 1.2
    """A run set in a larger face with no gap before the body shows it by its ink and its
    pitch together: the two ratios (run to body) multiply to at least this, and each is at
    least ``larger_each`` (a 1.15 face on 1-bit and grey scans: ink 1.08-1.09 and pitch
    1.14-1.19 times the body after it, b011557 and b011542; body lines' runs by chance: the
    ratios' product under 1.15 on the pages measured)."""
    larger_each: float = 1.05
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
    above_reach: float = 2.0
    """... alone on its row, from the box above it when no more than this many of its ems
    part them (a line of a headline and the next: 1.2-1.6 ems)."""
    lost_glyph_room: float = 0.15
    """A recognised box reaching this many ems past the last glyph read may hold one the
    recogniser dropped (``Line.unread_after``); only a line ending an office's name opened by
    a bracket is then closed (``structure.lost_brackets``). Measured through the pipeline on
    eight 1-bit TIFFs of seeds 9731-9760 and 11001-11060: 363 of 431 lines under 0.15, lines
    ending in a ``）`` read 0.0-0.25; the four boxes whose ``）`` was dropped there 0.20, 0.24,
    0.36 and 0.52."""


SCAN_FACES = ScanFaces()
"""The profile of scans (the only input whose faces are measured from pixels)."""


@dataclass(frozen=True)
class Rules:
    """The thresholds of the rule decider for one kind of input (ems are the line's type size)."""

    # Lines and paragraphs (``blocks``).
    full_line_tolerance: float = 1.5
    """How far short of the right edge a line may stop and still count as full, in ems.
    Estimated widths of raw text are off by about an em on lines with many digits."""
    first_line_indent: float = 2.0
    """A paragraph's first line is indented this many ems."""
    lost_indent: float = 0.0
    """Where the input shows no indent (raw text), an indented line shows it only by stopping
    this much shorter: a paragraph's first line, an indented contents entry."""
    head_slack: float = 8.0
    """Room a line holding a run-in headline may leave at its end: bold headline glyphs are
    wider than the width estimate, and the gap after the headline takes room."""
    autospace: float = 0.0
    """Per change between Chinese and Latin or digits, ems a line's width estimate leaves out
    (raw text: Word sets a quarter em there)."""
    indent_slack: float = 0.5
    """An indent within this of ``first_line_indent`` opens a block; a following line indented
    no more than this opens flush (a number that did not fit)."""
    centred_margin: float = 1.0
    """A line at least this many ems in from both edges of the column is centred."""
    fit_slack: float = 0.5
    """A number opening the next line did not fit when wider than the room left less this."""
    same_type: float = 0.1
    """Two lines whose type sizes differ by no more than this share are set in one type."""
    noisy_spaces_min: int = 3
    """Spaces between Chinese characters say nothing when more lines than this hold them and
    more than one in ``noisy_spaces_every``."""
    noisy_spaces_every: int = 8
    max_masthead_lines: int = 10
    """A masthead with no rule under it opens page 1 with at most this many lines."""
    masthead_reach: int = 2
    """An issuer line is the masthead's when a masthead line follows within this many lines."""
    min_masthead_signs: int = 2
    """A masthead is a bulletin's when it shows this many of its signs (a title word, an issue
    number, an issuer, a date): one alone is any document's heading."""
    max_contents_lines: int = 30
    """A bulletin's table of contents lists its items: no more lines than this."""
    entries_share: float = 0.5
    """A page of contents: at least this share of its lines open entries (and none ends a
    sentence)."""
    entry_key_min: int = 4
    """A line repeats a contents entry when their first this-many characters (or more) agree."""
    max_head_lines: int = 5
    """A run-in headline wraps over at most this many lines before its body begins (a large
    headline in a two-column page's narrow column holds nine or ten glyphs a line)."""
    wrap_tail: int = 8
    """The last glyphs of a wrapped headline before its body's gap on the next line: a few
    words."""
    snap_to_space: int = 6
    """A face change measured from pixels may land a few glyphs off; a space this close to it
    is where the headline really ends."""

    # How long a headline, a masthead line, an opener may be (``cues``, ``words``).
    max_run_in_head: int = 60
    """A run-in headline has at most this many characters."""
    min_run_in_head: int = 6
    """Found at a gap, a run-in headline has at least this many characters."""
    wrapped_gap_reach: int = 20
    """On a line a headline wrapped onto, its gap stands within this many characters."""
    opener_lines: int = 3
    """A body opener after a numbered headline may begin on the second line and end on the
    third (``3月24`` / ``日，``)."""
    opener_clause: int = 8
    """A sentence a body opener begins reaches its first comma within this many characters
    (``截至3月10日，`` ``今年以来，``)."""
    min_numbered_head: int = 8
    """Fewer Chinese characters than this after a list marker are a list item, not a
    headline."""
    max_masthead_line: int = 40
    """A masthead line (title, issue, issuer and date) holds at most this many characters..."""
    max_beside_date: int = 20
    """...at most this many beside its date..."""
    max_issue_line: int = 25
    """...this many beside an issue number..."""
    max_titled_line: int = 12
    """...and this many when it ends in a title word (``快报``)."""
    max_title: int = 16
    """A masthead title: few characters."""
    min_issuer: int = 4
    """An issuer line (``某某县人民政府办公室``): this many characters or more..."""
    max_issuer: int = 25
    """...and no more than this."""
    min_headline: int = 4
    """A line read as a headline by its words holds this many characters (Chinese ones among
    them) or more..."""
    max_headline: int = 48
    """...and no more than this."""
    max_display_run: int = 80
    """Text in a headline face before the body is a headline up to this many characters."""
    max_standalone_head: int = 60
    """A line in a headline face is a headline of its own up to this many characters."""
    opener_reach: int = 3
    """How many characters a cut measured from ink may be off and still be moved to an
    opener."""

    # Faces (``typography``).
    larger: float = 1.1
    """A face this much larger than the body's is a display face (headlines are 16-22 pt on
    14-16 pt bodies; justification never changes a glyph's size). Scans measure a face 1.15
    times the body's at 1.11-1.16 (from ink heights and pitch)."""
    smaller: float = 0.92
    """Type this much smaller than the body's is small print, whatever its face."""
    title_size: float = 1.6
    """A masthead title is set far larger than anything else on the page."""
    common_bold: float = 0.25
    """Headlines are a small part of a bulletin; bold over this share of the body face's
    characters is not a headline face (measured: 13% on a bulletin with bold run-in
    headlines, 31-33% where a render mode leaks into the body)."""
    same_face: float = 0.06
    """A wrapped headline's lines measured from pixels differ by a few per cent in size."""
    min_red: int = 140
    """Red ink: its red channel at least this (of 255)..."""
    red_over: int = 80
    """...and this much above green and blue."""

    # The masthead rule (``rules``).
    min_width_share: float = 0.4
    """A masthead rule spans most of the column, sits in the upper part of page 1, and is red
    or heavy: at least a tenth of an em thick (1.5 pt under 15-pt body type; table and footer
    rules are 0.5-1 pt)."""
    max_top_share: float = 0.6
    heavy: float = 0.1
    under_rule: float = 0.25
    """A line whose middle stands at most this many ems below the masthead rule's foot is above
    it (a line set tight on the rule)."""
    rule_level: float = 0.1
    """Two pieces of one rule stand level within this many ems..."""
    rule_join: float = 3.0
    """...and at most this many ems apart."""

    # Page furniture and notes (``apparatus``).
    band_share: float = 0.12
    """Running heads and page numbers live in the top and bottom bands of the page."""
    apart_gaps: float = 1.5
    """Set apart from the body by a gap this many times the page's usual gap between lines."""
    min_apart: float = 0.5
    """...and by at least this many ems."""
    notes_below: float = 0.5
    """Foot notes sit below this share of the page's height."""
    not_larger: float = 1.02
    """Furniture is set no larger than the body (a headline at the top of a page is larger or
    bolder); foot notes are set smaller (measured 0.79-0.83 of the body on the book scan)."""
    note_size: float = 0.9
    note_indent: float = 1.0
    """A foot note's mark indented this many ems or more opens a new note."""
    margin_max_em: float = 6.0
    """A margin reference is a few glyphs (``14（Ⅱ）``, 3.5 em); text beyond the body's edge
    that runs wider is a column of its own (a second column no gutter was measured for), not
    a note."""
    min_page_lines: int = 4
    """Fewer lines than this on a page (or in its body) show no apparatus to tell apart."""
    level_overlap: float = 0.5
    """A line stands level with a body line that overlaps this share of its height."""
    max_furniture: int = 30
    """A running head or page number holds at most this many characters."""

    # Two columns read across by pdftotext (``columns_text``, ``interleaved``).
    window: int = 12
    """How far apart (in lines as printed) two lines of one column may stand in the
    extraction."""
    # Weights of the evidence that line ``b`` continues line ``a`` in one column, near the
    # log-odds counted on generated two-column pdftotext extractions (seeds 20001-20240, 67
    # bulletins; never the evaluation seeds), then tried in a small grid there
    # (benchmarks/README.md, issue 22).
    word_across: float = 2.8
    """``a`` ends inside a word or a number that ``b`` finishes."""
    word_elsewhere: float = 1.5
    """``a`` ends inside a word that another line near it finishes, not ``b``."""
    opener_after_end: float = 1.6
    """``a`` ends a sentence and ``b`` opens a paragraph (its opening words, an item's
    mark)."""
    mark_after_run_on: float = 5.0
    """``a`` stops mid-sentence and ``b`` opens an item or a brief (a mark, a number):
    never."""
    switch: float = 1.0
    """A line given to the other column than the line before it: lines that pdftotext sets
    apart (a blank line between) come from the other column 96 % of the time."""
    min_skip_words: int = 3
    """Words across the break to the line after next that mark alternating columns: at least
    this many..."""
    skip_share: float = 0.5
    """...and at least this share of those across the break to the next line."""

    faces: ScanFaces = field(default_factory=ScanFaces)
    """How faces measured from pixels are judged (scans only)."""


SHARED = Rules()
"""The thresholds every kind of input shares: read where no kind is known."""

KIND_FIELDS = frozenset({"lost_indent", "autospace"})
"""The fields a kind's profile may set apart from ``SHARED``: read only through
``profile(kind)``."""

PROFILES: dict[str, Rules] = {
    "raw": replace(SHARED, lost_indent=SHARED.first_line_indent, autospace=0.25),
    "pdf": SHARED,
    "scan": replace(SHARED, faces=SCAN_FACES),
}
"""Per ``InputKind`` value: raw text, a PDF's text layer, a scan. (Keyed by the value, not the
enum, so that the cue modules ``features`` imports can import this one.)"""


def profile(kind: InputKind) -> Rules:
    """The thresholds for a kind of input."""
    return PROFILES[kind.value]
