"""Measure and undo a small skew (up to about 10 degrees) of the text lines."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from bulletin_ocr.preprocess.binarize import Image, text_mask

MAX_SKEW = 10.0
COARSE_STEP, FINE_STEP = 0.5, 0.05
# Enough ink pixels to make a sharp profile; more only costs time.
COARSE_SAMPLE, FINE_SAMPLE = 40_000, 250_000
# Rotating by less would blur the page for a drift of under a pixel per 500.
NEGLIGIBLE_SKEW = 0.1
# A skewed text page projects at least this much more sharply at its angle than level (0.1
# degrees of skew already gives 1.004); noise and photographs, whose best angle is chance,
# stay below it.
MIN_GAIN = 1.001


def _sharpness(ys: npt.NDArray[np.float64], xs: npt.NDArray[np.float64], angle: float) -> float:
    """How sharply the ink falls into rows when projected along ``angle`` degrees."""
    theta = np.deg2rad(angle)
    rows = ys * np.cos(theta) + xs * np.sin(theta)
    rows -= rows.min()
    profile = np.bincount(rows.astype(np.intp)).astype(np.float64)
    # Sum of squares: with the ink total fixed it grows as the lines separate from the gaps.
    return float(np.dot(profile, profile))


def _best_angle(
    ys: npt.NDArray[np.float64],
    xs: npt.NDArray[np.float64],
    centre: float,
    span: float,
    step: float,
) -> float:
    angles = np.arange(centre - span, centre + span + step / 2, step)
    scores = [_sharpness(ys, xs, float(a)) for a in angles]
    return float(angles[int(np.argmax(scores))])


def skew_of_mask(mask: Image, fine: bool = True) -> float:
    """Skew in degrees (positive: lines rise to the right) of a text mask with ink as 1.

    ``fine=False`` stops at the coarse search, to within a quarter of a degree.
    """
    found = cv2.findNonZero(mask)
    if found is None or len(found) < 100:
        return 0.0
    points = np.asarray(found, dtype=np.float64).reshape(-1, 2)
    coarse = points[:: max(1, len(points) // COARSE_SAMPLE)]
    angle = _best_angle(coarse[:, 1], coarse[:, 0], 0.0, MAX_SKEW, COARSE_STEP)
    if not fine:
        return angle
    points = points[:: max(1, len(points) // FINE_SAMPLE)]
    ys, xs = points[:, 1], points[:, 0]
    angle = _best_angle(ys, xs, angle, COARSE_STEP, FINE_STEP)
    if _sharpness(ys, xs, angle) < MIN_GAIN * _sharpness(ys, xs, 0.0):
        return 0.0
    return angle


def estimate_skew(gray: Image) -> float:
    """Skew of the page's text lines in degrees, positive when they rise to the right."""
    mask, _ = text_mask(gray)
    return round(skew_of_mask(mask), 2) + 0.0  # + 0.0: no -0.0 in reports


def paper_colour(image: Image) -> tuple[float, ...]:
    """The colour of most of the page: the median of a sparse grid of its pixels."""
    sample = image[::16, ::16].reshape(-1, 1 if image.ndim == 2 else image.shape[2])
    return tuple(float(v) for v in np.median(sample, axis=0))


def deskew(image: Image, angle: float) -> Image:
    """The image turned so that lines skewed by ``angle`` degrees run level; same size.

    The corners this uncovers take the paper's colour, not black, so they read as margin.
    Returns ``image`` itself for negligible angles.
    """
    if abs(angle) < NEGLIGIBLE_SKEW:
        return image
    height, width = image.shape[:2]
    # OpenCV turns counter-clockwise for positive angles; lines rising to the right are undone
    # by turning clockwise.
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    turned = cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=paper_colour(image),
    )
    return np.asarray(turned, dtype=np.uint8)
