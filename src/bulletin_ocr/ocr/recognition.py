"""Text-line recognition with a PP-OCR CTC model on onnxruntime, as PaddleOCR 3 does it.

Cropping (``CropByPolys``, quad), resizing and normalisation (``OCRReisizeNormImg``), batching
(lines sorted by aspect ratio, zero-padded to the widest of their batch), CTC decoding and the
word boxes (``CTCLabelDecode``, ``cal_ocr_word_box``) follow PaddleX 3.7's code (Apache-2.0),
so the same model reads the same text. What differs is how the work is run: the batches go to
a small pool of threads, each running the model on one core (see ``OnnxRecogniser``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Box = tuple[float, float, float, float]
# Widest input PaddleX feeds the recogniser; wider lines are squeezed to it.
MAX_INPUT_WIDTH = 3200
_LATIN_OR_DIGIT = re.compile("[a-zA-Z0-9]")
_DIGIT = re.compile("[0-9]")


@dataclass(frozen=True)
class RecognitionSettings:
    characters: tuple[str, ...]
    """Index 0 is CTC's blank; the model's character list follows, then a space."""
    image_shape: tuple[int, int, int] = (3, 48, 320)
    batch_size: int = 8
    score_thresh: float = 0.0


@dataclass(frozen=True)
class ReadLine:
    """What the recogniser read in one crop, with its word boxes in page pixels."""

    text: str
    score: float
    words: tuple[tuple[str, Box], ...]


def characters_from_dict(character_dict: Sequence[str]) -> tuple[str, ...]:
    """CTC's labels for a model's character list: blank first, a space last."""
    return ("blank", *character_dict, " ")


def crop_line(gray_or_rgb: npt.NDArray[np.uint8], quad: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The quad's minimum-area rectangle, straightened; tall crops turned on their side."""
    rectangle = cv2.minAreaRect(np.array(quad).astype(np.int32))
    points = sorted(cv2.boxPoints(rectangle), key=lambda p: p[0])
    a, d = (0, 1) if points[1][1] > points[0][1] else (1, 0)
    b, c = (2, 3) if points[3][1] > points[2][1] else (3, 2)
    corners = np.array([points[a], points[b], points[c], points[d]])
    width = int(max(_distance(corners[0], corners[1]), _distance(corners[2], corners[3])))
    height = int(max(_distance(corners[0], corners[3]), _distance(corners[1], corners[2])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    crop = cv2.warpPerspective(
        gray_or_rgb, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE,
        flags=cv2.INTER_CUBIC,
    )
    if crop.shape[0] * 1.0 / crop.shape[1] >= 1.5:
        crop = np.rot90(crop)
    return np.asarray(crop)


def _distance(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> float:
    return float(np.linalg.norm(a - b))


def batches(ratios: Sequence[float], size: int) -> list[list[int]]:
    """Crop indices sorted by aspect ratio, in runs of ``size``: the padding stays small.

    >>> batches([3.0, 1.0, 2.0, 5.0], 2)
    [[1, 2], [0, 3]]
    """
    order = sorted(range(len(ratios)), key=lambda i: ratios[i])
    return [order[i : i + size] for i in range(0, len(order), size)]


def run_batch(
    run: Callable[[npt.NDArray[np.float32]], npt.NDArray[np.float32]],
    crops: Sequence[npt.NDArray[Any]],
    settings: RecognitionSettings,
) -> list[Decoded]:
    """Read one batch of crops, zero-padded to the widest."""
    _, height, base_width = settings.image_shape
    ratios = [crop.shape[1] / crop.shape[0] for crop in crops]
    inputs = [_resize_normalise(crop, height, base_width) for crop in crops]
    width = max(image.shape[2] for image in inputs)
    tensor = np.zeros((len(inputs), 3, height, width), np.float32)
    for index, image in enumerate(inputs):
        tensor[index, :, :, : image.shape[2]] = image
    probabilities = run(tensor)
    max_ratio = max(base_width / height, *ratios)
    return [
        _decode(row, settings.characters, ratio / max_ratio)
        for row, ratio in zip(probabilities, ratios, strict=True)
    ]


def _resize_normalise(crop: npt.NDArray[Any], height: int, base_width: int) -> npt.NDArray[Any]:
    """The crop at the model's height and its own width (at least ``base_width``), in [-1, 1]."""
    ratio = crop.shape[1] / crop.shape[0]
    width = int(height * max(base_width / height, ratio))
    if width > MAX_INPUT_WIDTH:
        width = resized_width = MAX_INPUT_WIDTH
    else:
        resized_width = min(width, math.ceil(height * ratio))
    resized = cv2.resize(crop, (resized_width, height))
    if resized.ndim == 2:  # a grayscale page: the three channels are the same
        resized = np.repeat(resized[:, :, None], 3, axis=2)
    image = resized.astype(np.float32).transpose(2, 0, 1) / 255
    image -= 0.5
    image /= 0.5
    padded = np.zeros((3, height, width), np.float32)
    padded[:, :, :resized_width] = image
    return padded


@dataclass(frozen=True)
class Decoded:
    text: str
    score: float
    columns: tuple[int, ...]
    """The output column each character of ``text`` was read in."""
    span: float
    """How many output columns cover the crop itself rather than the padding."""


def _decode(
    probabilities: npt.NDArray[np.float32], characters: Sequence[str], share: float
) -> Decoded:
    """Greedy CTC: the best label per column, repeats merged, blanks dropped."""
    best = probabilities.argmax(axis=-1)
    score = probabilities[np.arange(best.size), best]
    keep = np.ones(best.size, dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    text = "".join(characters[i] for i in best[keep])
    confidence = float(np.mean(score[keep])) if keep.any() else 0.0
    columns = tuple(int(c) for c in np.flatnonzero(keep))
    return Decoded(text, confidence, columns, best.size * share)


def word_boxes(decoded: Decoded, quad: npt.NDArray[Any]) -> list[tuple[str, Box]]:
    """Each Chinese character, and each run of Latin letters, digits or symbols, with the box
    its columns cover inside the line's quad (x0, top, x1, bottom)."""
    words = _words(decoded.text, decoded.columns)
    xs, ys = quad[:, 0], quad[:, 1]
    vertical = (ys.max() - ys.min()) / (xs.max() - xs.min()) > 1.5
    corners = quad.tolist()
    along = (corners[0][1], corners[2][1]) if vertical else (corners[0][0], corners[1][0])
    start, size = along[0], along[1] - along[0]
    cell = size / decoded.span
    placed: list[tuple[float, float]] = []
    contents: list[str] = []
    cjk_sizes, cjk_columns = [], []
    for word, columns, state in words:
        if state == "cn":
            if len(columns) != 1:
                cjk_sizes.append((columns[-1] - columns[0] + 1) * cell / (len(columns) - 1))
            cjk_columns += columns
            contents += word
        else:
            placed.append(
                (start + int(columns[0] * cell), start + int((columns[-1] + 1) * cell))
            )
            contents.append("".join(word))
    if cjk_columns:
        char_size = float(np.mean(cjk_sizes)) if cjk_sizes else size / len(decoded.text)
        for column in cjk_columns:
            centre = (column + 0.5) * cell
            placed.append(
                (max(int(centre - char_size / 2), 0) + start,
                 min(int(centre + char_size / 2), size) + start)
            )
    across = (corners[0][0], corners[1][0]) if vertical else (corners[0][1], corners[2][1])
    top, bottom = min(across), max(across)
    boxes: list[Box] = []
    for a, b in sorted(placed, key=lambda span: (span[0] + span[1]) / 2):
        low, high = float(min(a, b)), float(max(a, b))
        boxes.append((top, low, bottom, high) if vertical else (low, top, high, bottom))
    return list(zip(contents, boxes, strict=False))


def _words(text: str, columns: Sequence[int]) -> list[tuple[list[str], list[int], str]]:
    """Runs of Chinese characters ("cn"), of letters and numbers ("en&num": 1.5, VGG-16), and
    of anything else ("symbol"), each with the columns of its characters."""
    words: list[tuple[list[str], list[int], str]] = []
    state: str | None = None
    for index, char in enumerate(text):
        if "\u4e00" <= char <= "\u9fff":
            kind = "cn"
        elif _LATIN_OR_DIGIT.match(char):
            kind = "en&num"
        else:
            kind = "symbol"
        if char == "." and state == "en&num" and _DIGIT.match(text[index + 1 : index + 2]):
            kind = "en&num"
        if char == "-" and state == "en&num":
            kind = "en&num"
        if state is None or kind != state or not words:
            words.append(([], [], kind))
            state = kind
        words[-1][0].append(char)
        words[-1][1].append(columns[index])
    return words
