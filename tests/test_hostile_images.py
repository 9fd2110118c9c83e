"""Odd images (generated in hostile_fixtures): 16-bit samples, EXIF orientations, extreme shapes,
pages over the pixel budget, and pages whose recognition comes out empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import hostile_fixtures as fixtures
from bulletin_ocr.errors import MalformedInputError, ResourceLimitError
from bulletin_ocr.inputs.image import read_image_pages
from bulletin_ocr.model import Document
from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.ocr.quality import doubtful_page
from hostile_run import convert_within, text_of


@pytest.mark.parametrize("writer", [fixtures.sixteen_bit_png, fixtures.sixteen_bit_tiff])
def test_sixteen_bit_scan_is_scaled_not_clipped(
    writer: Callable[[Path], Path], tmp_path: Path
) -> None:
    path = writer(tmp_path / "scan16.tif")
    assert Image.open(path).mode.startswith("I;16")
    [page] = read_image_pages(path)
    # Paper at 55000/65535 of full scale is light grey, ink dark; clipping made both white.
    assert 200 <= int(np.median(page.pixels)) <= 225
    assert int(page.pixels.min()) < 40
    document = convert_within(path, 60)
    assert isinstance(document, Document)
    assert "HOSTILE" in text_of(document) and document.warnings == []


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_before_ocr(orientation: int, tmp_path: Path) -> None:
    path = fixtures.exif_oriented_jpeg(tmp_path / f"o{orientation}.jpg", orientation)
    [page] = read_image_pages(path)
    assert page.pixels.shape == (400, 1200)  # upright: as wide as the page was drawn
    document = convert_within(path, 60)
    assert isinstance(document, Document)
    assert "HOSTILE" in text_of(document)


@pytest.mark.parametrize("size", [(30000, 30), (30, 30000)])
def test_extreme_aspect_image_is_a_warning_not_an_opencv_assertion(
    size: tuple[int, int], tmp_path: Path
) -> None:
    path = fixtures.extreme_aspect_png(tmp_path / "strip.png", *size)
    document = convert_within(path, 60)
    assert isinstance(document, Document)
    [warning] = document.warnings
    assert f"{size[0]}x{size[1]} pixels, 1000 times as" in warning and "not recognised" in warning


def test_image_over_the_budget_is_reduced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    fixtures.text_page_pixels(2000, 1000).save(path, dpi=(600, 600))
    [page] = read_image_pages(path, max_pixels=1_280_000)
    assert page.pixels.shape == (800, 1600)
    assert page.dpi == pytest.approx(480, rel=1e-3)  # PNG stores dots per metre
    assert page.warnings == ["2000x1000 pixels reduced to 1600x800 to stay within 1,280,000 pixels"]


def test_image_far_over_the_budget_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    fixtures.text_page_pixels(2000, 1000).save(path)
    with pytest.raises(ResourceLimitError, match=r"over the limit of 1,500,000 \(3 times the page budget"):
        list(read_image_pages(path, max_pixels=500_000))


def test_page_with_ink_but_no_text_recognised_gets_a_warning(tmp_path: Path) -> None:
    # Bold diagonal bars: plenty of ink, nothing a recogniser reads as text.
    pixels = np.full((1200, 900), 255, dtype=np.uint8)
    for offset in range(-1200, 900, 120):
        for row in range(1200):
            pixels[row, max(0, row + offset) : max(0, min(900, row + offset + 50))] = 0
    path = tmp_path / "drawing.png"
    Image.fromarray(pixels).save(path)
    document = convert_within(path, 60)
    assert isinstance(document, Document)
    assert any("although" in w and "of the page is ink" in w for w in document.warnings)


def test_blank_page_is_not_warned_about_but_an_empty_document_is(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (900, 1200), 255).save(path)
    document = convert_within(path, 60)
    assert isinstance(document, Document)
    assert [w.split(":")[0] for w in document.warnings] == ["no text"]  # no page warning


def _line(text: str, confidence: float) -> OcrLine:
    return OcrLine(text, ((0, 0), (10, 0), (10, 10), (0, 10)), confidence)


def test_garbage_and_guesswork_are_doubted_and_clean_text_is_not() -> None:
    assert doubtful_page([_line("区委组织部召开会议，部署工作。", 0.96)], ink=0.05) is None
    guess = doubtful_page([_line("区委组织部", 0.3)], ink=0.05)
    assert guess is not None and "mostly guesswork" in guess
    garbage = doubtful_page([_line("ÆØÅ\ue000\ue001þ中", 0.9)], ink=0.05)
    assert garbage is not None and "mostly garbage" in garbage


def test_truncated_image_is_a_one_line_malformed_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    fixtures.text_page_pixels().save(path)
    path.write_bytes(path.read_bytes()[:600])
    error = convert_within(path, 20)
    assert isinstance(error, MalformedInputError)
    assert "page 1 cannot be decoded" in error.problem and "\n" not in str(error)


def test_every_frame_of_a_multipage_tiff_is_a_page(tmp_path: Path) -> None:
    path = tmp_path / "three.tif"
    frames = [fixtures.text_page_pixels(text=f"PAGE {n}") for n in (1, 2, 3)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert [page.number for page in read_image_pages(path)] == [1, 2, 3]
