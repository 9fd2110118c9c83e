"""OCRmyPDF with bulletin-ocr's recogniser as its OCR engine, end to end on a sample scan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from test_ocr import cer
from test_searchable_pdf import PAGE_NUMBER, _squeeze, truth_text

SCAN = Path(__file__).resolve().parents[1] / "samples" / "scans" / "lanshan-2024-03-scan.pdf"


@pytest.mark.slow  # three pages through OCRmyPDF: 20-50 s on 2 cores
def test_ocrmypdf_reads_a_sample_scan_with_our_engine(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    command = [sys.executable, "-m", "ocrmypdf", "--plugin", "bulletin_ocr.ocrmypdf_plugin",
               "--jobs", "1", str(SCAN), str(out)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    # The text layer's own order (-raw), and poppler's reading of its blocks (plain, -layout):
    # the masthead's issuer and date, one row, are one line only on one baseline.
    for mode in ("-raw", None, "-layout"):
        command = ["pdftotext", "-enc", "UTF-8", *([mode] if mode else []), str(out), "-"]
        text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        assert cer(truth_text("lanshan-2024-03"), _squeeze(PAGE_NUMBER.sub("", text))) <= 0.01
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 3
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert "bulletin-ocr" in meta["xmp:CreatorTool"]
    assert pikepdf.pdfa.validate_written(out, "2b").verdict == "pass"
