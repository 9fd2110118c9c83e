#!/usr/bin/env python3
"""Render the sample PDFs as degraded office scans: the OCR fixtures under ``samples/scans/``.

Every output, one row of ``SCANS_TABLE`` below, is made from ``samples/pdf/<sample>.pdf``: each
page is rendered with pypdfium2 in grayscale at the output's dpi, then put through the
degradations named in its row (always in the pipeline order of ``PIPELINE``, whatever order the
row lists them in), then stored. The expected text of every output is its sample's truth,
``samples/src/<sample>.json`` (golden JSON in ``samples/expected/``).
``samples/scans/manifest.json`` lists every output with the pages it shows, its dpi and the exact
degradation parameters drawn for it.

Needs numpy, pillow, pypdfium2 and opencv (``opencv-contrib-python`` or ``opencv-python``), all
runtime dependencies of the package; the sample PDFs come from ``samples/make_pdf.py``.

Usage::

    python samples/make_scans.py           # writes samples/scans/*
    python samples/make_scans.py --check   # writes nothing; exit 1 if an output is out of date

Determinism: each output has its own seed; the parameters are drawn from
``numpy.random.default_rng(seed)`` (always all of them, in a fixed order, so switching one
degradation on or off does not change the others) and the pixel noise of page ``k`` from
``default_rng([seed, k])``. The OpenCV steps run on 8-bit images (fixed-point code paths), and
the files carry no timestamps, so a second run writes the same bytes. A different build of
libjpeg, zlib, libtiff, OpenCV or PDFium may still change a few bytes; ``--check`` then reports
how far the decoded pixels of a stale file are from the new ones, to tell such noise from a real
change.

Degradations, in pipeline order (pixel sizes are given at 300 dpi and scale with dpi / 300):

* ``bleed`` -- bleed-through: the page printed on the back of the sheet (duplex: page 2 behind
  page 1, page 1 behind page 2, page 4 behind page 3; a last odd page has the page before it),
  mirrored left-right, shifted by a few pixels, blurred (sigma 1.5-2.5 px) and laid under the
  text at 8-15 % opacity.
* ``tint`` -- paper tint: the background becomes grey level 235-250 instead of white, the ink
  grey level 15-35 instead of black (the red masthead renders as a mid-dark grey).
* ``skew`` -- the sheet lies at an angle drawn in +-3 degrees (positive = counter-clockwise as the
  image is viewed), rotated about the page centre; the corners it uncovers get the paper colour.
* ``light`` -- uneven light: the page is multiplied by a smooth field that is 1.0 at a point
  within 12 % of the page centre and falls off quadratically towards the edges; each corner is
  25-40 % darker (drawn per corner, so unequal corners also give a slope across the page).
* ``specks`` -- sparse dust: 0.3-1.0 specks per square centimetre, squares of 1-3 px, 80 % dark
  (pepper), 20 % paper-coloured (salt, they nick the strokes they land on).
* ``noise`` -- sensor noise: additive Gaussian, sigma 6-10 grey levels, added before ``blur``
  (which stands for the optics and the scanner's own smoothing together), so what is left in
  the file is less: ``visible_sigma`` in the manifest, 2-5 grey levels at 300 dpi and 3-8.5 at
  200 dpi. (Noise of sigma 6-10 left in a 300-dpi JPEG would make each file 1-1.6 MB.)
* ``blur`` -- optics: Gaussian blur, sigma 0.6-1.0 px.
* ``jpeg`` -- JPEG artefacts at quality 55-75 (66-72 for the ``.jpg`` fixtures, 55-65 for the
  scanned PDF). For ``.jpg`` files and the scanned PDF that is the stored encoding itself; for
  the others the page is encoded and decoded again.
* ``binarize`` -- a scanner's black-and-white mode: grey level below a fixed threshold
  (38-46 % of the paper level) is black, the rest white; the file is stored as 1-bit.
* ``rot90`` -- the sheet was fed sideways: the finished page is turned 90 degrees clockwise.

Storage by extension: ``.jpg`` JPEG (JFIF density = dpi), ``.png`` 8-bit grayscale or, after
``binarize``, 1-bit (pHYs = dpi; PNG stores pixels per metre, so it reads back as 199.9996 or
150.0124), ``.tif`` multi-page 1-bit CCITT group 4 (resolution = dpi), ``.pdf`` an image-only PDF
(no text layer) written by pillow, one grayscale JPEG (DCTDecode) per page, page size = image
size at the dpi, so A4.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PDF_DIR = HERE / "pdf"
SRC_DIR = HERE / "src"
SCAN_DIR = HERE / "scans"
MANIFEST = "manifest.json"
PRODUCER = "samples/make_scans.py"

try:
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
except ImportError as exc:  # pragma: no cover - environment problem
    sys.exit(f"samples/make_scans.py needs numpy, pillow, pypdfium2 and opencv-python ({exc})")

# --------------------------------------------------------------------------- the outputs

# One row per output file, named <sample>-<suffix>. pages: 1-based, "1-3" for a range. The three
# .jpg files are the main OCR fixtures (qingchuan has everything, yunxi bleed-through but no
# noise or specks, lanshan specks but no bleed-through or noise); the .png at 200 dpi and the .tif
# are black-and-white scans; the .pdf has no text layer; the rot90 .png lies on its side (turn it
# 90 degrees counter-clockwise to read it).
SCANS_TABLE = """
sample             suffix          pages  dpi  seed   degradations
qingchuan-2023-07  p1-300dpi.jpg   1      300  30701  bleed tint skew light specks noise blur jpeg
yunxi-2022-15      p1-300dpi.jpg   1      300  21501  bleed tint skew light blur jpeg
lanshan-2024-03    p1-300dpi.jpg   1      300  40301  tint skew light specks blur jpeg
yunxi-2022-15      p1-200dpi.png   1      200  21502  tint skew light specks noise blur binarize
lanshan-2024-03    scan.pdf        1-3    200  40302  bleed tint skew light specks blur jpeg
qingchuan-2023-07  2p.tif          1-2    200  30702  tint skew light specks noise blur binarize
yunxi-2022-15      p1-rot90.png    1      150  21503  tint skew light specks blur rot90
"""

PIPELINE = ("bleed", "tint", "skew", "light", "specks", "noise", "blur", "jpeg", "binarize",
            "rot90")

# Parameter ranges (uniform draws); pixel sizes at 300 dpi.
SKEW_MAX_DEG = 3.0
BLUR_SIGMA_PX = (0.6, 1.0)
NOISE_SIGMA = (6.0, 10.0)
SPECKS_PER_CM2 = (0.3, 1.0)
SPECK_SIZES_PX = (1, 2, 3)
SALT_FRACTION = 0.2
CORNER_DARKENING = (0.25, 0.40)  # each corner's, drawn separately
LIGHT_CENTRE_SHIFT = 0.12        # brightest point within +-12 % of the page size of the middle
BLEED_OPACITY = (0.08, 0.15)
BLEED_BLUR_PX = (1.5, 2.5)
BLEED_SHIFT_PX = 12
PAPER_GREY = (235, 250)
INK_GREY = (15, 35)
JPEG_QUALITY = {"jpg": (66, 72),  # the main OCR fixtures, about 70
                "pdf": (55, 65),  # a scanner's compact PDF setting
                "other": (55, 75)}
BINARIZE_FRACTION = (0.38, 0.46)  # threshold as a share of the paper grey level

# Fixed dates of the scanned PDF's Info dictionary (byte-determinism).
PDF_DATE = time.struct_time((2024, 5, 6, 9, 30, 0, 0, 127, 0))


@dataclass(frozen=True)
class Scan:
    sample: str
    suffix: str
    pages: tuple[int, ...]
    dpi: int
    seed: int
    steps: frozenset[str]

    @property
    def file(self) -> str:
        return f"{self.sample}-{self.suffix}"

    @property
    def ext(self) -> str:
        return self.suffix.rsplit(".", 1)[1]


def parse_table(table: str) -> list[Scan]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    scans = []
    for sample, suffix, pages, dpi, seed, *steps in rows:
        first, _, last = pages.partition("-")
        unknown = set(steps) - set(PIPELINE)
        if unknown:
            raise ValueError(f"{sample}-{suffix}: unknown degradations {sorted(unknown)}")
        scans.append(Scan(sample, suffix, tuple(range(int(first), int(last or first) + 1)),
                          int(dpi), int(seed), frozenset(steps)))
    return scans


SCANS = parse_table(SCANS_TABLE)

# --------------------------------------------------------------------------- parameters


def draw_params(scan: Scan, n_pages: int) -> dict[str, Any]:
    """Draw every parameter of ``scan`` (all of them, in a fixed order), rounded as recorded."""
    rng = np.random.default_rng(scan.seed)
    px = scan.dpi / 300.0

    def u(lo: float, hi: float, digits: int) -> float:
        return round(float(rng.uniform(lo, hi)), digits)

    angles = [u(-SKEW_MAX_DEG, SKEW_MAX_DEG, 2) for _ in scan.pages]
    shifts = [[int(v) for v in rng.integers(-BLEED_SHIFT_PX, BLEED_SHIFT_PX + 1, 2)]
              for _ in scan.pages]
    quality_range = JPEG_QUALITY.get(scan.ext, JPEG_QUALITY["other"])
    drawn = {
        "bleed": {"opacity": u(*BLEED_OPACITY, 3),
                  "blur_sigma_px": round(u(*BLEED_BLUR_PX, 2) * px, 2),
                  "from_pages": [back_page(k, n_pages) for k in scan.pages],
                  "shift_px": [[round(v * px) for v in s] for s in shifts]},
        "tint": {"paper": int(rng.integers(PAPER_GREY[0], PAPER_GREY[1] + 1)),
                 "ink": int(rng.integers(INK_GREY[0], INK_GREY[1] + 1))},
        "skew": {"angle_deg": angles},
        "light": {"centre": [u(0.5 - LIGHT_CENTRE_SHIFT, 0.5 + LIGHT_CENTRE_SHIFT, 3),
                             u(0.5 - LIGHT_CENTRE_SHIFT, 0.5 + LIGHT_CENTRE_SHIFT, 3)],
                  "corner_darkening": [u(*CORNER_DARKENING, 3) for _ in range(4)]},
        "specks": {"per_cm2": u(*SPECKS_PER_CM2, 2),
                   "sizes_px": sorted({max(1, round(s * px)) for s in SPECK_SIZES_PX}),
                   "salt_fraction": SALT_FRACTION},
        "blur": {"sigma_px": round(u(*BLUR_SIGMA_PX, 2) * px, 2)},
        "noise": {"sigma": u(*NOISE_SIGMA, 2)},
        "jpeg": {"quality": int(rng.integers(quality_range[0], quality_range[1] + 1))},
        "binarize": {"threshold_share": u(*BINARIZE_FRACTION, 3)},
        "rot90": {"direction": "clockwise"},
    }
    params = {name: drawn[name] for name in PIPELINE if name in scan.steps}
    if "binarize" in params:
        params["binarize"]["threshold"] = round(params["binarize"]["threshold_share"]
                                                * paper_and_ink(params)[0])
    return params


def paper_and_ink(params: dict[str, Any]) -> tuple[int, int]:
    """Grey levels of paper and ink: the tint's, or white and black without one."""
    tint = params.get("tint", {"paper": 255, "ink": 0})
    return tint["paper"], tint["ink"]


