"""Bring a page to the resolution OCR reads best, estimating it from the text when unknown."""

from __future__ import annotations

import math

import cv2
import numpy as np

from bulletin_ocr.preprocess.binarize import INK_PER_EM, Image, character_size, text_mask

# Bulletin body text is set in 10.5-16 pt; 13 pt sits in the middle, so a guess from the text is
# off by at most ~20%, which leaves characters comfortably inside the recogniser's range.
ASSUMED_BODY_PT = 13.0
MIN_DPI, MAX_DPI = 72.0, 600.0
# Resampling blurs a little and costs time: within 10% of the target it is not worth it.
SCALE_TOLERANCE = 0.10


def estimate_dpi(gray: Image) -> float | None:
    """The scan's resolution guessed from its body characters (72-600); None without text."""
    mask, scale = text_mask(gray)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    size = character_size(stats) / scale
    if size <= 0:
        return None
    dpi = size / INK_PER_EM / ASSUMED_BODY_PT * 72
    return min(MAX_DPI, max(MIN_DPI, dpi))


def normalize_resolution(
    image: Image, dpi: float, target_dpi: float, max_pixels: int
) -> tuple[Image, float]:
    """The image scaled towards ``target_dpi`` and below ``max_pixels``; also the scale factor.

    Returns ``image`` itself and 1.0 when it is already close enough.
    """
    height, width = image.shape[:2]
    scale = target_dpi / dpi
    if abs(scale - 1) <= SCALE_TOLERANCE:
        scale = 1.0
    if height * width * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (height * width))
    if scale == 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return np.asarray(cv2.resize(image, size, interpolation=interpolation), dtype=np.uint8), scale
