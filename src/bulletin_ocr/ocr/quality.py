"""Whether a recognised page's text can be what its image shows, so that a page that comes
out empty or as garbage is flagged instead of passing as a clean, blank page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bulletin_ocr.ocr import OcrLine

# Share of dark pixels above which a page has ink on it: a blank scan after preprocessing has
# almost none, a page of body text 3-8 %.
MIN_INK_SHARE = 0.002
DARK = 128
# Text the recogniser is this unsure of, on average over its characters, is not text.
MIN_MEAN_CONFIDENCE = 0.5
# Share of characters that a Chinese bulletin can hold (CJK, punctuation, digits, Latin).
MIN_PLAUSIBLE_SHARE = 0.6


def ink_share(gray: Any) -> float:
    """The share of dark pixels in a grayscale page image."""
    import numpy as np

    dark = int(np.count_nonzero(gray < DARK))
    return dark / max(1, int(gray.size))


def plausible(char: str) -> bool:
    """Characters a bulletin is made of.

    >>> [plausible(c) for c in "中，a1（\\ue000\\ufffdÆ"]
    [True, True, True, True, True, False, False, False]
    """
    code = ord(char)
    return (
        0x20 < code < 0x7F
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2010 <= code <= 0x206F  # dashes, quotes, ellipsis
        or code in (0x00B7, 0x00D7, 0x00F7, 0x00B0, 0x00B1, 0x00A7)
        or 0x2160 <= code <= 0x25FF  # numerals, arrows, △ and other shapes
    )


def doubtful_page(lines: Sequence[OcrLine], ink: float) -> str | None:
    """Why the text recognised on a page with ``ink`` (its dark share) is suspect, or None.

    >>> doubtful_page([], ink=0.05).split(" (")[0]
    'no text recognised although 5.0% of the page is ink'
    >>> doubtful_page([], ink=0.0) is None
    True
    """
    if ink < MIN_INK_SHARE:
        return None
    chars = [(c, line.confidence) for line in lines for c in line.text if not c.isspace()]
    if not chars:
        return (
            f"no text recognised although {ink:.1%} of the page is ink "
            "(a picture, or a scan the recogniser cannot read)"
        )
    confidence = sum(weight for _, weight in chars) / len(chars)
    if confidence < MIN_MEAN_CONFIDENCE:
        return f"recognised text is mostly guesswork (mean confidence {confidence:.2f})"
    share = sum(1 for c, _ in chars if plausible(c)) / len(chars)
    if share < MIN_PLAUSIBLE_SHARE:
        return f"recognised text is mostly garbage ({share:.0%} of its characters are plausible)"
    return None
