"""Text-line detection with a PP-OCR DB model on onnxruntime, as PaddleOCR 3 does it.

Resizing (``DetResizeForTest``), normalisation (``NormalizeImage``) and the DB post-processing
(``DBPostProcess``, quad boxes, "fast" scores), and the top-to-bottom box order
(``SortQuadBoxes``) follow PaddleX 3.7's code step by step (Apache-2.0), so the same model gives
the same boxes; only the pipeline's per-call machinery is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import cv2
import numpy as np
import numpy.typing as npt

T = TypeVar("T")
Quad = npt.NDArray[np.int16]
"""Four corners (x, y) clockwise from the top left, in page pixels."""

# Sides of the resized image are multiples of this (the network's total stride).
STRIDE = 32
MIN_BOX_SIDE = 3
# Candidates scored under the model's box threshold but at least this are kept apart as weak
# (a glyph standing alone scores 0.5 where a line scores 0.8 or more).
WEAK_SCORE = 0.35


@dataclass(frozen=True)
class DetectionSettings:
    """The knobs of PaddleOCR's detector; defaults are its pipeline's (OCR.yaml)."""

    limit_side_len: int = 960
    limit_type: str = "max"
    max_side_limit: int = 4000
    thresh: float = 0.3
    box_thresh: float = 0.6
    unclip_ratio: float = 1.5
    max_candidates: int = 1000
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    scale: float = 1 / 255


def detect_with_weak(
    session: Any, page: npt.NDArray[np.uint8], settings: DetectionSettings
) -> tuple[list[Quad], list[Quad]]:
    """The text-line quads of an RGB or grayscale page, top to bottom and left to right, and
    the quads of the candidates scored under ``box_thresh`` but at least ``WEAK_SCORE``
    (``ocr.lone_glyphs`` says which of them to keep)."""
    resized = _resize(page, settings)
    tensor = _normalise(resized, settings)
    output = session.run(None, {session.get_inputs()[0].name: tensor})[0]
    probability = output[0, 0]
    height, width = page.shape[:2]
    weak: list[Quad] = []
    boxes = _boxes_from_bitmap(
        probability, probability > settings.thresh, width, height, settings, weak
    )
    return _sort_quads(boxes), weak


def _resize(image: npt.NDArray[np.uint8], settings: DetectionSettings) -> npt.NDArray[np.uint8]:
    """``DetResizeForTest`` type 0: scale by the limit, then round each side to the stride."""
    h, w = image.shape[:2]
    if h + w < 64:
        padded = np.zeros((max(32, h), max(32, w), *image.shape[2:]), np.uint8)
        padded[:h, :w] = image
        image, (h, w) = padded, padded.shape[:2]
    limit = settings.limit_side_len
    if settings.limit_type == "max":
        ratio = limit / max(h, w) if max(h, w) > limit else 1.0
    elif settings.limit_type == "min":
        ratio = limit / min(h, w) if min(h, w) < limit else 1.0
    elif settings.limit_type == "resize_long":
        ratio = limit / max(h, w)
    else:
        raise ValueError(f"unknown detection limit type {settings.limit_type!r}")
    resize_h, resize_w = int(h * ratio), int(w * ratio)
    if max(resize_h, resize_w) > settings.max_side_limit:
        ratio = settings.max_side_limit / max(resize_h, resize_w)
        resize_h, resize_w = int(resize_h * ratio), int(resize_w * ratio)
    resize_h = max(round(resize_h / STRIDE) * STRIDE, STRIDE)
    resize_w = max(round(resize_w / STRIDE) * STRIDE, STRIDE)
    if (resize_h, resize_w) == (h, w):
        return image
    return np.asarray(cv2.resize(image, (resize_w, resize_h)), dtype=np.uint8)


def _normalise(image: npt.NDArray[np.uint8], settings: DetectionSettings) -> npt.NDArray[Any]:
    """(x * scale - mean) / std per channel, as a 1x3xHxW float32 tensor (a grayscale image
    gives its one channel to all three)."""
    alpha = np.array([settings.scale / s for s in settings.std], np.float32)
    beta = np.array([-m / s for m, s in zip(settings.mean, settings.std, strict=True)], np.float32)
    planes = image[None] if image.ndim == 2 else image.transpose(2, 0, 1)
    chw = planes.astype(np.float32) * alpha[:, None, None]
    chw += beta[:, None, None]
    return chw[None]


def _boxes_from_bitmap(
    pred: npt.NDArray[np.float32],
    bitmap: npt.NDArray[np.bool_],
    dest_width: int,
    dest_height: int,
    settings: DetectionSettings,
    weak: list[Quad] | None = None,
) -> list[Quad]:
    height, width = bitmap.shape
    width_scale, height_scale = dest_width / width, dest_height / height
    contours, _ = cv2.findContours(
        bitmap.astype(np.uint8) * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE
    )
    boxes: list[Quad] = []
    for contour in contours[: settings.max_candidates]:
        points, short_side = _mini_box(contour)
        if short_side < MIN_BOX_SIDE:
            continue
        corners = np.array(points)
        score = _box_score_fast(pred, corners.reshape(-1, 2))
        found = boxes if score >= settings.box_thresh else weak
        if found is None or score < WEAK_SCORE:
            continue
        expanded = _unclip(corners, settings.unclip_ratio).reshape(-1, 1, 2)
        points, short_side = _mini_box(expanded)
        if short_side < MIN_BOX_SIDE + 2:
            continue
        box = np.array(points)
        box[:, 0] = np.clip(np.round(box[:, 0] * width_scale), 0, dest_width)
        box[:, 1] = np.clip(np.round(box[:, 1] * height_scale), 0, dest_height)
        found.append(box.astype(np.int16))
    return boxes


def _unclip(box: npt.NDArray[Any], ratio: float) -> npt.NDArray[Any]:
    """The box grown by area * ratio / perimeter on every side (rounded corners)."""
    import pyclipper

    distance = cv2.contourArea(box) * ratio / cv2.arcLength(box, True)
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    expanded = offset.Execute(distance)
    try:
        return np.array(expanded)
    except ValueError:  # several polygons of different lengths: PaddleX keeps the first
        return np.array(expanded[0])


def _mini_box(contour: npt.NDArray[Any]) -> tuple[list[Any], float]:
    """The minimum-area rectangle's corners (top left first, clockwise) and its short side."""
    rectangle = cv2.minAreaRect(contour)
    points = sorted(cv2.boxPoints(rectangle), key=lambda p: p[0])
    first, fourth = (0, 1) if points[1][1] > points[0][1] else (1, 0)
    second, third = (2, 3) if points[3][1] > points[2][1] else (3, 2)
    return [points[first], points[second], points[third], points[fourth]], min(rectangle[1])


