"""Grayscale and binary text masks shared by the measuring steps (orientation, skew, resolution)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from bulletin_ocr.preprocess.illumination import flatten_illumination

Image = npt.NDArray[np.uint8]

# Long side of the copy the measuring steps work on: characters of 300-dpi body text come out
# ~25 px tall, plenty to see their shape, and every pass over the copy takes a millisecond or two.
MEASURE_SIDE = 1600
# A character's ink is a little shorter than its em square (0.86-0.90 measured on a Ming face).
INK_PER_EM = 0.88


def to_gray(image: Image) -> Image:
    """The image as one channel; a grayscale image is returned as is."""
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def text_mask(gray: Image) -> tuple[Image, float]:
    """Ink as 1, paper as 0, on a copy no longer than MEASURE_SIDE; also the copy's scale.

    Flattening the lighting first lets one Otsu threshold hold across shadows and gradients.
    """
    scale = min(1.0, MEASURE_SIDE / max(gray.shape))
    small = gray
    if scale < 1.0:
        small = np.asarray(
            cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8
        )
    flat = flatten_illumination(small)
    _, mask = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return np.asarray(mask, dtype=np.uint8), scale


def character_size(stats: npt.NDArray[Any]) -> float:
    """Body-text character size (px) from connected-component stats; 0 when there is no text.

    Each component counts by its longer side: the halves of a left-right character are as tall
    as the character and those of a top-bottom one as wide, so the measure does not change when
    the page lies on its side. Parts of characters and punctuation are smaller than whole
    characters, and headlines larger but few: the median of the components at least half as
    large as the large ones (90th percentile) is a whole body character.
    """
    sizes = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    sizes = sizes[sizes >= 3]
    if sizes.size < 10:
        return 0.0
    large = float(np.percentile(sizes, 90))
    return float(np.median(sizes[sizes >= large / 2]))
