"""Image files (PNG, JPEG, TIFF with several pages, BMP, WebP) into page images with their dpi."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"})
# A 600 dpi A3 page is about 70 megapixels; anything far beyond is a decompression bomb or
# not a page, and would take gigabytes to decode.
MAX_PIXELS = 120_000_000


@dataclass
class PageImage:
    number: int
    pixels: Any
    """uint8 array, grayscale (H, W) or BGR (H, W, 3)."""
    dpi: float | None


def read_image_pages(path: Path, max_pixels: int = MAX_PIXELS) -> Iterator[PageImage]:
    """Yield every frame of an image file as a page, decoding one at a time."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    # Our own limit is checked before decoding; Pillow's bomb check would only warn below 2x.
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(path)
    except UnidentifiedImageError as error:
        raise InputError(str(path), "not an image Pillow can read") from error
    except OSError as error:
        raise InputError(str(path), f"cannot read image ({error})") from error
    with image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            width, height = frame.size
            if width * height > max_pixels:
                raise InputError(
                    str(path),
                    f"page {number} is {width}x{height} pixels, over the limit of "
                    f"{max_pixels:,} (a decompression bomb or not a page)",
                )
            try:
                pixels = np.asarray(_to_gray(frame))
            except OSError as error:
                raise InputError(str(path), f"page {number} cannot be decoded ({error})") from error
            yield PageImage(number, pixels, _dpi(frame))


def _to_gray(frame: Any) -> Any:
    """8-bit grayscale: recognition works on luminance, and it is a third of BGR's memory."""
    if frame.mode in ("RGBA", "LA", "P"):
        from PIL import Image

        background = Image.new("RGB", frame.size, "white")
        converted = frame.convert("RGBA")
        background.paste(converted, mask=converted.getchannel("A"))
        frame = background
    return frame.convert("L")


def _dpi(frame: Any) -> float | None:
    dpi = frame.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and dpi[0]:
        value = float(dpi[0])
        return value if 50 <= value <= 2400 else None
    return None
