"""The searchable PDF replaces a failed text layer and drops active content (issue 23)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from bulletin_ocr.api import convert
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.export.regions import line_text
from test_ocr import cer

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BORN_DIGITAL = SAMPLES / "pdf" / "yunxi-2022-15.pdf"
# The old layer's mojibake, as pdftotext reads it from the input.
OLD_LAYER = ("êÆ", "Ì±", "¯K", "Æ#(")


def pdftotext(path: Path, *options: str) -> str:
    command = ["pdftotext", *options, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def mixed(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A born-digital page (trusted) followed by the real garbled-layer page (recognised)."""
    folder = tmp_path_factory.mktemp("mixed")
    source = folder / "mixed.pdf"
    garbled = shared_dir / "real" / "broken-text-layer" / "textbook-garbled-layer.pdf"
    with pikepdf.open(BORN_DIGITAL) as pdf, pikepdf.open(garbled) as other:
        del pdf.pages[1:]
        pdf.pages.append(other.pages[0])
        pdf.save(source)
    assert any(mark in pdftotext(source) for mark in OLD_LAYER)
    return source, folder


def test_re_recognised_page_keeps_only_its_new_text(mixed: tuple[Path, Path]) -> None:
    source, folder = mixed
    doc = convert(source)
    assert [page.source for page in doc.pages] == ["pdf", "ocr"]
    (path,) = write_outputs(doc, folder, "mixed", ["pdf"], ExportContext(input_path=source))
    text = pdftotext(path, "-f", "2", "-l", "2", "-raw")
    assert not [mark for mark in OLD_LAYER if mark in text]
    new = "".join(line_text(line) for line in doc.pages[1].lines + doc.pages[1].furniture)
    assert cer(squeeze(new), squeeze(text)) <= 0.01
    # The trusted page is as it was: its content streams and resources, byte for byte.
    with pikepdf.open(source) as before, pikepdf.open(path) as after:
        old, kept = before.pages[0], after.pages[0]
        assert [s.read_raw_bytes() for s in _streams(kept)] == [
            s.read_raw_bytes() for s in _streams(old)
        ]
        assert sorted(kept.Resources.keys()) == sorted(old.Resources.keys())
        # The scan under the new text is the input's image, not a copy made from it.
        assert [i.read_raw_bytes() for i in after.pages[1].get_images().values()] == [
            i.read_raw_bytes() for i in before.pages[1].get_images().values()
        ]
    assert pdftotext(path, "-f", "1", "-l", "1") == pdftotext(source, "-f", "1", "-l", "1")
    # The garbled page's old text is vector type: it still shows, only it is no longer read.
    assert ink_difference(source, path, 2) < 0.5


def ink_difference(before: Path, after: Path, number: int) -> float:
    """Mean absolute grey difference (0-255) between the page rendered from each file."""
    import numpy as np
    import pypdfium2

    pixels = []
    for path in (before, after):
        pdf = pypdfium2.PdfDocument(path)
        try:
            pixels.append(np.asarray(pdf[number - 1].render(scale=1).to_pil().convert("L")))
        finally:
            pdf.close()
    return float(np.abs(pixels[0].astype(int) - pixels[1].astype(int)).mean())


def test_an_earlier_invisible_layer_is_removed(tmp_path: Path) -> None:
    """A scan under another tool's invisible text, recognised again with --force-ocr: the old
    text-showing operators are gone from the page, the scan is drawn as before."""
    from reportlab.pdfgen.canvas import Canvas

    from bulletin_ocr.export.pdf_text_layer import register_fonts
    from bulletin_ocr.pipeline import ConvertOptions

    scan = SAMPLES / "scans" / "lanshan-2024-03-scan.pdf"
    layer = tmp_path / "layer.pdf"
    with pikepdf.open(scan) as pdf:
        box = pdf.pages[0].mediabox
    canvas = Canvas(str(layer), pagesize=(float(box[2]), float(box[3])),
                    initialFontName=register_fonts().names[0])  # fmt: skip
    text = canvas.beginText(72, 700)
    text.setTextRenderMode(3)
    text.textLine("旧的文字层 OLDLAYER")
    canvas.drawText(text)
    canvas.save()
    source = tmp_path / "layered.pdf"
    with pikepdf.open(scan) as pdf, pikepdf.open(layer) as other:
        del pdf.pages[1:]
        pdf.pages[0].add_overlay(other.pages[0])
        pdf.save(source)
    assert "OLDLAYER" in pdftotext(source)
    doc = convert(source, ConvertOptions(force_ocr=True))
    (path,) = write_outputs(doc, tmp_path, "layered", ["pdf"], ExportContext(input_path=source))
    text_out = pdftotext(path)
    assert "OLDLAYER" not in text_out and "旧的文字层" not in text_out
    assert "蓝山区" in text_out
    with pikepdf.open(path) as pdf:
        # Only the new layer's form is left showing text; the old text is not wrapped, gone.
        assert b"ActualText" not in pdf.pages[0].Contents.read_bytes()
    assert ink_difference(source, path, 1) < 0.5


def _streams(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _hostile(path: Path) -> None:
    """The born-digital sample with JavaScript, a launch action, an embedded executable, a
    file attachment and a web link."""
    with pikepdf.open(BORN_DIGITAL) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('hi')")
        )
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="this.print()")
        payload = pdf.make_stream(b"MZ\x90\x00 not really a program")
        payload.Type = pikepdf.Name.EmbeddedFile
        spec = pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F="payload.exe", EF=pikepdf.Dictionary(F=payload)
        )
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["init", script])),
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array(["payload.exe", spec])),
        )
        page = pdf.pages[0]
        page.obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="1"))
        rect = pikepdf.Array([10, 10, 100, 30])
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F="payload.exe")
        uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/")
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([
            pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=rect,
                               A=launch, F=4),
            pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=rect,
                               A=uri, F=4),
            pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
                               Rect=rect, FS=spec),
        ]))  # fmt: skip
        pdf.save(path)


def test_active_content_is_removed_and_named(tmp_path: Path) -> None:
    source = tmp_path / "hostile.pdf"
    _hostile(source)
    doc = convert(source)
    json_path, pdf_path = write_outputs(
        doc, tmp_path, "hostile", ["json", "pdf"], ExportContext(input_path=source)
    )
    (warning,) = [w for w in doc.warnings if w.startswith("removed from the searchable PDF")]
    for what in ("opening JavaScript action", "document-level JavaScript", "payload.exe",
                 "Launch action on page 1", "FileAttachment annotation on page 1",
                 "page 1's additional actions"):  # fmt: skip
        assert what in warning
    assert warning in json.loads(json_path.read_text(encoding="utf-8"))["warnings"]
    with pikepdf.open(pdf_path) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.Names and "/EmbeddedFiles" not in pdf.Root.Names
        page = pdf.pages[0].obj
        assert "/AA" not in page
        actions = [annot.get("/A") for annot in page.Annots]
        assert [a.S for a in actions if a is not None] == ["/URI"]  # a web link may stay
        assert [str(annot.Subtype) for annot in page.Annots] == ["/Link", "/Link"]
        raw = pdf_path.read_bytes()
        assert b"not really a program" not in raw and b"JavaScript" not in raw
