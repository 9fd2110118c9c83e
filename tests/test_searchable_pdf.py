"""Searchable PDF: the scan's own pages under an invisible text layer that pdftotext reads back."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image

from bulletin_ocr.api import convert
from bulletin_ocr.errors import UnsupportedInputError
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.export.alto import render_alto
from bulletin_ocr.export.pagexml import render_page_xml
from bulletin_ocr.export.searchable_pdf import render_searchable_pdf
from bulletin_ocr.model import Document
from test_export_pages import ALTO, ink_inside
from test_ocr import cer

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$", re.MULTILINE)


def truth_text(sample: str) -> str:
    """The sample's printed text in reading order, from its hand-written source."""
    src = json.loads((SAMPLES / "src" / f"{sample}.json").read_text(encoding="utf-8"))
    parts = list(src["masthead"]["printed_lines"])
    for item in src["items"]:
        parts.append(item["head"] or "")
        for index, paragraph in enumerate(item["paragraphs"]):
            parts.append(("△" if item["type"] == "brief" and index == 0 else "") + paragraph)
        if item["attribution"]:
            parts.append(f"（{item['attribution']}）")
    parts += [f"{entry['label']}：{entry['text']}" for entry in src["distribution"]]
    parts.append(src["copies_line"])
    return _squeeze("".join(parts))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(path: Path) -> str:
    command = ["pdftotext", "-raw", str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout


SCAN = SAMPLES / "scans" / "lanshan-2024-03-scan.pdf"


@pytest.fixture(scope="module")
def scan_doc() -> Document:
    return convert(SCAN)


@pytest.fixture(scope="module")
def scan_pdf(scan_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    outdir = tmp_path_factory.mktemp("out")
    context = ExportContext(input_path=SCAN, outdir=outdir, stem="lanshan")
    (path,) = write_outputs(scan_doc, outdir, "lanshan", ["pdf"], context)
    return SCAN, path


def test_scanned_pdf_reads_back_its_truth(scan_pdf: tuple[Path, Path]) -> None:
    _, path = scan_pdf
    assert path.name == "lanshan.ocr.pdf"
    text = PAGE_NUMBER.sub("", pdftotext(path))
    assert cer(truth_text("lanshan-2024-03"), _squeeze(text)) <= 0.015


def test_pages_keep_count_size_and_their_images(scan_pdf: tuple[Path, Path]) -> None:
    source, path = scan_pdf
    with pikepdf.open(source) as original, pikepdf.open(path) as result:
        assert len(result.pages) == len(original.pages) == 3
        for before, after in zip(original.pages, result.pages, strict=True):
            assert [float(v) for v in after.mediabox] == [float(v) for v in before.mediabox]
            # The scan itself, byte for byte, not a re-rendered copy.
            assert [image.read_raw_bytes() for image in after.get_images().values()] == [
                image.read_raw_bytes() for image in before.get_images().values()
            ]


def test_born_digital_pages_stay_as_they_were(tmp_path: Path) -> None:
    source = SAMPLES / "pdf" / "yunxi-2022-15.pdf"
    data = render_searchable_pdf(convert(source), ExportContext(input_path=source))
    out = tmp_path / "y.ocr.pdf"
    out.write_bytes(data)
    with pikepdf.open(source) as original, pikepdf.open(out) as result:
        for before, after in zip(original.pages, result.pages, strict=True):
            assert after.Contents.read_bytes() == before.Contents.read_bytes()
    assert pdftotext(out) == pdftotext(source)


def test_image_input_becomes_a_page_of_its_size(tmp_path: Path) -> None:
    source = SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png"
    out = tmp_path / "y.ocr.pdf"
    out.write_bytes(render_searchable_pdf(convert(source), ExportContext(input_path=source)))
    with pikepdf.open(out) as result:
        (page,) = result.pages
        # 1654 x 2339 pixels at 200 dpi is an A4 sheet.
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]
    assert "云溪区" in pdftotext(out)


def test_raw_text_has_no_searchable_pdf() -> None:
    source = SAMPLES / "raw" / "yunxi-2022-15.txt"
    with pytest.raises(UnsupportedInputError, match="no page geometry"):
        render_searchable_pdf(convert(source), ExportContext(input_path=source))


def test_page_formats_of_a_scanned_pdf_are_valid(scan_doc: Document, shared_dir: Path) -> None:
    schemas = shared_dir / "schemas"
    alto = etree.XMLSchema(etree.parse(str(schemas / "alto-4-4.xsd")))
    page = etree.XMLSchema(etree.parse(str(schemas / "pagecontent-2019-07-15.xsd")))
    alto.assertValid(etree.fromstring(render_alto(scan_doc)))
    files = render_page_xml(scan_doc)
    assert sorted(files) == [1, 2, 3]
    for data in files.values():
        page.assertValid(etree.fromstring(data))


def test_page_images_fit_tei_and_alto_coordinates(scan_doc: Document, tmp_path: Path) -> None:
    context = ExportContext(input_path=SCAN, outdir=tmp_path, stem="l", page_images=True)
    paths = write_outputs(scan_doc, tmp_path, "l", ["tei", "alto"], context)
    assert [p.name for p in paths] == ["l.tei.xml", "l.alto.xml"] + [
        f"l.page-{n}.png" for n in (1, 2, 3)
    ]
    tei = etree.parse(str(paths[0]))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    alto_pages = etree.parse(str(paths[1])).findall(".//a:Page", ALTO)
    for number, (surface, alto_page) in enumerate(
        zip(tei.iterfind(".//t:surface", ns), alto_pages, strict=True), start=1
    ):
        image_path = tmp_path / f"l.page-{number}.png"
        size = Image.open(image_path).size
        graphic = surface.find("t:graphic", ns)
        assert graphic is not None and graphic.get("url") == image_path.name
        assert (surface.get("lrx"), surface.get("lry")) == tuple(str(v) for v in size)
        assert (alto_page.get("WIDTH"), alto_page.get("HEIGHT")) == tuple(str(v) for v in size)
        zones = [[float(z.get(k, "0")) for k in ("ulx", "uly", "lrx", "lry")]
                 for z in surface.iterfind("t:zone", ns)]  # fmt: skip
        # Page 3's distribution footer sits between two printed rules, ink that is no text.
        assert ink_inside(image_path, zones) > 0.85