def back_page(page: int, n_pages: int) -> int:
    """The page printed on the back of ``page`` (duplex); a last odd page takes the one before."""
    if page % 2 == 1:
        return page + 1 if page < n_pages else max(page - 1, 1)
    return page - 1


# --------------------------------------------------------------------------- degradations
# Each works on a float64 array of grey levels 0-255 (``ink`` arrays: 0 paper .. 1 full ink).


def to_u8(grey: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def gaussian(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur on 8-bit data (OpenCV's bit-exact fixed-point path)."""
    return cv2.GaussianBlur(to_u8(img), (0, 0), sigmaX=sigma, sigmaY=sigma,
                            borderType=cv2.BORDER_REPLICATE).astype(np.float64)


def bleed_through(ink: np.ndarray, back: np.ndarray, opacity: float, sigma: float,
                  shift: list[int]) -> np.ndarray:
    """Add the mirrored, shifted, blurred ink of the back page at ``opacity``."""
    mirrored = np.fliplr(back)
    dx, dy = shift
    moved = np.zeros_like(mirrored)
    h, w = mirrored.shape
    moved[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        mirrored[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    soft = gaussian(moved * 255.0, sigma) / 255.0
    return 1.0 - (1.0 - ink) * (1.0 - opacity * soft)


def paper_tint(ink: np.ndarray, paper: int, ink_grey: int) -> np.ndarray:
    """Ink coverage to grey levels: paper colour where there is no ink, ``ink_grey`` under it."""
    return paper - (paper - ink_grey) * ink


def skew(img: np.ndarray, angle_deg: float, paper: int) -> np.ndarray:
    """Rotate about the centre (positive = counter-clockwise); uncovered corners get ``paper``."""
    h, w = img.shape
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle_deg, 1.0)
    out = cv2.warpAffine(to_u8(img), matrix, (w, h), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
    return out.astype(np.float64)


def light_field(shape: tuple[int, int], centre: list[float],
                corner_darkening: list[float]) -> np.ndarray:
    """Illumination: 1.0 at ``centre`` (fractions of width and height), falling off smoothly.

    The corners (top-left, top-right, bottom-left, bottom-right) lose exactly
    ``corner_darkening``. Darkening = (bilinear blend of the corner figures) * (u^2 + v^2) / 2,
    where u and v run from 0 at the centre to 1 at each edge (so the field is smooth through the
    centre, and an off-centre brightest point and unequal corners give a slope).
    """
    h, w = shape
    y = np.arange(h, dtype=np.float64) / (h - 1)
    x = np.arange(w, dtype=np.float64) / (w - 1)
    cx, cy = centre
    u = np.where(x < cx, (x - cx) / cx, (x - cx) / (1.0 - cx))[None, :]
    v = np.where(y < cy, (y - cy) / cy, (y - cy) / (1.0 - cy))[:, None]
    tl, tr, bl, br = corner_darkening
    xs, ys = x[None, :], y[:, None]
    corners = (tl * (1 - xs) + tr * xs) * (1 - ys) + (bl * (1 - xs) + br * xs) * ys
    return 1.0 - corners * (u * u + v * v) / 2.0


def specks(img: np.ndarray, rng: np.random.Generator, per_cm2: float, sizes: list[int],
           salt_fraction: float, paper: int, ink_grey: int, dpi: int) -> np.ndarray:
    """Sprinkle square dust specks: dark ones (pepper) and paper-coloured ones (salt)."""
    h, w = img.shape
    area_cm2 = (h / dpi * 2.54) * (w / dpi * 2.54)
    n = int(rng.poisson(per_cm2 * area_cm2))
    ys = rng.integers(0, h, n)
    xs = rng.integers(0, w, n)
    size = rng.choice(np.array(sizes), n)
    salt = rng.random(n) < salt_fraction
    dark = rng.uniform(ink_grey, ink_grey + 60, n)
    out = img.copy()
    for s in sizes:
        for oy in range(s):
            for ox in range(s):
                sel = size == s
                yy = np.minimum(ys[sel] + oy, h - 1)
                xx = np.minimum(xs[sel] + ox, w - 1)
                out[yy, xx] = np.where(salt[sel], paper, dark[sel])
    return out


def sensor_noise(img: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return img + rng.normal(0.0, sigma, img.shape)


def jpeg_roundtrip(img: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(to_u8(img), "L").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("L"), dtype=np.float64)


def binarize(img: np.ndarray, threshold: int) -> np.ndarray:
    return np.where(img < threshold, 0.0, 255.0)


# --------------------------------------------------------------------------- pipeline


def render(pdf: Any, page: int, dpi: int) -> np.ndarray:
    """Page ``page`` (1-based) as ink coverage 0..1."""
    bitmap = pdf[page - 1].render(scale=dpi / 72.0, grayscale=True)
    grey = np.asarray(bitmap.to_pil().convert("L"), dtype=np.float64)
    return 1.0 - grey / 255.0


def degrade_page(scan: Scan, params: dict[str, Any], pdf: Any, index: int) -> Image.Image:
    page = scan.pages[index]
    paper, ink_grey = paper_and_ink(params)
    rng = np.random.default_rng([scan.seed, page])
    ink = render(pdf, page, scan.dpi)
    if "bleed" in params:
        p = params["bleed"]
        back = render(pdf, p["from_pages"][index], scan.dpi)
        ink = bleed_through(ink, back, p["opacity"], p["blur_sigma_px"], p["shift_px"][index])
    img = paper_tint(ink, paper, ink_grey)
    if "skew" in params:
        img = skew(img, params["skew"]["angle_deg"][index], paper)
    if "light" in params:
        p = params["light"]
        img = img * light_field(img.shape, p["centre"], p["corner_darkening"])
    if "specks" in params:
        p = params["specks"]
        img = specks(img, rng, p["per_cm2"], p["sizes_px"], p["salt_fraction"], paper,
                     ink_grey, scan.dpi)
    if "noise" in params:
        img = sensor_noise(img, rng, params["noise"]["sigma"])
    if "blur" in params:
        img = gaussian(img, params["blur"]["sigma_px"])
    if "jpeg" in params and scan.ext not in ("jpg", "pdf"):  # those store the page as JPEG
        img = jpeg_roundtrip(img, params["jpeg"]["quality"])
    if "binarize" in params:
        img = binarize(img, params["binarize"]["threshold"])
    out = Image.fromarray(to_u8(img), "L")
    if "binarize" in params:
        out = out.convert("1", dither=Image.Dither.NONE)
    if "rot90" in params:
        out = out.transpose(Image.Transpose.ROTATE_270)  # PIL turns counter-clockwise
    return out


def encode(scan: Scan, pages: list[Image.Image], params: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    dpi = (scan.dpi, scan.dpi)
    if scan.ext == "jpg":
        pages[0].save(buf, "JPEG", quality=params["jpeg"]["quality"], optimize=True, dpi=dpi)
    elif scan.ext == "png":
        pages[0].save(buf, "PNG", optimize=True, dpi=dpi)
    elif scan.ext == "tif":
        if pages[0].mode != "1":
            raise ValueError(f"{scan.file}: a .tif output needs binarize (CCITT group 4)")
        pages[0].save(buf, "TIFF", compression="group4", dpi=dpi, save_all=True,
                      append_images=pages[1:])
    elif scan.ext == "pdf":
        if "jpeg" not in params:
            raise ValueError(f"{scan.file}: a .pdf output stores JPEG pages and needs jpeg")
        pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], dpi=dpi,
                      quality=params["jpeg"]["quality"], title=f"{scan.sample} (scan)",
                      creator=PRODUCER, producer=PRODUCER, creationDate=PDF_DATE,
                      modDate=PDF_DATE)
    else:
        raise ValueError(f"{scan.file}: unknown extension")
    return buf.getvalue()


def build(scan: Scan) -> tuple[bytes, dict[str, Any]]:
    if not (SRC_DIR / f"{scan.sample}.json").is_file():
        raise ValueError(f"{scan.file}: no sample samples/src/{scan.sample}.json")
    pdf = pdfium.PdfDocument(str(PDF_DIR / f"{scan.sample}.pdf"))
    try:
        params = draw_params(scan, len(pdf))
        if max(scan.pages) > len(pdf):
            raise ValueError(f"{scan.file}: {scan.sample}.pdf has only {len(pdf)} pages")
        pages = [degrade_page(scan, params, pdf, i) for i in range(len(scan.pages))]
    finally:
        pdf.close()
    if "noise" in params:  # what is left of it after the blur (OpenCV's 8-bit kernel size)
        sigma = params.get("blur", {}).get("sigma_px")
        kernel = cv2.getGaussianKernel(round(sigma * 6 + 1) | 1, sigma) if sigma else [1.0]
        params["noise"]["visible_sigma"] = round(params["noise"]["sigma"]
                                                 * float(np.sum(np.square(kernel))), 2)
    entry = {
        "file": scan.file,
        "sample": scan.sample,
        "pages": list(scan.pages),
        "dpi": scan.dpi,
        "width": pages[0].width,
        "height": pages[0].height,
        "mode": "1-bit" if pages[0].mode == "1" else "8-bit grey",
        "rotation_cw": 90 if "rot90" in params else 0,
        "degradations": params,
    }
    return encode(scan, pages, params), entry


def manifest_bytes(entries: list[dict[str, Any]]) -> bytes:
    doc = {
        "about": "Degraded scans of the sample bulletins, made by samples/make_scans.py; the "
                 "expected text of each file is its sample's truth, samples/src/<sample>.json "
                 "(pages: 1-based pages of samples/pdf/<sample>.pdf). skew angle_deg: positive "
                 "= counter-clockwise; light corner_darkening: top-left, top-right, bottom-left, "
                 "bottom-right of the upright page; noise sigma is added before the blur, "
                 "visible_sigma is what the blur leaves of it; rotation_cw: the page is turned "
                 "this many degrees clockwise (turn it back counter-clockwise to read it).",
        "files": entries,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def pixel_difference(old: bytes, new: bytes) -> str:
    """How far a stale file's decoded pixels are from the new ones (first page)."""
    try:
        a = np.asarray(Image.open(io.BytesIO(old)).convert("L"), dtype=np.int16)
        b = np.asarray(Image.open(io.BytesIO(new)).convert("L"), dtype=np.int16)
    except Exception:  # e.g. the PDF, which pillow does not read
        return "pixels not compared"
    if a.shape != b.shape:
        return f"size {a.shape[::-1]} -> {b.shape[::-1]}"
    diff = np.abs(a - b)
    return f"mean pixel difference {diff.mean():.3f}, max {int(diff.max())}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render samples/pdf/*.pdf as degraded scans.")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if samples/scans is out of date")
    args = parser.parse_args(argv)
    outputs: dict[str, bytes] = {}
    entries = []
    for scan in SCANS:
        data, entry = build(scan)
        outputs[scan.file] = data
        entries.append(entry)
        steps = " ".join(name for name in PIPELINE if name in scan.steps)
        print(f"{scan.file}: {entry['width']}x{entry['height']} px, {len(data)} bytes ({steps})",
              file=sys.stderr)
    outputs[MANIFEST] = manifest_bytes(entries)
    total = sum(len(d) for d in outputs.values())
    print(f"total {total} bytes in {len(outputs)} files", file=sys.stderr)
    stale = []
    for name, data in outputs.items():
        target = SCAN_DIR / name
        if target.exists() and target.read_bytes() == data:
            continue
        if args.check:
            old = target.read_bytes() if target.exists() else None
            why = "missing" if old is None else pixel_difference(old, data)
            stale.append(f"out of date: {target.relative_to(HERE.parent)} ({why})")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    extra = sorted(p.name for p in SCAN_DIR.glob("*") if p.name not in outputs) \
        if SCAN_DIR.is_dir() else []
    for name in extra:
        print(f"not made by this script: samples/scans/{name}", file=sys.stderr)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
