"""Searchable PDF: the scan's own pages under an invisible text layer that pdftotext reads back."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from bulletin_ocr.api import convert
from bulletin_ocr.errors import UnsupportedInputError
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.export.searchable_pdf import render_searchable_pdf

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$", re.MULTILINE)


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_char in enumerate(reference, start=1):
        current = [i]
        for j, hyp_char in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_char != hyp_char))
            )
        previous = current
    return previous[-1] / max(1, len(reference))


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


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    source = SAMPLES / "scans" / "lanshan-2024-03-scan.pdf"
    outdir = tmp_path_factory.mktemp("out")
    context = ExportContext(input_path=source, outdir=outdir, stem="lanshan")
    (path,) = write_outputs(convert(source), outdir, "lanshan", ["pdf"], context)
    return source, path


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
