"""The pdfium character reader against the pdfplumber reference: same outputs, and the option
that picks one (``--pdf-reader``, config ``pdf_reader``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bulletin_ocr import batch
from bulletin_ocr.api import convert
from bulletin_ocr.batch import BatchResult, Record
from bulletin_ocr.cli import cli
from bulletin_ocr.config import options_from_config, read_config
from bulletin_ocr.errors import UsageError
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.text import render_text
from hostile_fixtures import pdf_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "pdf"
# Positions come from single-precision pdfium values: a coordinate rounded to two decimals
# may land one hundredth away from pdfminer's double-precision one.
ROUNDING = 0.011


def _outputs(path: Path, reader: str) -> tuple[str, dict[str, Any]]:
    document = convert(path, pdf_reader=reader, use_ocr=False)
    data = json.loads(render_json(document))
    data.pop("engine")  # the reader's own name
    return render_text(document), data


def _json_differences(left: Any, right: Any, where: str = "") -> list[str]:
    """Where two JSON values differ by more than rounding."""
    if isinstance(left, dict) and isinstance(right, dict) and left.keys() == right.keys():
        return [d for key in left for d in _json_differences(left[key], right[key], f"{where}.{key}")]
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [d for i, (a, b) in enumerate(zip(left, right, strict=True))
                for d in _json_differences(a, b, f"{where}[{i}]")]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if left == right or (numbers and abs(left - right) <= ROUNDING):
        return []
    return [f"{where}: {left!r} != {right!r}"]


def _pdfs(shared_dir: Path) -> list[Path]:
    real = shared_dir / "real"
    return [
        *sorted(SAMPLES.glob("*.pdf")),
        *sorted((real / "gov-pdf").glob("*.pdf")),
        *sorted((real / "broken-text-layer").glob("*.pdf")),
    ]


@pytest.mark.slow
def test_both_readers_convert_samples_and_real_pdfs_alike(shared_dir: Path) -> None:
    """Identical .txt, and .json equal to the rounding of a position, on the four samples, the
    six gov-pdf files and the four broken text layers (two read by pdfplumber: unmapped)."""
    paths = _pdfs(shared_dir)
    assert len(paths) == 14
    for path in paths:
        text_a, json_a = _outputs(path, "pdfplumber")
        text_b, json_b = _outputs(path, "pdfium")
        assert text_b == text_a, path.name
        assert _json_differences(json_a, json_b) == [], path.name


def test_the_known_differences_are_positions_and_line_breaks_only(shared_dir: Path) -> None:
    """The two real PDFs whose outputs differ, each for a reason that loses nothing:

    - book-page-hard-wraps: pdfium places some characters up to 3.4 pt further along a line
      than pdfminer does (where the glyphs are rendered); the text is the same, four line
      boxes in the JSON are narrower or wider;
    - research-report-4p, page 3: a character 0.05 pt apart (single precision) falls on the
      other side of a table cell's border: one table row is read as two lines (same
      characters, in the same order)."""
    real = shared_dir / "real" / "mixed"
    text_a, json_a = _outputs(real / "book-page-hard-wraps.pdf", "pdfplumber")
    text_b, json_b = _outputs(real / "book-page-hard-wraps.pdf", "pdfium")
    assert text_a == text_b
    differences = _json_differences(json_a, json_b)
    assert differences and all(".bbox[2]" in d for d in differences), differences
    text_a, _ = _outputs(real / "research-report-4p.pdf", "pdfplumber")
    text_b, _ = _outputs(real / "research-report-4p.pdf", "pdfium")
    assert text_a != text_b
    assert "".join(text_a.split()) == "".join(text_b.split())


def test_the_reader_is_pdfium_unless_told(shared_dir: Path) -> None:
    path = SAMPLES / "lanshan-2024-03.pdf"
    assert convert(path, use_ocr=False).engine[0].startswith("pdfium ")
    assert convert(path, use_ocr=False, pdf_reader="pdfplumber").engine[0].startswith(
        "pdfplumber "
    )


def test_the_reader_is_chosen_in_the_config_and_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[convert]\npdf_reader = "pdfplumber"\n', encoding="utf-8")
    assert options_from_config(read_config(config)).pdf_reader == "pdfplumber"
    config.write_text('[convert]\npdf_reader = "pdfminer"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="pdf_reader"):
        read_config(config)

    seen: list[Any] = []

    def fake_convert_batch(inputs: Any, outdir: Any, **settings: Any) -> BatchResult:
        seen.append(settings["options"])
        return BatchResult([Record(path=str(inputs[0]), sha256=None, status="ok", pages=1)])

    monkeypatch.setattr(batch, "convert_batch", fake_convert_batch)
    pdf = SAMPLES / "lanshan-2024-03.pdf"
    for arguments, expected in (([], "pdfium"), (["--pdf-reader", "pdfplumber"], "pdfplumber")):
        result = CliRunner().invoke(
            cli, ["convert", str(pdf), "-o", str(tmp_path / "out"), "-q", *arguments]
        )
        assert result.exit_code == 0, result.output
        assert seen[-1].pdf_reader == expected


def _pdf(pages_attrs: bytes, page_attrs: bytes, content: bytes) -> bytes:
    """A one-page PDF with Helvetica text; ``pages_attrs`` go on the page tree's root (what a
    page inherits), ``page_attrs`` on the page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 " + pages_attrs + b" >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_attrs + b" >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_bytes(dict(enumerate(objects, start=1)))


TEXT = (b"BT /F1 14 Tf 72 700 Td (Annual budget report) Tj 0 -20 Td (Second line here) Tj ET "
        b"0.5 w 72 670 m 500 670 l S")


@pytest.mark.parametrize(
    ("pages_attrs", "page_attrs"),
    [
        (b"/MediaBox [0 0 595 842]", b""),  # inherited: pdfium alone would take US Letter
        (b"", b"/MediaBox [0 0 595 842] /Rotate 90"),
        (b"", b"/MediaBox [-20 -30 575 812] /CropBox [0 0 500 800]"),
    ],
    ids=["inherited-mediabox", "rotated", "offset-and-cropped"],
)
def test_page_boxes_and_turns_place_text_alike(
    tmp_path: Path, pages_attrs: bytes, page_attrs: bytes
) -> None:
    path = tmp_path / "page.pdf"
    path.write_bytes(_pdf(pages_attrs, page_attrs, TEXT))
    text_a, json_a = _outputs(path, "pdfplumber")
    text_b, json_b = _outputs(path, "pdfium")
    # A page turned a quarter makes every glyph not upright: neither reader keeps them.
    assert ("Annual budget report" in text_a) == (b"Rotate" not in page_attrs)
    assert text_b == text_a
    assert _json_differences(json_a, json_b) == []
