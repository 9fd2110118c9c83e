"""Show-through: faint text bleeding through from the back of the sheet, whitened away.

After the lighting is flattened, paper is white and the page's own ink is dark; ink from the
back of the sheet sits close to white. Pixels much lighter than the ink are set to paper, so the
detector does not find, and the recogniser does not read, the mirrored text from the back.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

# Pixels lighter than this share of the way from ink to paper become paper. Anti-aliased
# stroke edges lose a little; the glyphs keep their shape.
PAPER_SHARE = 0.65
# Below this much ink, a page is blank or a photograph and is left alone.
MIN_INK_PIXELS = 500
# Fewer faint pixels than this share of the page is noise, not show-through.
MIN_GHOST_SHARE = 0.002


def suppress_show_through(image: Image) -> Image:
    """The page with faint show-through whitened; ``image`` itself when there is none.

    Only faint pixels away from the page's own ink count: the soft edges of real strokes
    stay as they are.
    """
    import cv2

    gray = image if image.ndim == 2 else image.min(axis=2)
    sample = gray[::4, ::4]
    dark = sample[sample < 128]
    if dark.size < MIN_INK_PIXELS:
        return image
    ink = float(np.percentile(dark, 10))
    paper = float(np.percentile(sample, 90))
    limit = ink + PAPER_SHARE * (paper - ink)
    near_ink = cv2.dilate((gray <= limit).astype(np.uint8), np.ones((5, 5), np.uint8))
    ghost = (gray > limit) & (gray < paper - 8) & (near_ink == 0)
    if ghost.mean() < MIN_GHOST_SHARE:
        return image
    cleaned: Image = image.copy()
    cleaned[ghost] = 255
    return cleaned
