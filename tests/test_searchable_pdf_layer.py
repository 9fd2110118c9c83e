"""The searchable PDF's text layer gives each recognised line whole, on tilted scans and
turned pages: ``pdftotext`` (raw and ``-layout``) reads the recognised text back, and
``pdftotext -bbox`` shows one run per line (issue 23)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bulletin_ocr.api import convert
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.export.pdf_text_layer import line_frame
from bulletin_ocr.export.regions import line_text
from bulletin_ocr.model import Document
from test_ocr import cer

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$", re.MULTILINE)
TILT_DEGREES = 1.2  # anticlockwise, as a page laid a little askew on the scanner


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", PAGE_NUMBER.sub("", text))


def pdftotext(path: Path, *options: str) -> str:
    command = ["pdftotext", *options, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def recognised(doc: Document) -> str:
    return squeeze(
        "\n".join(line_text(line) for page in doc.pages for line in page.lines + page.furniture)
    )


def sample_page(dpi: int) -> Image.Image:
    """Page 1 of the lanshan sample, rendered in grey as a scanner would see it."""
    pdf = pypdfium2.PdfDocument(SAMPLES / "pdf" / "lanshan-2024-03.pdf")
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        pdf.close()


def bbox_words(path: Path) -> list[tuple[float, float, float, str]]:
    """``pdftotext -bbox``'s words: (top, left, right, text), in its order."""
    parser = etree.HTMLParser(encoding="utf-8")
    root = etree.fromstring(pdftotext(path, "-bbox").encode("utf-8"), parser)
    return [
        (float(w.get("ymin")), float(w.get("xmin")), float(w.get("xmax")), w.text or "")
        for w in root.iter("word")
    ]


@pytest.fixture(scope="module")
def tilted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    folder = tmp_path_factory.mktemp("tilted")
    scan = folder / "tilted.png"
    page = sample_page(200).rotate(TILT_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
    page.save(scan, dpi=(200, 200))
    doc = convert(scan)
    (path,) = write_outputs(doc, folder, "tilted", ["pdf"], ExportContext(input_path=scan))
    return doc, path


def test_tilted_scan_reads_back_line_by_line(tilted: tuple[Document, Path]) -> None:
    doc, path = tilted
    assert doc.pages[0].transform is not None and doc.pages[0].transform.skew != 0
    expected = recognised(doc)
    assert len(expected) > 400
    assert cer(expected, squeeze(pdftotext(path))) <= 0.01
    assert cer(expected, squeeze(pdftotext(path, "-layout"))) <= 0.01


def test_tilted_scan_has_one_run_per_line(tilted: tuple[Document, Path]) -> None:
    doc, path = tilted
    # pdftotext splits words at spaces only: a line's pieces between spaces are one word
    # each, at one height.
    pieces = [
        piece
        for line in doc.pages[0].lines + doc.pages[0].furniture
        for piece in line_text(line).split()
    ]
    words = bbox_words(path)
    assert sorted(text for *_, text in words) == sorted(pieces)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_page_turned_by_rotate_gets_its_text_in_place(rotate: int, tmp_path: Path) -> None:
    # The scanner stored the page turned; /Rotate (clockwise) shows it upright.
    upright = sample_page(150)
    stored = upright.rotate(rotate, expand=True)  # anticlockwise
    jpeg = io.BytesIO()
    stored.save(jpeg, "JPEG", quality=85)
    width, height = (side * 72 / 150 for side in stored.size)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width, height)
    canvas.showPage()
    canvas.save()
    source = tmp_path / "rotated.pdf"
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        pdf.pages[0].Rotate = rotate
        pdf.save(source)
    doc = convert(source)
    (path,) = write_outputs(doc, tmp_path, "rotated", ["pdf"], ExportContext(input_path=source))
    for options in ((), ("-raw",), ("-layout",)):
        assert cer(recognised(doc), squeeze(pdftotext(path, *options))) <= 0.01, options
    # The masthead's title, first and largest line, lands at the top of the page as shown,
    # centred (the sample centres it), where the image has it.
    top, left, right, title = bbox_words(path)[0]
    assert title == "政务信息"
    shown_width, shown_height = upright.width * 72 / 150, upright.height * 72 / 150
    assert abs((left + right) / 2 - shown_width / 2) < 0.05 * shown_width
    assert top < 0.2 * shown_height


def test_quarter_turned_image_reads_back(tmp_path: Path) -> None:
    source = SAMPLES / "scans" / "yunxi-2022-15-p1-rot90.png"
    doc = convert(source)
    (path,) = write_outputs(doc, tmp_path, "turned", ["pdf"], ExportContext(input_path=source))
    assert doc.pages[0].transform is not None and doc.pages[0].transform.rotation == 90
    assert cer(recognised(doc), squeeze(pdftotext(path))) <= 0.01


def test_steep_lines_keep_their_angle_and_small_leans_snap() -> None:
    leaning = line_frame([(0, 0), (100, 2), (99.6, 22), (-0.4, 20)])
    assert leaning is not None and leaning.angle == 0.0
    steep = line_frame([(0, 0), (87, 50), (77, 67), (-10, 17)])
    assert steep is not None and round(steep.angle, 3) == round(0.5218, 3)
    sideways = line_frame([(20, 0), (20, 100), (0, 100), (0, 0)])
    assert sideways is not None and round(sideways.angle, 6) == round(3.14159265 / 2, 6)
