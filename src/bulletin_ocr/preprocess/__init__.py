"""Page-image preprocessing before OCR: resolution, orientation, skew, lighting, specks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PreprocessOptions", "PreprocessReport", "preprocess", "unreadable_shape"]

# Resolutions below this are placeholders that software writes (JFIF's 72, Windows' 96), not
# what a scanner measured: the text itself is a better witness.
MIN_TRUSTED_DPI = 100
# A page image thinner than this, or longer than this many times its width, holds no line of
# text the recogniser can read (a 30000x30 strip shrinks to 960x1 for detection), and the
# measuring steps' downscaled copies of it would have a side of zero pixels.
MIN_PAGE_SIDE = 16
MAX_ASPECT = 50


@dataclass(frozen=True)
class PreprocessOptions:
    """Which preprocessing steps run, and the resolution they aim for."""

    orientation: bool = True
    """Detect and undo a 90, 180 or 270 degree rotation."""
    deskew: bool = True
    """Detect and undo a small skew (up to about 10 degrees)."""
    illumination: bool = True
    """Flatten uneven lighting and shadows."""
    show_through: bool = True
    """Whiten faint text showing through from the back of the sheet."""
    denoise: bool = True
    """Remove salt-and-pepper specks (never strokes or punctuation)."""
    normalize_resolution: bool = True
    target_dpi: int = 300
    """Resolution that low-resolution scans are raised to and high-resolution ones lowered to."""
    max_pixels: int = 40_000_000
    """Anything larger is scaled down to this many pixels."""


@dataclass
class PreprocessReport:
    """What preprocessing measured and did to one page."""

    rotation: int = 0
    """Degrees clockwise the page was turned, and that were undone: 0, 90, 180 or 270."""
    skew: float = 0.0
    """Degrees of skew undone (positive: the lines rose to the right)."""
    scale: float = 1.0
    """Factor applied to width and height."""
    dpi: float = 0.0
    """Resolution of the returned image (estimated from the text when none was given)."""
    steps: list[str] = field(default_factory=list)
    """Names of the steps that changed the image, in order."""


def preprocess(
    image: npt.NDArray[np.uint8],
    dpi: float | None,
    options: PreprocessOptions = PreprocessOptions(),
) -> tuple[npt.NDArray[np.uint8], PreprocessReport]:
    """Prepare a page image (uint8 grayscale or BGR) for OCR; return it and what was done.

    The image comes back in the same kind (grayscale or BGR) it came in. ``dpi`` None means
    unknown, and so does anything under 100 dpi: the resolution is then estimated from the
    height of the body text.
    """
    # Imported here so that importing the options (the CLI does) does not load OpenCV.
    from bulletin_ocr.preprocess.binarize import to_gray
    from bulletin_ocr.preprocess.denoise import denoise
    from bulletin_ocr.preprocess.deskew import deskew, estimate_skew
    from bulletin_ocr.preprocess.illumination import flatten_illumination
    from bulletin_ocr.preprocess.orientation import detect_rotation, rotate
    from bulletin_ocr.preprocess.resolution import estimate_dpi, normalize_resolution
    from bulletin_ocr.preprocess.show_through import suppress_show_through

    _check_image(image)
    report = PreprocessReport()
    if dpi is None or dpi < MIN_TRUSTED_DPI:
        # A page without text to measure is left at the size it is.
        dpi = estimate_dpi(to_gray(image)) or float(options.target_dpi)
    page = image
    if options.normalize_resolution:
        scaled, report.scale = normalize_resolution(
            page, dpi, options.target_dpi, options.max_pixels
        )
        page = _record(report, "resolution", page, scaled)
    report.dpi = dpi * report.scale
    if options.orientation:
        report.rotation = detect_rotation(to_gray(page))
        page = _record(report, "orientation", page, rotate(page, -report.rotation))
    if options.deskew:
        angle = estimate_skew(to_gray(page))
        level = deskew(page, angle)
        report.skew = angle if level is not page else 0.0
        page = _record(report, "deskew", page, level)
    if options.illumination:
        page = _record(report, "illumination", page, flatten_illumination(page))
    if options.show_through:
        page = _record(report, "show_through", page, suppress_show_through(page))
    if options.denoise:
        page = _record(report, "denoise", page, denoise(page))
    return page, report


def unreadable_shape(shape: tuple[int, ...]) -> str | None:
    """Why an image of this shape cannot be a page of text, or None when it can.

    >>> unreadable_shape((3508, 2480)) is None
    True
    >>> unreadable_shape((30, 30000))
    '30000x30 pixels, 1000 times as wide as it is high: too thin to hold a line of text'
    """
    height, width = shape[:2]
    short, long = sorted((height, width))
    if short >= MIN_PAGE_SIDE and long <= short * MAX_ASPECT:
        return None
    if long > short * MAX_ASPECT:
        sides = "wide as it is high" if width >= height else "high as it is wide"
        ratio = f"{long / max(short, 1):.0f} times as {sides}"
        return f"{width}x{height} pixels, {ratio}: too thin to hold a line of text"
    return f"{width}x{height} pixels: too small to hold a line of text"


def _record(
    report: PreprocessReport,
    step: str,
    before: npt.NDArray[np.uint8],
    after: npt.NDArray[np.uint8],
) -> npt.NDArray[np.uint8]:
    """``after``, with ``step`` noted in the report if it changed the page.

    Steps hand back their input itself when they change nothing.
    """
    if after is not before:
        report.steps.append(step)
    return after


def _check_image(image: npt.NDArray[np.uint8]) -> None:
    if str(image.dtype) != "uint8":
        raise ValueError(f"page image must be uint8, not {image.dtype}")
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise ValueError(f"page image must be grayscale or BGR, not of shape {image.shape}")
