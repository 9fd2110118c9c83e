"""Malformed PDFs (generated in hostile_fixtures): no hang, no internal error, and recovery where
the file can be repaired."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hostile_fixtures as fixtures
from bulletin_ocr.errors import MalformedInputError
from bulletin_ocr.inputs.pdf_raster import render_page
from bulletin_ocr.model import Document
from hostile_run import convert_within, text_of

DAMAGED: dict[str, Callable[[], bytes]] = {
    # Each spun forever, recursed to a RecursionError, or was refused before the repair.
    "mediabox-cycle": fixtures.mediabox_cycle_pdf,
    "length-self-reference": fixtures.length_self_reference_pdf,
    "xref-prev-loop": fixtures.xref_prev_loop_pdf,
    "truncated-20-bytes": fixtures.truncated_pdf,
    "broken-xref": fixtures.broken_xref_pdf,
    "mediabox-1e30-exponent": lambda: fixtures.huge_mediabox_pdf(exponent=True),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_pdf_is_repaired_with_a_warning(name: str, tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / f"{name}.pdf", DAMAGED[name]())
    document = convert_within(path, 20, use_ocr=False)
    assert isinstance(document, Document), document
    assert text_of(document) == "Hello hostile world"
    assert len(document.warnings) == 1
    assert "repaired by qpdf" in document.warnings[0] and "\n" not in document.warnings[0]


def test_the_mediabox_cycle_is_small_and_opens_in_well_under_a_second(tmp_path: Path) -> None:
    data = fixtures.mediabox_cycle_pdf()
    assert len(data) < 700
    path = fixtures.write(tmp_path / "cycle.pdf", data)
    assert isinstance(convert_within(path, 5, use_ocr=False), Document)


def test_a_sound_pdf_is_read_without_repair(tmp_path: Path) -> None:
    for name, data in [("classic", fixtures.one_page_pdf()), ("xref-stream", fixtures.xref_stream_pdf())]:
        document = convert_within(fixtures.write(tmp_path / f"{name}.pdf", data), 20, use_ocr=False)
        assert isinstance(document, Document)
        assert text_of(document) == "Hello hostile world" and document.warnings == []


def test_garbage_after_the_header_is_a_one_line_malformed_error(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "garbage.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4)
    error = convert_within(path, 20, use_ocr=False)
    assert isinstance(error, MalformedInputError)
    assert "qpdf" in error.problem and "\n" not in str(error)


def test_mediabox_of_1e30_points_is_read(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "huge.pdf", fixtures.huge_mediabox_pdf())
    document = convert_within(path, 20, use_ocr=False)
    assert isinstance(document, Document)
    assert text_of(document) == "Hello hostile world"


def test_rendering_keeps_a_200_inch_page_within_the_pixel_budget(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "giant.pdf", fixtures.giant_untrusted_page_pdf())
    rendered = render_page(path, 1, max_pixels=4_000_000)
    height, width = rendered.pixels.shape
    assert width * height <= 4_000_000 and width == pytest.approx(2000, abs=2)
    assert rendered.warnings and "to stay within 4,000,000 pixels" in rendered.warnings[0]
    # A Letter page at 300 dpi fits the default budget and is rendered as it was.
    letter = render_page(fixtures.write(tmp_path / "letter.pdf", fixtures.one_page_pdf()), 1)
    assert letter.pixels.shape[1] == 2550 and letter.warnings == [] and letter.dpi == 300


@pytest.mark.slow
def test_untrusted_200_inch_page_is_recognised_at_a_lower_resolution(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "giant.pdf", fixtures.giant_untrusted_page_pdf())
    document = convert_within(path, 120, max_page_pixels=4_000_000)
    assert isinstance(document, Document)
    assert document.pages[0].source == "ocr"
    assert any("to stay within 4,000,000 pixels" in w for w in document.warnings)


@pytest.mark.slow
def test_a_14400_by_3_point_page_is_a_warning_not_an_opencv_assertion(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "sliver.pdf", fixtures.sliver_page_pdf())
    document = convert_within(path, 60, force_ocr=True)
    assert isinstance(document, Document)
    assert document.pages[0].lines == []
    [warning] = document.warnings
    assert "too thin to hold a line of text; not recognised" in warning
