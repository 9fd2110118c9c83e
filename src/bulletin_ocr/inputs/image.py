"""Image files (PNG, JPEG, TIFF with several pages, BMP, WebP) into page images with their dpi."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError, MalformedInputError, ResourceLimitError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"})
# The pixel budget of one page (``ConvertOptions.max_page_pixels``): larger pages are reduced
# to it. A page over BOMB_FACTOR times the budget is a decompression bomb or not a page, and
# is refused before it is decoded (at 40 MP: 120 MP, gigabytes once decoded).
DEFAULT_MAX_PIXELS = 40_000_000
BOMB_FACTOR = 3
# Modes whose samples go beyond 8 bits: Pillow's convert("L") clips them instead of scaling.
WIDE_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})


@dataclass
class PageImage:
    number: int
    pixels: Any
    """uint8 array, grayscale (H, W) or BGR (H, W, 3)."""
    dpi: float | None
    warnings: list[str] = field(default_factory=list)


def read_image_pages(
    path: Path, max_pixels: int = DEFAULT_MAX_PIXELS, pages: range | None = None
) -> Iterator[PageImage]:
    """Yield every frame of an image file as a page, decoding one at a time.

    Frames are turned upright by their EXIF orientation, scaled to 8 bits, and reduced to
    ``max_pixels`` when larger (with a warning). ``pages`` (1-based numbers, step 1) yields
    only those frames; the others are not decoded.
    """
    from PIL import Image, UnidentifiedImageError

    # Our own limit is checked before decoding; Pillow's bomb check would only warn below 2x.
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(path)
    except UnidentifiedImageError as error:
        raise InputError(str(path), "not an image Pillow can read") from error
    except OSError as error:
        raise MalformedInputError(str(path), f"cannot read image ({error})") from error
    with image:
        for number, frame in _frames(image, path, pages.start if pages else 1):
            if pages is not None and number >= pages.stop:
                return
            width, height = frame.size
            if width * height > max_pixels * BOMB_FACTOR:
                raise ResourceLimitError(
                    str(path),
                    f"page {number} is {width}x{height} pixels, over the limit of "
                    f"{max_pixels * BOMB_FACTOR:,} ({BOMB_FACTOR} times the page budget; "
                    "a decompression bomb or not a page)",
                )
            try:
                page = _page(frame, number, max_pixels)
            except DECODING_ERRORS as error:
                problem = f"page {number} cannot be decoded ({error})"
                raise MalformedInputError(str(path), problem) from error
            yield page


# What Pillow's decoders raise on damaged data (a truncated file, a bad chunk, a bad tag).
DECODING_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError)


def _frames(image: Any, path: Path, first: int = 1) -> Iterator[tuple[int, Any]]:
    """The frames of a (multi-page) image with their page numbers, from page ``first``; a
    frame that cannot be reached is a damaged file."""
    number = first
    while True:
        try:
            image.seek(number - 1)
        except EOFError:
            return
        except (*DECODING_ERRORS, TypeError) as error:  # TIFF: "Missing dimensions" of a cut IFD
            problem = f"page {number} cannot be reached ({error})"
            raise MalformedInputError(str(path), problem) from error
        yield number, image
        number += 1


def _page(frame: Any, number: int, max_pixels: int) -> PageImage:
    import numpy as np

    dpi = _dpi(frame)
    warnings = []
    gray = _to_gray(_upright(frame))
    width, height = gray.size
    if width * height > max_pixels:
        factor = math.sqrt(max_pixels / (width * height))
        size = (max(1, int(width * factor)), max(1, int(height * factor)))
        gray = gray.resize(size, reducing_gap=2.0)
        warnings.append(
            f"{width}x{height} pixels reduced to {size[0]}x{size[1]} to stay within "
            f"{max_pixels:,} pixels"
        )
        dpi = None if dpi is None else dpi * factor
    return PageImage(number, np.asarray(gray), dpi, warnings)


def _upright(frame: Any) -> Any:
    """The frame as it is meant to be seen: cameras and some scanners store it turned or
    mirrored and say so in the EXIF orientation tag (2-8); recognition needs it upright."""
    from PIL import ImageOps

    if frame.getexif().get(_EXIF_ORIENTATION, 1) in range(2, 9):
        return ImageOps.exif_transpose(frame)
    return frame


_EXIF_ORIENTATION = 0x0112


def _to_gray(frame: Any) -> Any:
    """8-bit grayscale: recognition works on luminance, and it is a third of BGR's memory."""
    from PIL import Image

    if frame.mode in WIDE_MODES:
        return Image.fromarray(to_eight_bits(frame))
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        background = Image.new("RGB", frame.size, "white")
        converted = frame.convert("RGBA")
        background.paste(converted, mask=converted.getchannel("A"))
        frame = background
    return frame.convert("L")


def to_eight_bits(frame: Any) -> Any:
    """16-bit, 32-bit and float samples scaled to 0-255 by the bit depth the scan uses.

    Pillow's ``convert("L")`` clips them at 255, which turns a whole 16-bit page white.
    Scanners that write 10 or 12 bits into 16-bit samples are scaled by their own range,
    taken from the largest sample: never by the page's contrast, which would blow a blank
    page's noise up into specks.

    >>> import numpy as np
    >>> from PIL import Image
    >>> wide = Image.fromarray(np.array([[0, 32768, 65535]], dtype=np.uint16))
    >>> to_eight_bits(wide).tolist()
    [[0, 127, 255]]
    >>> twelve = Image.fromarray(np.array([[0, 2048, 4095]], dtype=np.uint16))
    >>> to_eight_bits(twelve).tolist()
    [[0, 127, 255]]
    """
    import numpy as np

    # A band of rows at a time, read from the image itself: the whole page in float64 was 8
    # bytes a pixel, three times over (a 119-megapixel 16-bit PNG peaked at 2.7 GB, issue 20),
    # and even np.asarray of the whole frame copies it twice (+470 MB on that page).
    width, height = frame.size
    bands = range(0, height, _BAND_ROWS)

    def band(row: int) -> Any:
        return _clean(np.asarray(frame.crop((0, row, width, min(height, row + _BAND_ROWS)))))

    top = max((float(band(row).max()) for row in bands), default=0.0)
    if frame.mode == "F" and top <= 1.0:
        full_scale = 1.0
    else:
        full_scale = float(2 ** max(8, math.ceil(math.log2(top + 1))) - 1)
    eight = np.empty((height, width), dtype=np.uint8)
    for row in bands:
        samples = band(row)
        samples *= 255.0 / full_scale
        eight[row : row + _BAND_ROWS] = samples  # truncated towards zero, as astype does
    return eight


_BAND_ROWS = 256


def _clean(samples: Any) -> Any:
    """Samples as float64, NaN and infinities as 0, negatives clipped to 0."""
    import numpy as np

    band = np.nan_to_num(samples.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(band, 0, None, out=band)


def _dpi(frame: Any) -> float | None:
    dpi = frame.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and dpi[0]:
        value = float(dpi[0])
        return value if 50 <= value <= 2400 else None
    return None
