"""Whether a page's text layer can be trusted, or the page has to be recognised by OCR."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bulletin_ocr.model import BBox

# Share of suspicious characters above which a layer is garbage: broken ToUnicode maps
# give (cid:N) placeholders, private-use code points, or mojibake in Latin-1 letters.
MAX_SUSPICIOUS = 0.05
# Beyond this share of characters set sideways, the page's text cannot be laid out as lines.
MAX_SIDEWAYS = 0.5
# A page mostly covered by images whose text objects cover almost none of them is a scan
# with a stray caption or stamp in its text layer.
IMAGE_PAGE_SHARE = 0.3
MIN_TEXT_ON_IMAGES = 0.05


@dataclass(frozen=True)
class TextLayerVerdict:
    trusted: bool
    reason: str = ""
    suspicious_share: float = 0.0


def suspicious(text: str) -> bool:
    """Glyph texts a sound Chinese text layer hardly ever has.

    >>> [suspicious(c) for c in ["中", "a", "Æ", "\\ue000", "\\ufffd", "(cid:14)", "ﬁ"]]
    [False, False, True, True, True, True, False]
    """
    if text.startswith("(cid:"):
        return True
    return any(_suspicious_char(char) for char in text)


def _suspicious_char(char: str) -> bool:
    code = ord(char)
    return (
        0xE000 <= code <= 0xF8FF
        or code == 0xFFFD
        or (code < 32 and char not in "\t\n\r")
        or (0xA1 <= code <= 0x2FF and char not in "°±·×÷§")
    )


def judge_text_layer(
    *,
    page_area: float,
    texts: Sequence[str],
    text_area: float,
    images: Sequence[BBox],
    drawings: int,
    sideways: int = 0,
) -> TextLayerVerdict:
    """Judge a page from its glyph texts, the area they cover, and its images and drawings;
    ``sideways`` of the texts are set sideways or upside down, which layout cannot read."""
    texts = [t for t in texts if t.strip()]
    image_area = sum(box.width * box.height for box in images)
    if not texts:
        if images or drawings > 50:
            return TextLayerVerdict(False, "no text layer on a page with images or drawings")
        return TextLayerVerdict(True, "blank page")
    share = sum(1 for t in texts if suspicious(t)) / len(texts)
    if len(texts) >= 5 and share > MAX_SUSPICIOUS:
        return TextLayerVerdict(
            False, f"{share:.0%} of its characters are unmapped or mojibake", share
        )
    if sideways / len(texts) > MAX_SIDEWAYS:
        # A page turned by /Rotate against its text: only recognising the rendered page
        # (turned upright by the orientation check) reads it.
        return TextLayerVerdict(
            False, f"{sideways / len(texts):.0%} of its characters are set sideways or upside "
            "down", share
        )
    mostly_images = page_area > 0 and image_area / page_area > IMAGE_PAGE_SHARE
    if mostly_images and text_area / image_area < MIN_TEXT_ON_IMAGES:
        return TextLayerVerdict(
            False, "text covers only a small part of the page's image area", share
        )
    return TextLayerVerdict(True, "", share)
