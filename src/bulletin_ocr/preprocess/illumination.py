"""Flatten uneven lighting (shadows, gradients, grey paper) by dividing by paper brightness."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

# The paper brightness is estimated on a copy this long, where body text is a few pixels tall:
# lighting varies over centimetres, so nothing finer is needed, and the filters stay cheap.
BACKGROUND_SIDE = 400
# A closing this wide (1/40 of the page, ~1.5 body characters) whites out lines of text and the
# strokes of large headline type. Wider ones follow steep shadows worse: at the edge of a spine
# shadow a closing lifts the paper estimate to the level half a kernel away.
KERNEL_FRACTION = 1 / 40
# Paper already this bright everywhere needs no flattening.
WHITE_ENOUGH = 250


def estimate_background(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The brightness of the paper under every pixel, the same shape as ``image``."""
    height, width = image.shape[:2]
    scale = min(1.0, BACKGROUND_SIDE / max(height, width))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    size = max(3, int(max(small.shape[:2]) * KERNEL_FRACTION) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    # Closing (max then min) removes dark ink narrower than the kernel without letting bright
    # paper grow into dark regions; the blur hides the kernel's blocky steps.
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (size, size), 0)
    return np.asarray(
        cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR), dtype=np.uint8
    )


def flatten_illumination(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The image divided by its paper brightness, so paper is white everywhere and ink stays dark.

    Returns ``image`` itself when the paper is already white all over.
    """
    background = estimate_background(image)
    if int(background.min()) >= WHITE_ENOUGH:
        return image
    return np.asarray(cv2.divide(image, background, scale=255), dtype=np.uint8)
