"""The searchable PDF is PDF/A-2b by default, and a plain PDF with a warning saying why when
it cannot be (issue 23). The validator is pikepdf's PDF/A module (no veraPDF here)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from bulletin_ocr.api import convert
from bulletin_ocr.cli import cli
from bulletin_ocr.export import ExportContext, write_outputs

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SCANS = SAMPLES / "scans"
NOT_PDFA = "searchable PDF written as a plain PDF, not PDF/A-2b"


def searchable(source: Path, folder: Path, **context: object) -> tuple[Path, list[str]]:
    doc = convert(source)
    ctx = ExportContext(input_path=source, **context)  # type: ignore[arg-type]
    (path,) = write_outputs(doc, folder, source.stem, ["pdf"], ctx)
    return path, doc.warnings


def assert_pdfa(path: Path) -> None:
    report = pikepdf.pdfa.validate_written(path, "2b")
    assert report.verdict == "pass", [str(finding) for finding in report.findings]
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert "/ID" in pdf.trailer and "1.4" <= pdf.pdf_version <= "1.7"
        assert meta["pdf:Producer"] == str(pdf.docinfo["/Producer"])


def assert_pages_kept(source: Path, path: Path) -> None:
    """Page count, sizes and image streams (their raw bytes: never re-encoded) unchanged."""
    with pikepdf.open(source) as before, pikepdf.open(path) as after:
        assert len(after.pages) == len(before.pages)
        for old, new in zip(before.pages, after.pages, strict=True):
            assert [float(v) for v in new.mediabox] == [float(v) for v in old.mediabox]
            assert [i.read_raw_bytes() for i in new.get_images().values()] == [
                i.read_raw_bytes() for i in old.get_images().values()
            ]


def test_image_scan_becomes_pdfa_with_its_masthead(tmp_path: Path) -> None:
    source = SCANS / "lanshan-2024-03-p1-300dpi.jpg"
    path, warnings = searchable(source, tmp_path)
    assert not [w for w in warnings if w.startswith(NOT_PDFA)]
    assert_pdfa(path)
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "政务信息"
        assert meta["dc:creator"] == ["蓝山区人民政府办公室"]
        assert meta["dc:date"] == ["2024-03-08"]
        assert meta["xmp:CreatorTool"].startswith("bulletin-ocr ")
        # The document information agrees (no "anonymous" placeholder of reportlab's).
        assert str(pdf.docinfo["/Author"]) == "蓝山区人民政府办公室"
        # The JPEG file itself is the page's image stream.
        (image,) = pdf.pages[0].get_images().values()
        assert image.read_raw_bytes() == source.read_bytes()


def test_scanned_pdf_becomes_pdfa_with_its_own_images(tmp_path: Path) -> None:
    source = SCANS / "lanshan-2024-03-scan.pdf"
    path, _ = searchable(source, tmp_path)
    assert_pdfa(path)
    assert_pages_kept(source, path)


@pytest.mark.slow
def test_every_sample_and_real_scan_becomes_pdfa(shared_dir: Path, tmp_path: Path) -> None:
    real = shared_dir / "real" / "scanned"
    sources = sorted(p for p in SCANS.iterdir() if p.suffix != ".json") + sorted(real.iterdir())
    assert len(sources) >= 10
    for source in sources:
        path, warnings = searchable(source, tmp_path)
        assert not [w for w in warnings if w.startswith(NOT_PDFA)], source.name
        assert_pdfa(path)
        if source.suffix == ".pdf":
            assert_pages_kept(source, path)


def _helvetica_pdf(path: Path) -> None:
    """A born-digital page in a font that is not embedded (one of the PDF base 14)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 14)
    for row in range(20):
        canvas.drawString(72, 760 - 20 * row, f"Line {row} of a report set in Helvetica.")
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())


def test_input_font_not_embedded_gives_a_plain_pdf_and_says_why(tmp_path: Path) -> None:
    source = tmp_path / "helvetica.pdf"
    _helvetica_pdf(source)
    path, warnings = searchable(source, tmp_path)
    (warning,) = [w for w in warnings if w.startswith(NOT_PDFA)]
    assert "font(s) not embedded: Helvetica" in warning
    with pikepdf.open(path) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()


def test_pdf_type_pdf_makes_no_claim(tmp_path: Path) -> None:
    path, warnings = searchable(SCANS / "yunxi-2022-15-p1-200dpi.png", tmp_path, pdf_type="pdf")
    assert not warnings or not [w for w in warnings if w.startswith(NOT_PDFA)]
    with pikepdf.open(path) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()
        assert "/OutputIntents" not in pdf.Root


def test_what_the_validator_refuses_gives_a_plain_pdf(tmp_path: Path) -> None:
    """A born-digital page with a DeviceCMYK image, which an sRGB output intent does not
    cover and which is never re-encoded: the validator's finding is the warning."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawImage(_cmyk_image(), 72, 400, 200, 200)
    canvas.showPage()
    canvas.save()
    source = tmp_path / "cmyk.pdf"
    with pikepdf.open(buffer) as pdf:
        del pdf.pages[0].Resources["/Font"]  # reportlab's unused Helvetica
        pdf.save(source)
    path, warnings = searchable(source, tmp_path)
    (warning,) = [w for w in warnings if w.startswith(NOT_PDFA)]
    assert "ISO_19005_2:6.2.4.3" in warning and "DeviceCMYK" in warning
    with pikepdf.open(path) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()


def _cmyk_image() -> object:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    return ImageReader(Image.new("CMYK", (20, 20), (0, 255, 255, 0)))


def test_cli_and_config_choose_the_pdf_type(tmp_path: Path) -> None:
    source = SAMPLES / "pdf" / "yunxi-2022-15.pdf"
    runner = CliRunner()
    plain = runner.invoke(cli, ["convert", str(source), "-o", str(tmp_path / "a"), "--to",
                                "pdf", "--pdf-type", "pdf", "-q"])  # fmt: skip
    assert plain.exit_code == 0, plain.output
    with pikepdf.open(tmp_path / "a" / "yunxi-2022-15.ocr.pdf") as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()
    config = tmp_path / "config.toml"
    config.write_text('[convert]\npdf_type = "pdf"\n', encoding="utf-8")
    configured = runner.invoke(cli, ["convert", str(source), "-o", str(tmp_path / "b"), "--to",
                                     "pdf", "--config", str(config), "-q"])  # fmt: skip
    assert configured.exit_code == 0, configured.output
    with pikepdf.open(tmp_path / "b" / "yunxi-2022-15.ocr.pdf") as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()
    # By default PDF/A, which the sample's non-embedded base-14 fonts rule out: a plain PDF,
    # and the run says why.
    default = runner.invoke(cli, ["convert", str(source), "-o", str(tmp_path / "c"), "--to",
                                  "pdf"])  # fmt: skip
    assert default.exit_code == 0, default.output
    assert f"{NOT_PDFA}: font(s) not embedded: Helvetica, Times-Bold, Times-Roman" in default.output
    bad = runner.invoke(cli, ["convert", str(source), "-o", str(tmp_path / "d"),
                              "--pdf-type", "pdfx"])  # fmt: skip
    assert bad.exit_code == 2 and "pdfx" in bad.output
