"""The layout choices of a generated bulletin: every random decision, as one flat dict.

``VARIANTS`` lists each key with all of its values; ``draw_variant`` picks one value per key
(uniformly, except where a weight is given) from the bulletin's random generator. The dict is
stored in the truth JSON as ``variant``, so the benchmark can break every metric down by the
value of each key and show which layouts fail.

Faces (see ``typeset.FACES`` for the files): ``song`` = AR PL SungtiL GB (宋体), ``ming`` = AR PL
UMing CN (明体), ``fangsong`` = AR PL KaitiM GB. No free 仿宋 with simplified glyphs ships with
Debian (the Founder and Microsoft 仿宋_GB2312 fonts that real bulletins use are proprietary), so
a simplified Kai face, the nearest free design (仿宋 is a Song skeleton with Kai strokes), stands
in for it; the PDF's font name says which file was used. Headline faces: ``hei`` = WenQuanYi Zen
Hei (黑体), ``kai`` = AR PL UKai CN (楷体), ``body_bold`` = the body face in fake bold (text
render mode 2, fill + stroke), ``body_larger`` = the body face, not bold, larger.
"""

from __future__ import annotations

import random
from typing import Any

VARIANTS: dict[str, tuple[Any, ...]] = {
    # body text
    "body_face": ("song", "fangsong", "ming"),
    "body_size": (14, 15, 16),
    "line_em": (24, 25, 26, 27, 28, 29, 30),
    "columns": (1, 2),
    # headlines
    "head_face": ("hei", "kai", "body_bold", "body_larger"),
    "runin_gap": ("none", "half", "one", "two"),
    "head_align": ("center", "left"),
    "head_length": ("short", "long"),
    "head_mix": ("run-in", "standalone", "mixed"),
    "numbering": ("none", "一、", "（一）"),
    # attributions and briefs
    "attribution": ("end", "wrap", "own_line", "mixed"),
    "brief_mark": ("△", "▲", "●"),
    "briefs": (0, 1, 3),
    # masthead
    "masthead": ("full", "issuer_date"),
    "title_face": ("hei", "body_bold"),
    "title_size": (26, 34, 42),
    "title_color": ("red", "black"),
    "classification": ("none", "internal_above", "secret_above", "internal_beside"),
    "issue_format": ("plain", "paren_cumulative", "spaced_cumulative"),
    "issuer_date": ("one_row", "two_rows"),
    "date_style": ("arabic", "chinese"),
    "rule": ("plain", "star", "double"),
    # page furniture and footer
    "page_number": ("dash", "hyphen", "none"),
    "footer": ("none", "报送", "报送发"),
    "copies": (False, True),
    # raw extraction artefacts
    "raw_spaces": ("none", "digits", "cjk"),
}

# Relative weights where the values are not equally likely: most bulletins have a full
# masthead, and some (not most) are set in two columns.
WEIGHTS: dict[str, tuple[int, ...]] = {"masthead": (4, 1), "columns": (3, 1)}

# Texts of the classification marks (two spaces inside, as Word users type them).
CLASSIFICATION_TEXT = {
    "internal_above": "内部资料  注意保存",
    "secret_above": "秘密★1年",
    "internal_beside": "内部资料",
    "confidential_above": "机密",  # only with --conventions (conventions.py)
}

# Widest column (pt) that leaves A4 margins a Word user would accept (about 2.2 cm each side).
MAX_COLUMN_PT = 470.0


def draw_variant(rng: random.Random) -> dict[str, Any]:
    """One value per key, in the order of ``VARIANTS`` (so adding a key at the end keeps the
    earlier draws of every seed). A mark meant to sit beside the title goes above a masthead
    that has no title."""
    variant = {key: rng.choices(values, WEIGHTS.get(key))[0] for key, values in VARIANTS.items()}
    # A 30-em column of 16-pt type would be 480 pt: step the size down until it fits.
    while variant["line_em"] * variant["body_size"] > MAX_COLUMN_PT:
        variant["body_size"] -= 1
    if variant["masthead"] == "issuer_date" and variant["classification"] == "internal_beside":
        variant["classification"] = "internal_above"
    return variant
