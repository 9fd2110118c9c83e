"""Detect and undo a page turned by 90, 180 or 270 degrees."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from bulletin_ocr.preprocess.binarize import INK_PER_EM, Image, character_size, text_mask
from bulletin_ocr.preprocess.deskew import deskew, skew_of_mask

Stats = npt.NDArray[np.int32]

_ROTATE_CODES = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}
# How much longer blobs must grow along one direction than along the other before we believe
# the text runs that way (text pages measure 3-13, noise and photographs about 1).
MIN_ELONGATION = 2.0
# Votes needed, and the share of all votes the winning side must hold, to turn a page over.
MIN_VOTES, MIN_SHARE = 4, 0.75


def rotate(image: Image, degrees: int) -> Image:
    """The image turned clockwise by a multiple of 90 degrees (negative turns anticlockwise)."""
    degrees %= 360
    if degrees % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, not {degrees}")
    if degrees == 0:
        return image
    return np.asarray(cv2.rotate(image, _ROTATE_CODES[degrees]), dtype=np.uint8)


def detect_rotation(gray: Image) -> int:
    """How far clockwise (0, 90, 180, 270) the page's text is turned; 0 when unsure."""
    mask, _ = text_mask(gray)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    char = character_size(stats)
    if char == 0:
        return 0
    direction = _line_direction(mask, char)
    if direction == 0:
        return 0
    sideways = direction < 0
    if sideways:
        mask = rotate(mask, -90)
    # Level the lines (to a quarter degree) so that lines and their edges line up in rows.
    mask = deskew(mask, skew_of_mask(mask, fine=False))
    lines, line_stats = _text_lines(mask, char)
    up, down = _punctuation_votes(mask, char, lines, line_stats)
    indented_up, indented_down = _indent_votes(char, line_stats)
    upright = _verdict(up + indented_up, down + indented_down)
    if sideways:
        # A page on its side is certain to need turning; if we cannot tell which way, a
        # quarter turn still gives the recogniser horizontal lines it can flip one by one.
        return 270 if upright < 0 else 90
    return 180 if upright < 0 else 0


