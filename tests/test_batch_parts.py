"""One long input's pages spread over workers: the same outputs, one record, failures named."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bulletin_ocr.batch import convert_batch, local
from bulletin_ocr.batch.discover import Task
from bulletin_ocr.batch.parts import Part, make_parts, split
from bulletin_ocr.batch.worker import Job
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.pipeline import ConvertOptions

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples" / "scans"
RESOURCES = Path(__file__).resolve().parent / "resources"
OUTPUTS = ("txt", "tei", "json")


@pytest.fixture
def spied_splits(monkeypatch: pytest.MonkeyPatch) -> list[list[Part]]:
    """The parts each split in the batch made (the scheduling runs in this process, the
    survey that counts the pages in a worker)."""
    made: list[list[Part]] = []

    def spy(job: Job, workers: int, pages: int) -> list[Part]:
        parts = make_parts(job, workers, pages)
        made.append(parts)
        return parts

    monkeypatch.setattr(local, "make_parts", spy)
    return made


def scanned_pdf(path: Path, pages: list[int]) -> Path:
    """A scanned PDF made of the sample scan's pages (0-based) in the order given."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(SCANS / "lanshan-2024-03-scan.pdf"))
    document = pdfium.PdfDocument.new()
    document.import_pages(source, pages)
    document.save(str(path))
    return path


def outputs(folder: Path, stem: str) -> dict[str, bytes]:
    return {
        suffix: (folder / f"{stem}{suffix}").read_bytes() for suffix in (".txt", ".tei.xml", ".json")
    }


def test_a_long_scanned_pdf_over_two_workers_writes_the_bytes_one_worker_writes(
    tmp_path: Path, spied_splits: list[list[Part]]
) -> None:
    pdf = scanned_pdf(tmp_path / "long.pdf", [0, 1, 2, 0])
    whole = convert_batch([pdf], tmp_path / "one", formats=OUTPUTS, jobs=1)
    assert not any(spied_splits)  # one worker: nothing to spread
    spied_splits.clear()
    spread = convert_batch([pdf], tmp_path / "two", formats=OUTPUTS, jobs=2)
    assert [[part.pages for part in parts] for parts in spied_splits] == [[range(1, 3), range(3, 5)]]
    assert [r.status for r in whole.records] == [r.status for r in spread.records] == ["ok"]
    assert spread.records[0].pages == 4 and spread.records[0].sources == ["ocr"] * 4
    assert outputs(tmp_path / "two", "long") == outputs(tmp_path / "one", "long")
    assert json.loads((tmp_path / "two" / "long.json").read_bytes())["items"]
    assert not list((tmp_path / "two" / ".bulletin-ocr").rglob("*.pages"))
    again = convert_batch([pdf], tmp_path / "two", formats=OUTPUTS, jobs=2)
    assert [r.status for r in again.records] == ["skipped"]


def test_a_multi_page_tiff_over_two_workers_writes_the_bytes_one_worker_writes(
    tmp_path: Path, spied_splits: list[list[Part]]
) -> None:
    with Image.open(SCANS / "qingchuan-2023-07-2p.tif") as tiff:
        frames = []
        for index in (0, 1, 0, 1, 0):
            tiff.seek(index)
            frames.append(tiff.copy())
    path = tmp_path / "long.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    convert_batch([path], tmp_path / "one", formats=OUTPUTS, jobs=1)
    spied_splits.clear()
    spread = convert_batch([path], tmp_path / "two", formats=OUTPUTS, jobs=2)
    assert [[part.pages for part in parts] for parts in spied_splits] == [[range(1, 4), range(4, 6)]]
    assert spread.records[0].pages == 5
    assert outputs(tmp_path / "two", "long") == outputs(tmp_path / "one", "long")


def test_a_crash_in_one_part_fails_its_input_naming_the_page_and_spares_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spied_splits: list[list[Part]]
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")]))
    white, black = (np.full((1400, 1000), value, np.uint8) for value in (255, 0))
    pages = [Image.fromarray(p) for p in (white, white, white, white, black, white)]
    inputs = tmp_path / "in"
    inputs.mkdir()
    pages[0].save(inputs / "bad.tif", save_all=True, append_images=pages[1:], dpi=(150, 150))
    pages[0].save(inputs / "good.tif", save_all=True, append_images=pages[1:4], dpi=(150, 150))
    options = ConvertOptions(ocr=OcrOptions(engine="crash_engine:dark_aborting"))
    out = tmp_path / "out"
    result = convert_batch([inputs], out, formats=OUTPUTS, options=options, jobs=2)
    found = {Path(r.path).name: r for r in result.records}
    assert sorted(found) == ["bad.tif", "good.tif"]  # one record per input, parts or not
    assert found["bad.tif"].status == "error"
    assert "SIGABRT" in str(found["bad.tif"].error) and "page 5" in str(found["bad.tif"].error)
    assert not (out / "bad.txt").exists()
    assert found["good.tif"].status in ("ok", "warning") and found["good.tif"].pages == 4
    assert sum(len(parts) > 1 for parts in spied_splits) >= 1


def test_short_inputs_and_single_images_stay_whole(tmp_path: Path) -> None:
    def job(path: Path) -> Job:
        task = Task(path=path, stem=Path(path.stem))
        return Job(task, tmp_path, OUTPUTS, ConvertOptions(), staging=tmp_path)

    three = scanned_pdf(tmp_path / "three.pdf", [0, 1, 2])
    assert split(job(three), 2) == []  # under MIN_PAGES
    assert split(job(SCANS / "yunxi-2022-15-p1-300dpi.jpg"), 2) == []
    assert split(job(tmp_path / "missing.pdf"), 2) == []  # its whole conversion says why
    four = scanned_pdf(tmp_path / "four.pdf", [0, 1, 2, 0])
    assert split(job(four), 1) == []
    assert [part.pages for part in split(job(four), 3)] == [range(1, 3), range(3, 5)]
    assert split(replace(job(four), staging=None), 2) == []
    # --pages: the selection is converted by one worker (its ranges are not the parts').
    from bulletin_ocr.page_selection import parse_pages

    selected = replace(job(four), options=ConvertOptions(pages=parse_pages("2-4")))
    assert split(selected, 3) == []


def test_a_long_pdf_with_a_text_layer_stays_whole_unless_forced_to_ocr(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(ROOT / "samples" / "pdf" / "yunxi-2022-15.pdf"))
    document = pdfium.PdfDocument.new()
    for _ in range(4):
        document.import_pages(source, [0])
    document.save(str(tmp_path / "text.pdf"))
    task = Task(path=tmp_path / "text.pdf", stem=Path("text"))
    job = Job(task, tmp_path, OUTPUTS, ConvertOptions(), staging=tmp_path)
    assert split(job, 2) == []
    forced = replace(job, options=ConvertOptions(force_ocr=True))
    assert [part.pages for part in split(forced, 2)] == [range(1, 3), range(3, 5)]
