"""Remove salt-and-pepper specks without touching strokes or punctuation."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from bulletin_ocr.preprocess.binarize import Image, to_gray

Mask = npt.NDArray[np.bool_]

# The largest speck, in pixels. A decimal point is bigger even at 150 dpi, and salt-and-pepper
# noise comes as single pixels and the odd pair or triple.
MAX_SPECK = 3
_SQUARE3 = np.ones((3, 3), np.uint8)
_SQUARE5 = np.ones((5, 5), np.uint8)


def _specks(clear: Mask, dim: Mask) -> Mask:
    """The specks of ``clear`` pixels (certainly ink, say) amid no ``dim`` ones (possibly ink).

    A few dim pixels in a 3x3 square with none in the 5x5 ring around it are a speck; so is a
    pixel alone in its 3x3 square, whatever lies further out. The faint edges of strokes count
    as dim, so the thin, broken hairlines of small type are never mistaken for specks.
    """
    dim_u8 = dim.view(np.uint8)
    near = np.asarray(cv2.boxFilter(dim_u8, cv2.CV_8U, (3, 3), normalize=False))
    ring: npt.NDArray[Any] = cv2.boxFilter(dim_u8, cv2.CV_8U, (5, 5), normalize=False) - near
    centres = ((ring == 0) & (near <= MAX_SPECK) | (near == 1)) & clear
    return (cv2.dilate(centres.view(np.uint8), _SQUARE3) > 0) & dim


def find_specks(gray: Image) -> tuple[Mask, Mask]:
    """Dark specks on the paper and light specks in the strokes of a grayscale page."""
    # Otsu's threshold and class means from a sparse sample are as good and many times cheaper.
    sample = gray[::4, ::4]
    level, _ = cv2.threshold(sample.copy(), 0, 1, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    paper = float(sample[sample > level].mean()) if np.any(sample > level) else 255.0
    ink = float(sample[sample <= level].mean()) if np.any(sample <= level) else 0.0
    dark = _specks(gray <= level, gray < (level + paper) / 2)
    light = _specks(gray > level, gray > (level + ink) / 2)
    return dark, light


def denoise(image: Image) -> Image:
    """The image with isolated dark specks on the paper and light specks in strokes filled in.

    Only speck pixels change, each to the paper (or ink) around it; ``image`` itself comes
    back when there are none.
    """
    dark, light = find_specks(to_gray(image))
    if not (dark.any() or light.any()):
        return image
    cleaned = image.copy()
    # Around a speck there is only paper (or only ink), so the 5x5 maximum (or minimum) is it.
    cv2.copyTo(cv2.dilate(image, _SQUARE5), dark.view(np.uint8), cleaned)
    cv2.copyTo(cv2.erode(image, _SQUARE5), light.view(np.uint8), cleaned)
    return np.asarray(cleaned, dtype=np.uint8)