def _box_score_fast(bitmap: npt.NDArray[np.float32], box: npt.NDArray[Any]) -> float:
    """Mean probability inside the box."""
    h, w = bitmap.shape[:2]
    box = box.copy()
    xmin = max(0, min(math.floor(box[:, 0].min()), w - 1))
    xmax = max(0, min(math.ceil(box[:, 0].max()), w - 1))
    ymin = max(0, min(math.floor(box[:, 1].min()), h - 1))
    ymax = max(0, min(math.ceil(box[:, 1].max()), h - 1))
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] -= xmin
    box[:, 1] -= ymin
    cv2.fillPoly(mask, [box.reshape(-1, 2).astype(np.int32)], (1,))
    return float(cv2.mean(bitmap[ymin : ymax + 1, xmin : xmax + 1], mask)[0])


def _sort_quads(boxes: list[Quad]) -> list[Quad]:
    """Top to bottom; boxes whose tops lie within 10 px are taken left to right."""
    return sort_by_corner(boxes, lambda box: (float(box[0][0]), float(box[0][1])))


def sort_by_corner(items: Sequence[T], corner: Callable[[T], tuple[float, float]]) -> list[T]:
    """``items`` in the detector's reading order by their top-left ``corner`` (x, y): top to
    bottom, those whose tops lie within 10 px left to right."""
    ordered = sorted(items, key=lambda item: (corner(item)[1], corner(item)[0]))
    for i in range(len(ordered) - 1):
        for j in range(i, -1, -1):
            (x_next, y_next), (x, y) = corner(ordered[j + 1]), corner(ordered[j])
            if abs(y_next - y) < 10 and x_next < x:
                ordered[j], ordered[j + 1] = ordered[j + 1], ordered[j]
            else:
                break
    return ordered
