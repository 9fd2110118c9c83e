"""A degraded 300-dpi scan of a generated bulletin, with the degradations of ``make_scans.py``.

Every page of the PDF is rendered with pypdfium2 at 300 dpi, then: paper tint, skew (one angle
per page in ±1.5°), uneven light (each corner 25-40 % darker), dust specks, sensor noise, blur,
and stored as one of three ``mode``s, drawn per bulletin:

* ``gray_jpeg``: an image-only PDF of 8-bit grey JPEG pages (quality 60-75);
* ``color_jpeg``: the same in colour, so the red masthead and rule stay red (the degradations
  run on each channel with the same parameters and the same speck positions; the paper is
  slightly yellow);
* ``bw_tiff``: a multi-page 1-bit TIFF (CCITT group 4) after a fixed threshold, a scanner's
  black-and-white mode.

The parameters come from ``numpy.random.default_rng([seed, SCAN_STREAM])``, apart from the
layout's random stream, so making scans changes nothing else; they are returned (and stored in
the truth as ``scan``) with the same names as in ``samples/scans/manifest.json``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
from samples import make_scans as ms

DPI = 300
SCAN_STREAM = 300
SKEW_MAX_DEG = 1.5
MODES = ("gray_jpeg", "color_jpeg", "bw_tiff")
JPEG_QUALITY = (60, 75)
PAPER_YELLOW = 6        # the colour scan's paper: blue this much lower than red and green


def draw_params(seed: int, n_pages: int) -> dict[str, Any]:
    rng = np.random.default_rng([seed, SCAN_STREAM])

    def u(lo: float, hi: float, digits: int) -> float:
        return round(float(rng.uniform(lo, hi)), digits)

    mode = MODES[int(rng.integers(0, len(MODES)))]
    paper = int(rng.integers(ms.PAPER_GREY[0], ms.PAPER_GREY[1] + 1))
    params: dict[str, Any] = {
        "mode": mode,
        "dpi": DPI,
        "tint": {"paper": paper, "ink": int(rng.integers(ms.INK_GREY[0], ms.INK_GREY[1] + 1))},
        "skew": {"angle_deg": [u(-SKEW_MAX_DEG, SKEW_MAX_DEG, 2) for _ in range(n_pages)]},
        "light": {"centre": [u(0.5 - ms.LIGHT_CENTRE_SHIFT, 0.5 + ms.LIGHT_CENTRE_SHIFT, 3)
                             for _ in range(2)],
                  "corner_darkening": [u(*ms.CORNER_DARKENING, 3) for _ in range(4)]},
        "specks": {"per_cm2": u(*ms.SPECKS_PER_CM2, 2), "sizes_px": list(ms.SPECK_SIZES_PX),
                   "salt_fraction": ms.SALT_FRACTION},
        "noise": {"sigma": u(*ms.NOISE_SIGMA, 2)},
        "blur": {"sigma_px": u(*ms.BLUR_SIGMA_PX, 2)},
    }
    if mode == "bw_tiff":
        share = u(*ms.BINARIZE_FRACTION, 3)
        params["binarize"] = {"threshold_share": share, "threshold": round(share * paper)}
    else:
        params["jpeg"] = {"quality": int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))}
    return params


def render_ink(pdf: Any, page: int, color: bool) -> np.ndarray:
    """Ink coverage 0..1 of page ``page`` (1-based): h x w, or h x w x 3 in colour."""
    if not color:
        return ms.render(pdf, page, DPI)
    rgb = pdf[page - 1].render(scale=DPI / 72.0).to_pil().convert("RGB")
    return 1.0 - np.asarray(rgb, dtype=np.float64) / 255.0


def per_channel(img: np.ndarray, fn: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
    """Apply a 2-D degradation to each channel (``fn(channel, index)``), or to a grey image."""
    if img.ndim == 2:
        return fn(img, 0)
    return np.stack([fn(img[:, :, k], k) for k in range(img.shape[2])], axis=2)


def degrade(ink: np.ndarray, params: dict[str, Any], seed: int, index: int) -> np.ndarray:
    """One page: ink coverage in, grey levels (or RGB levels) 0-255 out, as make_scans does."""
    tint = params["tint"]
    paper = tint["paper"]
    papers = [paper, paper, paper - PAPER_YELLOW]
    img = per_channel(ink, lambda ch, k: ms.paper_tint(ch, papers[k], tint["ink"]))
    img = per_channel(img, lambda ch, k: ms.skew(ch, params["skew"]["angle_deg"][index],
                                                 papers[k]))
    light = params["light"]
    field = ms.light_field(img.shape[:2], light["centre"], light["corner_darkening"])
    img = img * (field[:, :, None] if img.ndim == 3 else field)
    sp = params["specks"]
    # The same generator state for every channel: specks land in the same place on each.
    img = per_channel(img, lambda ch, k: ms.specks(
        ch, np.random.default_rng([seed, SCAN_STREAM, index]), sp["per_cm2"], sp["sizes_px"],
        sp["salt_fraction"], papers[k], tint["ink"], DPI))
    noise_rng = np.random.default_rng([seed, SCAN_STREAM, index, 1])
    img = per_channel(img, lambda ch, k: ms.sensor_noise(ch, noise_rng, params["noise"]["sigma"]))
    img = per_channel(img, lambda ch, k: ms.gaussian(ch, params["blur"]["sigma_px"]))
    if "binarize" in params:
        img = ms.binarize(img, params["binarize"]["threshold"])
    return ms.to_u8(img)


def make_scan(pdf_bytes: bytes, seed: int) -> tuple[bytes, str, dict[str, Any]]:
    """(file bytes, extension, parameters) of the scan of a bulletin's PDF."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        params = draw_params(seed, len(pdf))
        color = params["mode"] == "color_jpeg"
        pages = []
        for index in range(len(pdf)):
            pixels = degrade(render_ink(pdf, index + 1, color), params, seed, index)
            image = Image.fromarray(pixels, "RGB" if color else "L")
            if "binarize" in params:
                image = image.convert("1", dither=Image.Dither.NONE)
            pages.append(image)
    finally:
        pdf.close()
    buf = io.BytesIO()
    if params["mode"] == "bw_tiff":
        pages[0].save(buf, "TIFF", compression="group4", dpi=(DPI, DPI), save_all=True,
                      append_images=pages[1:])
        return buf.getvalue(), "tif", params
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI),
                  quality=params["jpeg"]["quality"], creationDate=ms.PDF_DATE,
                  modDate=ms.PDF_DATE, producer="samples/corpus", creator="samples/corpus")
    return buf.getvalue(), "pdf", params
