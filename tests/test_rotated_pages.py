"""A page whose /Rotate turns its text sideways loses none of it: it is recognised instead."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from bulletin_ocr.api import convert

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "pdf" / "qingchuan-2023-07.pdf"


def _turned(tmp_path: Path, rotate: int) -> Path:
    """The sample with its first page shown turned by ``rotate`` degrees (text set upright in
    the page's own space, as a page turned in a viewer and saved is)."""
    with pikepdf.open(SAMPLE) as pdf:
        pdf.pages[0].Rotate = rotate
        path = tmp_path / f"turned-{rotate}.pdf"
        pdf.save(path)
    return path


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("rotate", [90, 270])
def test_a_page_of_sideways_text_is_not_taken_for_an_empty_one(
    tmp_path: Path, reader: str, rotate: int
) -> None:
    page = convert(_turned(tmp_path, rotate), use_ocr=False, pdf_reader=reader).pages[0]
    assert page.lines == []
    assert page.needs_ocr
    assert "100% of its characters are set sideways or upside down" in page.warnings[0]


def test_a_page_of_sideways_text_is_recognised_upright(tmp_path: Path) -> None:
    expected = [line.text for line in convert(SAMPLE).pages[0].lines]
    page = convert(_turned(tmp_path, 90)).pages[0]
    assert {line.source for line in page.lines} == {"ocr"}
    assert "".join(line.text for line in page.lines) == "".join(expected)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_a_few_sideways_characters_are_named_in_a_warning(tmp_path: Path, reader: str) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "margin-note.pdf"
    page = canvas.Canvas(str(path), pagesize=(595, 842))
    page.setFont("Helvetica", 11)
    for row in range(12):
        page.drawString(72, 760 - row * 16, f"Line {row} of the body text, set upright.")
    page.saveState()
    page.translate(40, 400)
    page.rotate(90)
    page.drawString(0, 0, "SIDE")  # a margin note running up the page
    page.restoreState()
    page.save()
    converted = convert(path, use_ocr=False, pdf_reader=reader).pages[0]
    assert not converted.needs_ocr
    assert "4 characters set sideways or upside down not in the text" in converted.warnings
    assert len(converted.lines) == 12