def _blob_extent(mask: Image, stat: int) -> float:
    """Width (stat CC_STAT_WIDTH) or height of the blobs of ``mask``, averaged over their ink."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    area = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    return float(np.dot(area, stats[1:, stat])) / max(float(area.sum()), 1.0)


def _line_direction(mask: Image, char: float) -> int:
    """+1 for horizontal text lines, -1 for vertical ones, 0 when neither stands out.

    Closing along a direction by half a character bridges the gaps between the characters of a
    line (and between the pieces of characters a 1-bit scan breaks up) but not the wider gaps
    between lines (even with leading as tight as 1.2), so along the lines the blobs grow whole
    segments of line long, while across them they stay a character tall. The test is local,
    so a skewed page passes it too.
    """
    size = max(3, round(0.5 * char))
    along_rows = _blob_extent(_close(mask, (1, size)), cv2.CC_STAT_WIDTH)
    along_columns = _blob_extent(_close(mask, (size, 1)), cv2.CC_STAT_HEIGHT)
    ratio = along_rows / max(along_columns, 1.0)
    if ratio >= MIN_ELONGATION:
        return 1
    if ratio <= 1 / MIN_ELONGATION:
        return -1
    return 0


def _close(mask: Image, shape: tuple[int, int]) -> Image:
    """Morphological closing with a rows x columns rectangle: bridges gaps narrower than it."""
    return np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones(shape, np.uint8)), np.uint8)


def _verdict(up: int, down: int) -> int:
    """+1 (upright) or -1 (upside down) when one side wins the votes clearly, else 0."""
    if up + down < MIN_VOTES:
        return 0
    if up >= MIN_SHARE * (up + down):
        return 1
    if down >= MIN_SHARE * (up + down):
        return -1
    return 0


def _punctuation_votes(
    mask: Image, char: float, lines: Image, line_stats: Stats
) -> tuple[int, int]:
    """Votes for upright and upside down from where full-width punctuation sits in its line.

    A comma (and, in mainland faces, the full stop and the enumeration comma) is a small mark
    alone at the bottom of its character cell: in the lower part of the line on an upright page,
    the upper part on an upside-down one. Parts of characters are told apart by having other
    ink above or below them within the line; quotation marks, which sit high, by coming in pairs.
    """
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, area = (stats[1:, i].astype(np.float64) for i in range(5))
    size = np.maximum(w, h)
    small = (size <= 0.45 * char) & (size >= 0.12 * char)
    marks = np.flatnonzero(small & (w <= 1.3 * h + 1))
    others = np.flatnonzero(small)
    # Quotation marks are two ticks side by side at the same height.
    same_height = np.abs((y + h / 2)[marks, None] - (y + h / 2)[None, others]) <= 0.25 * char
    gap = np.maximum(
        x[others][None, :] - (x + w)[marks, None], x[marks, None] - (x + w)[others][None, :]
    )
    near = same_height & (gap <= 0.3 * char) & (marks[:, None] != others[None, :])
    marks = marks[~near.any(axis=1)]
    # The line each mark belongs to, and that line's top and bottom.
    line = lines[(y + h // 2)[marks].astype(np.intp), (x + w // 2)[marks].astype(np.intp)]
    marks, line = marks[line > 0], line[line > 0]
    top = line_stats[line, cv2.CC_STAT_TOP].astype(np.float64)
    bottom = top + line_stats[line, cv2.CC_STAT_HEIGHT]
    marks, top, bottom = (
        v[(bottom - top >= 0.6 * char) & (bottom - top <= 2.0 * char)] for v in (marks, top, bottom)
    )
    # Alone in its column of the line (give or take a stroke's width): all the ink there is the
    # mark's own. The margin catches dots like the one of 门, set just off their stroke.
    ink = cv2.integral(mask)
    margin = max(1, round(0.1 * char))
    left = np.maximum(x[marks] - margin, 0).astype(np.intp)
    right = np.minimum(x[marks] + w[marks] + margin, mask.shape[1]).astype(np.intp)
    upper, lower = top.astype(np.intp), bottom.astype(np.intp)
    column = ink[lower, right] - ink[upper, right] - ink[lower, left] + ink[upper, left]
    alone = column == area[marks]
    place = ((y + h / 2)[marks] - top) / (bottom - top)
    in_lower, in_upper = alone & (place >= 0.65), alone & (place <= 0.35)
    return int(np.count_nonzero(in_lower)), int(np.count_nonzero(in_upper))


def _text_lines(mask: Image, char: float) -> tuple[Image, Stats]:
    """Labels and stats of the page's text lines: characters bridged along rows."""
    lines = _close(mask, (1, max(3, round(1.5 * char))))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    return np.asarray(labels), np.asarray(stats)


def _indent_votes(char: float, line_stats: Stats) -> tuple[int, int]:
    """Votes for upright and upside down from the shape of paragraphs.

    Upright, a paragraph's first line is indented two characters at its top left and its short
    last line ends early at its bottom right; turned over, both swap corners.

    Only pairs of lines directly above one another are compared, so columns do not mix.
    """
    x, y, w, h = (line_stats[1:, i].astype(np.float64) for i in range(4))
    keep = (h >= 0.6 * char) & (h <= 2.0 * char) & (w >= 4 * char)
    if not np.any(keep):
        return 0, 0
    x0, x1, cy = x[keep], x[keep] + w[keep], y[keep] + h[keep] / 2
    # Lines are as tall as whole characters even where a poor scan breaks the characters up
    # (and ``char`` with them), so the ems are measured on the lines.
    height = float(np.median(h[keep]))
    em = height / INK_PER_EM
    up = down = 0
    for i in range(x0.size):
        overlap = np.minimum(x1, x1[i]) - np.maximum(x0, x0[i])
        below = (
            (cy - cy[i] >= 0.8 * height)
            & (cy - cy[i] <= 3.0 * height)
            & (overlap > 0.5 * np.minimum(x1 - x0, x1[i] - x0[i]))
        )
        if not np.any(below):
            continue
        j = np.flatnonzero(below)[np.argmin(cy[below])]
        left = (x0[i] - x0[j]) / em  # how far the upper line starts right of the lower one
        right = (x1[i] - x1[j]) / em  # how far the upper line ends right of the lower one
        flush_left, flush_right = abs(left) < 0.5, abs(right) < 0.5
        indent_left, indent_right = abs(left - 2) < 0.5, abs(right - 2) < 0.5
        if (flush_right and indent_left) or (flush_left and right > 1 and not indent_right):
            up += 1
        elif (flush_left and indent_right) or (flush_right and left > 1 and not indent_left):
            down += 1
    return up, down
