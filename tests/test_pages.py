"""--pages: OCRmyPDF's page selection for PDFs and multi-page TIFFs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from bulletin_ocr.api import convert
from bulletin_ocr.cli import cli
from bulletin_ocr.errors import UsageError
from bulletin_ocr.page_selection import END, parse_pages

GOV_PDF = "putuo_social_work_dept_2024_final_accounts.pdf"  # 24 pages with a text layer

BLANK_ENGINE = '''
class Blank:
    def describe(self):
        return ["blank test engine"]

    def recognise(self, image):
        return []


def blank(_options):
    return Blank()
'''


@pytest.mark.parametrize(("spec", "ranges"), [
    ("1-3,7", (range(1, 4), range(7, 8))),
    ("7, 1-3", (range(1, 4), range(7, 8))),
    ("3", (range(3, 4),)),
    ("5-", (range(5, END),)),
    ("2-4,3-6,7", (range(2, 8),)),
    ("1,1,1", (range(1, 2),)),
])
def test_specs(spec: str, ranges: tuple[range, ...]) -> None:
    assert parse_pages(spec).ranges == ranges


@pytest.mark.parametrize(("spec", "problem"), [
    ("0", "'0': pages are counted from 1, not 0"),
    ("3-1", "'3-1': the range 3-1 runs backwards"),
    ("1,,2", "'1,,2': '' is not a page number or a range like 1-3 or 5- (pages are counted from 1)"),
    ("a-b", "'a-b': 'a-b' is not a page number or a range like 1-3 or 5- (pages are counted from 1)"),
    ("-3", "'-3': '-3' is not a page number or a range like 1-3 or 5- (pages are counted from 1)"),
    ("", "'': '' is not a page number or a range like 1-3 or 5- (pages are counted from 1)"),
])
def test_bad_specs_say_what_is_wrong(spec: str, problem: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_pages(spec)
    assert caught.value.problem == problem


def test_a_bad_spec_is_a_usage_error_that_creates_nothing(tmp_path: Path) -> None:
    pdf = Path(__file__).resolve().parents[1] / "samples" / "pdf" / "yunxi-2022-15.pdf"
    result = CliRunner().invoke(cli, ["convert", str(pdf), "-o", str(tmp_path / "out"),
                                      "--pages", "2-1"])
    assert result.exit_code == 2
    assert "Invalid value for '--pages': '2-1': the range 2-1 runs backwards" in result.stderr
    assert not (tmp_path / "out").exists()


def test_pdf_pages_1_to_3_and_7_are_converted_and_named_in_the_json(
    tmp_path: Path, shared_dir: Path
) -> None:
    pdf = shared_dir / "real" / "gov-pdf" / GOV_PDF
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(pdf), "-o", str(out), "--to", "json,txt",
                                      "--pages", "7,1-3"])
    assert result.exit_code == 0, result.stderr
    data = json.loads((out / (pdf.stem + ".json")).read_text(encoding="utf-8"))
    assert [page["number"] for page in data["pages"]] == [1, 2, 3, 7]
    assert data["page_selection"] == {"spec": "7,1-3", "pages": [1, 2, 3, 7]}
    schema_path = Path(__file__).resolve().parents[1] / "src" / "bulletin_ocr" / "export" / \
        "schemas" / "document.schema.json"
    jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))
    record = json.loads((out / "report.jsonl").read_text(encoding="utf-8"))
    assert record["pages"] == 4


def test_a_page_beyond_the_end_fails_that_input_with_exit_2(tmp_path: Path, shared_dir: Path) -> None:
    pdf = shared_dir / "real" / "gov-pdf" / GOV_PDF
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(pdf), "-o", str(out), "--pages", "1,30"])
    assert result.exit_code == 2
    assert f"error: {pdf}: --pages 1,30: page 30 is beyond the end of the document (24 page(s))" \
        in result.stderr.splitlines()
    assert not (out / (pdf.stem + ".json")).exists()


def _tiff(path: Path, frames: int) -> Path:
    from PIL import Image

    images = [Image.new("L", (200, 100), 40 * index) for index in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:])
    return path


@pytest.fixture
def blank_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "blank_engine.py").write_text(BLANK_ENGINE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "blank_engine:blank"


def test_multi_page_tiff_frames_are_selected(tmp_path: Path, blank_engine: str) -> None:
    from bulletin_ocr.ocr import OcrOptions
    from bulletin_ocr.pipeline import ConvertOptions

    tiff = _tiff(tmp_path / "scan.tif", 5)
    options = ConvertOptions(ocr=OcrOptions(engine=blank_engine), pages=parse_pages("2,4-"))
    document = convert(tiff, options)
    assert [page.number for page in document.pages] == [2, 4, 5]
    assert document.page_selection == "2,4-"
    with pytest.raises(UsageError, match=r"page 6 is beyond the end of the document \(5 page"):
        convert(tiff, options, pages=parse_pages("1,6-"))
