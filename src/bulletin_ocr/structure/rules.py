"""Drawn rules as structure: the red or heavy rule under a masthead ends it."""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.model import BBox, Line, Page, Rule
from bulletin_ocr.structure import cues, typography
from bulletin_ocr.structure.thresholds import SHARED
from bulletin_ocr.structure.typography import BodyFace


def is_masthead_rule(rule: Rule, page: Page, em: float) -> bool:
    """Long, high on the page, and red or heavy."""
    if not page.width or not page.height or rule.bbox.height > 1.0 * em:
        return False
    if rule.bbox.width < SHARED.min_width_share * page.width:
        return False
    if rule.bbox.top > SHARED.max_top_share * page.height:
        return False
    red = typography.is_red_colour(rule.color)
    # A grayscale scan shows no red, and binarising thins a rule: there any long rule high on
    # page 1 may be the masthead's (the lines above it must still look like one).
    unknown = rule.color is None and page.source == "ocr"
    return red or unknown or rule.thickness >= SHARED.heavy * em


def joined_rules(found: Sequence[Rule], em: float) -> list[Rule]:
    """Rules on one level with short breaks between them (a star printed in the middle of a
    masthead rule) as one rule.

    >>> a = Rule(1, BBox(0, 100, 200, 102), "#ff0000")
    >>> b = Rule(1, BBox(230, 100, 430, 102), "#ff0000")
    >>> joined_rules([a, b], 15.0)
    [Rule(page=1, bbox=BBox(x0=0, top=100, x1=430, bottom=102), color='#ff0000')]
    """
    joined: list[Rule] = []
    for rule in sorted(found, key=lambda r: r.bbox.x0):
        box = rule.bbox
        level = next(
            (
                i
                for i, other in enumerate(joined)
                if abs(other.bbox.top - box.top) <= SHARED.rule_level * em
                and abs(other.bbox.bottom - box.bottom) <= SHARED.rule_level * em
                and 0 <= box.x0 - other.bbox.x1 <= SHARED.rule_join * em
                and other.color == rule.color
            ),
            None,
        )
        if level is None:
            joined.append(rule)
        else:
            other = joined[level].bbox
            merged = BBox(other.x0, min(other.top, box.top), box.x1, max(other.bottom, box.bottom))
            joined[level] = Rule(rule.page, merged, rule.color)
    return joined


def lines_above_masthead_rule(pages: Sequence[Page], body: BodyFace | None) -> frozenset[str]:
    """Ids of page 1's lines from the top to the first masthead rule (a star printed in the
    rule included), when the lines hold something of a masthead; empty otherwise."""
    first = next((page for page in pages if page.number == 1 and not page.needs_ocr), None)
    if first is None or not first.rules:
        return frozenset()
    em = _em(first.lines, body)
    found = sorted(
        (rule for rule in joined_rules(first.rules, em) if is_masthead_rule(rule, first, em)),
        key=lambda rule: rule.bbox.top,
    )
    if not found:
        return frozenset()
    limit = found[0].bbox.bottom + SHARED.under_rule * em
    above = [
        line
        for line in first.lines
        if line.bbox is not None and (line.bbox.top + line.bbox.bottom) / 2 <= limit
    ]
    if not any(_masthead_evidence(line, body) for line in above):
        return frozenset()
    return frozenset(line.id for line in above)


def _masthead_evidence(line: Line, body: BodyFace | None) -> bool:
    text = line.text
    if cues.is_masthead_line(text) or cues.DATE.search(text) or cues.is_classification_line(text):
        return True
    return body is not None and (
        typography.is_title_face(line, body) or typography.is_red(line.font)
    )


def _em(lines: Sequence[Line], body: BodyFace | None) -> float:
    """The body size in the page's units (points, or pixels for scans)."""
    if body is not None and body.size > 0:
        return body.size
    heights = sorted(line.bbox.height for line in lines if line.bbox is not None)
    return heights[len(heights) // 2] if heights else 12.0
