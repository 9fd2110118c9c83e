"""Page formats (ALTO, PAGE, hOCR) and coordinates in the input image's pixels.

The OCR input is a real degraded sample scan (200 dpi, skewed -2.4 degrees) turned a quarter
turn clockwise here, so that every preprocessing step (resample, quarter turn, deskew) has to be
undone for the boxes to land on the printed text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from lxml import etree, html
from PIL import Image

from bulletin_ocr.api import convert
from bulletin_ocr.errors import UnsupportedInputError
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.export.alto import render_alto
from bulletin_ocr.export.hocr import render_hocr
from bulletin_ocr.export.json import document_to_dict
from bulletin_ocr.export.pagexml import render_page_xml
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.model import Document

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCHEMA = ROOT / "src" / "bulletin_ocr" / "export" / "schemas" / "document.schema.json"
ALTO = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
PAGE = {"p": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}


@pytest.fixture(scope="module")
def turned_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Image.open(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png")
    path = tmp_path_factory.mktemp("scan") / "yunxi-turned.png"
    source.transpose(Image.Transpose.ROTATE_270).save(path, dpi=(200, 200))  # 90° clockwise
    return path


@pytest.fixture(scope="module")
def ocr_doc(turned_scan: Path) -> Document:
    return convert(turned_scan)


@pytest.fixture(scope="module")
def pdf_doc() -> Document:
    return convert(SAMPLES / "pdf" / "qingchuan-2023-07.pdf")


@pytest.fixture(scope="module")
def alto_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas" / "alto-4-4.xsd")))


@pytest.fixture(scope="module")
def page_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas" / "pagecontent-2019-07-15.xsd")))


def ink_inside(image_path: Path, boxes: list[list[float]]) -> float:
    """Share of the dark pixels of the image that fall inside the boxes."""
    ink = np.asarray(Image.open(image_path).convert("L")) < 110
    mask = np.zeros_like(ink)
    for x0, top, x1, bottom in boxes:
        mask[int(top) : int(np.ceil(bottom)) + 1, int(x0) : int(np.ceil(x1)) + 1] = True
    return float((ink & mask).sum() / max(1, ink.sum()))


def test_preprocessing_was_undone_on_the_way_in(ocr_doc: Document) -> None:
    transform = ocr_doc.pages[0].transform
    assert transform is not None
    assert transform.rotation == 90 and abs(transform.skew) > 1
    assert transform.scale_x == pytest.approx(1.5, abs=0.01)
    assert (transform.input_width, transform.input_height) == (2339, 1654)


def test_json_boxes_cover_the_printed_text_of_the_input(
    ocr_doc: Document, turned_scan: Path
) -> None:
    page = document_to_dict(ocr_doc)["pages"][0]
    assert (page["width"], page["height"], page["unit"]) == (2339, 1654, "px")
    assert page["coordinates"] == "pixels of the input image"
    boxes = [line["bbox"] for line in page["lines"] + page["furniture"]]
    assert len(boxes) > 15
    covered = ink_inside(turned_scan, boxes)
    # The processed image's own boxes (upright, 300 dpi) miss the turned text almost entirely.
    raw = [[b.x0, b.top, b.x1, b.bottom] for p in ocr_doc.pages for b in
           (line.bbox for line in p.lines + p.furniture) if b is not None]
    assert covered > 0.9
    assert ink_inside(turned_scan, raw) < 0.5
    # Lines are upright boxes around a turned page: tall and narrow.
    assert all(x1 - x0 < bottom - top for x0, top, x1, bottom in boxes if bottom - top > 300)


def test_json_validates_against_the_shipped_schema(ocr_doc: Document, pdf_doc: Document) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    raw = convert(SAMPLES / "raw" / "yunxi-2022-15.txt", source="raw/yunxi-2022-15.txt")
    for doc in (ocr_doc, pdf_doc, raw):
        jsonschema.validate(document_to_dict(doc), schema)
    assert document_to_dict(raw)["source"] == "raw/yunxi-2022-15.txt"
    broken = document_to_dict(raw)
    del broken["items"][0]["id"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_tei_surface_names_the_input_image_at_its_size(
    ocr_doc: Document, turned_scan: Path, tmp_path: Path, validate_tei  # type: ignore[no-untyped-def]
) -> None:
    context = ExportContext(input_path=turned_scan, outdir=tmp_path, stem="x")
    (path,) = write_outputs(ocr_doc, tmp_path, "x", ["tei"], context)
    validate_tei(path)
    tree = etree.parse(str(path))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    surface = tree.find(".//t:surface", ns)
    assert surface is not None
    assert (surface.get("lrx"), surface.get("lry")) == ("2339", "1654")
    graphic = surface.find("t:graphic", ns)
    assert graphic is not None and (tmp_path / graphic.get("url", "")).resolve() == turned_scan
    zones = [[float(z.get(k, "0")) for k in ("ulx", "uly", "lrx", "lry")]
             for z in surface.iterfind("t:zone", ns)]  # fmt: skip
    assert ink_inside(turned_scan, zones) > 0.9
    assert tree.find(".//t:div[@type='item']", ns).get(  # type: ignore[union-attr]
        "{http://www.w3.org/XML/1998/namespace}id") == "item-1"


def test_alto_is_valid_and_carries_structure(
    ocr_doc: Document, pdf_doc: Document, alto_schema: etree.XMLSchema, turned_scan: Path
) -> None:
    for doc in (ocr_doc, pdf_doc):
        tree = etree.fromstring(render_alto(doc))
        alto_schema.assertValid(tree)
    tree = etree.fromstring(render_alto(ocr_doc, {1: "yunxi-turned.png"}))
    assert tree.findtext(".//a:sourceImageInformation/a:fileName", namespaces=ALTO) == "yunxi-turned.png"
    assert tree.findtext(".//a:softwareName", namespaces=ALTO) == "bulletin-ocr"
    assert "PP-OCR" in (tree.findtext(".//a:processingStepSettings", namespaces=ALTO) or "")
    tags = {t.get("ID"): t.get("LABEL") for t in tree.iterfind(".//a:StructureTag", ALTO)}
    kinds = [tags[b.get("TAGREFS")] for b in tree.iterfind(".//a:TextBlock", ALTO)]
    assert {"masthead", "headline", "paragraph", "attribution"} <= set(kinds)
    strings = tree.findall(".//a:String", ALTO)
    assert strings and all(0 <= float(s.get("WC", "-1")) <= 1 for s in strings)
    boxes = [[float(el.get("HPOS", 0)), float(el.get("VPOS", 0)),
              float(el.get("HPOS", 0)) + float(el.get("WIDTH", 0)),
              float(el.get("VPOS", 0)) + float(el.get("HEIGHT", 0))]
             for el in tree.iterfind(".//a:TextLine", ALTO)]  # fmt: skip
    assert ink_inside(turned_scan, boxes) > 0.9
    # Every printed line appears once, under its own id.
    ids = [el.get("ID") for el in tree.iterfind(".//a:TextLine", ALTO)]
    page = ocr_doc.pages[0]
    assert sorted(ids) == sorted(line.id for line in page.lines + page.furniture)


def test_alto_keeps_a_space_between_latin_words(pdf_doc: Document) -> None:
    page = pdf_doc.pages[0]
    original = page.lines[0].text
    page.lines[0].text = "GDP  grew"
    try:
        tree = etree.fromstring(render_alto(pdf_doc))
    finally:
        page.lines[0].text = original
    line = tree.find(".//a:TextLine", ALTO)
    assert line is not None
    assert [etree.QName(c).localname for c in line] == ["String", "SP", "String"]
    assert [c.get("CONTENT") for c in line if c.get("CONTENT")] == ["GDP", "grew"]


def test_page_xml_is_valid_with_types_and_reading_order(
    ocr_doc: Document, pdf_doc: Document, page_schema: etree.XMLSchema
) -> None:
    files = render_page_xml(pdf_doc) | render_page_xml(ocr_doc)
    assert len(render_page_xml(pdf_doc)) == len(pdf_doc.pages) > 1
    for data in files.values():
        page_schema.assertValid(etree.fromstring(data))
    tree = etree.fromstring(render_page_xml(ocr_doc, {1: "yunxi-turned.png"})[1])
    page = tree.find("p:Page", PAGE)
    assert page is not None and page.get("imageFilename") == "yunxi-turned.png"
    assert (page.get("imageWidth"), page.get("imageHeight")) == ("2339", "1654")
    types = {r.get("type") for r in page.iterfind("p:TextRegion", PAGE)}
    assert {"heading", "paragraph", "credit"} <= types
    order = [r.get("regionRef") for r in page.iterfind(".//p:RegionRefIndexed", PAGE)]
    assert order == [r.get("id") for r in page.iterfind("p:TextRegion", PAGE)]
    confs = [float(e.get("conf", "-1")) for e in page.iterfind("p:TextRegion/p:TextLine/p:TextEquiv", PAGE)]
    assert confs and all(0 <= c <= 1 for c in confs)


def test_multi_page_page_xml_is_one_file_per_page(pdf_doc: Document, tmp_path: Path) -> None:
    paths = write_outputs(pdf_doc, tmp_path, "q", ["page"])
    assert [p.name for p in paths] == ["q.page.xml"] + [
        f"q.page-{n}.xml" for n in range(2, len(pdf_doc.pages) + 1)
    ]


def test_hocr_passes_the_hocr_spec_checker(
    ocr_doc: Document, pdf_doc: Document, tmp_path: Path
) -> None:
    checker = Path(sys.executable).with_name("hocr-spec")  # from the hocr-spec package
    for doc in (ocr_doc, pdf_doc):
        path = tmp_path / "x.hocr"
        path.write_bytes(render_hocr(doc))
        result = subprocess.run([str(checker), "-f", "bool", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.strip() == "True", result.stdout
    # The checker does fail: hOCR without the capability its properties need is invalid.
    path.write_bytes(render_hocr(ocr_doc).replace(b"ocrp_lang", b""))
    assert subprocess.run([str(checker), "-f", "bool", str(path)], capture_output=True).returncode != 0


def test_hocr_parses_with_bboxes_and_confidence(ocr_doc: Document, turned_scan: Path) -> None:
    tree = html.fromstring(render_hocr(ocr_doc, {1: "yunxi-turned.png"}))
    (page,) = tree.find_class("ocr_page")
    assert page.get("title", "").startswith('image "yunxi-turned.png"; bbox 0 0 2339 1654')
    for cls in ("ocr_carea", "ocr_par", "ocr_line", "ocrx_word"):
        assert tree.find_class(cls), cls
    boxes = []
    for line in tree.find_class("ocr_line"):
        props = dict(p.strip().split(" ", 1) for p in line.get("title", "").split(";"))
        boxes.append([float(v) for v in props["bbox"].split()])
    assert ink_inside(turned_scan, boxes) > 0.9
    words = tree.find_class("ocrx_word")
    assert all("x_wconf" in w.get("title", "") for w in words)
    assert "".join(w.text_content() for w in words).count("云溪") >= 2


def test_raw_text_has_no_page_formats() -> None:
    raw = convert(SAMPLES / "raw" / "yunxi-2022-15.txt")
    for render in (render_alto, render_page_xml, render_hocr):
        with pytest.raises(UnsupportedInputError, match="no page geometry"):
            render(raw)
    assert render_tei(raw)  # the text formats still work
