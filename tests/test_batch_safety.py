"""The batch never loses, hides or blocks on a document (issue 20, items 1-10 and 12).

Each test builds the hostile condition the review found in ``tmp_path`` and fails on the code
before the fix. Conditions that would hang the old code run under a join timeout, so that a
regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import hostile_fixtures as fixtures
from bulletin_ocr.batch import BatchResult, convert_batch
from bulletin_ocr.errors import UsageError
from bulletin_ocr.pipeline import ConvertOptions

TEXT = "区委组织部开展专项检查\n2023年4月12日\n各单位认真落实，确保工作取得实效。\n"
OPTIONS = ConvertOptions(page_timeout=20)


def bulletins(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(TEXT + name + "\n", encoding="utf-8")
    return folder


def report(outdir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (outdir / "report.jsonl").read_bytes().splitlines()]


def within(seconds: float, call: Callable[[], BatchResult]) -> BatchResult:
    """``call``'s result, failing the test (not hanging it) if it takes over ``seconds``."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the test below
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    result: BatchResult = outcome[0]
    return result


def png(path: Path, colour: int = 200) -> bytes:
    Image.new("L", (40, 30), colour).save(path)
    return path.read_bytes()


# --- 1. page images and PAGE's later pages never replace an input ---------------------------


def test_page_images_and_later_page_files_never_replace_a_users_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(fixtures.one_page_pdf())
    image = png(folder / "x.page-1.png")
    with pytest.raises(UsageError) as refused:
        convert_batch([folder], folder, formats=("txt",), page_images=True, options=OPTIONS)
    assert "x.page-1.png" in str(refused.value)
    assert (folder / "x.page-1.png").read_bytes() == image
    assert not (folder / "x.txt").exists() and not (folder / "x.page-1.txt").exists()

    (folder / "x.page-1.png").unlink()
    (folder / "x.page-2.xml").write_text("<mine/>", encoding="utf-8")
    with pytest.raises(UsageError, match=r"x\.page-2\.xml"):
        convert_batch([folder], folder, formats=("page",), options=OPTIONS)
    assert (folder / "x.page-2.xml").read_text(encoding="utf-8") == "<mine/>"


# --- 2. DIR -> DIR replaces only what this tool wrote --------------------------------------


def test_a_hand_made_file_in_the_way_of_an_output_stops_the_run_before_anything_converts(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(fixtures.one_page_pdf())
    (folder / "x.json").write_text('{"mine": true}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(folder), "-o", str(folder)],
        capture_output=True, timeout=300,
    )
    assert result.returncode == 2
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and str(folder / "x.json") in errors[0]
    assert "not written by bulletin-ocr" in errors[0]
    assert (folder / "x.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert not (folder / "x.txt").exists() and not (folder / "x.tei.xml").exists()

    (folder / "x.json").unlink()  # the tool's own outputs it replaces on --force
    first = convert_batch([folder], folder, options=OPTIONS, jobs=1)
    again = convert_batch([folder], folder, options=OPTIONS, jobs=1, force=True)
    assert [r.status for r in first.records] == [r.status for r in again.records] == ["ok"]


# --- 3. the tool's state folders are never inputs --------------------------------------------


def test_a_state_folder_inside_the_inputs_is_not_converted(tmp_path: Path) -> None:
    folder = bulletins(tmp_path / "in", "a.txt")
    bulletins(folder / ".bulletin-ocr" / "staging", "x.txt")
    out = tmp_path / "out"
    result = convert_batch([folder], out, options=OPTIONS, jobs=1)
    assert [Path(r.path).name for r in result.records] == ["a.txt"]
    assert not (out / ".bulletin-ocr" / "staging").exists()
    assert (folder / ".bulletin-ocr" / "staging" / "x.txt").is_file()


# --- 4. special files are not inputs, and nothing blocks on them -----------------------------


def test_fifos_and_devices_are_skipped_with_a_reason_and_the_rest_converts(tmp_path: Path) -> None:
    folder = bulletins(tmp_path / "in", "good.txt")
    os.mkfifo(folder / "a.txt")
    os.mkfifo(folder / "x.pdf")
    (folder / "zero.txt").symlink_to("/dev/zero")
    out = tmp_path / "out"
    result = within(120, lambda: convert_batch([folder], out, options=OPTIONS, jobs=1))
    found = {Path(r.path).name: r for r in result.records}
    assert found["good.txt"].status == "ok"
    for name, kind in (("a.txt", "FIFO"), ("x.pdf", "FIFO"), ("zero.txt", "character device")):
        assert found[name].status == "skipped", name
        assert kind in str(found[name].note), name
    assert {Path(r["path"]).name for r in report(out)} == {"good.txt", "a.txt", "x.pdf", "zero.txt"}
    assert result.exit_code == 0


def test_hashing_an_input_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    from bulletin_ocr.batch.worker import file_sha256

    os.mkfifo(tmp_path / "a.txt")
    done: list[str | None] = []
    thread = threading.Thread(target=lambda: done.append(file_sha256(tmp_path / "a.txt")))
    thread.daemon = True
    thread.start()
    thread.join(10)
    assert done == [None]


@pytest.mark.parametrize("where", [".bulletin-ocr/staging", "report.jsonl"])
def test_a_fifo_in_the_state_of_outdir_is_a_usage_error_not_a_hang(tmp_path: Path, where: str) -> None:
    folder = bulletins(tmp_path / "in", "a.txt")
    out = tmp_path / "out"
    (out / ".bulletin-ocr").mkdir(parents=True)
    os.mkfifo(out / where)
    with pytest.raises(UsageError, match="FIFO"):
        within(60, lambda: convert_batch([folder], out, options=OPTIONS, jobs=1))


# --- 5. planning a resume is linear -----------------------------------------------------------


def test_resume_planning_stats_each_file_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts file-system look-ups instead of timing: a scan of every output against every
    input (400 x 400 samefile calls) shows as look-ups growing with the square of the batch."""
    from bulletin_ocr.batch import local

    def pretend(jobs: Any, _workers: int, on_record: Any, _limits: Any = None,
                _on_page: Any = None) -> None:
        for job in jobs:  # the planning is under test, not the conversions
            for output in job.outputs():
                output.parent.mkdir(parents=True, exist_ok=True)
                output.write_text("done", encoding="utf-8")
            from bulletin_ocr.batch.report import Record
            from bulletin_ocr.batch.worker import file_sha256

            digest = file_sha256(job.task.path)
            on_record(job, Record(path=str(job.task.path), sha256=digest, status="ok",
                                  outputs=[str(p.relative_to(job.outdir)) for p in job.outputs()]))

    monkeypatch.setattr(local, "run_local", pretend)
    counts = {}
    real_stat = os.stat
    for size in (100, 400):
        folder = bulletins(tmp_path / f"in{size}", *(f"b{i}.txt" for i in range(size)))
        out = tmp_path / f"out{size}"
        convert_batch([folder], out, options=OPTIONS, jobs=1)
        calls: list[object] = []

        def counting(*args: Any, calls: list[object] = calls, **kwargs: Any) -> Any:
            calls.append(args[0])
            return real_stat(*args, **kwargs)

        monkeypatch.setattr(os, "stat", counting)
        resumed = convert_batch([folder], out, options=OPTIONS, jobs=1)
        monkeypatch.setattr(os, "stat", real_stat)
        assert {r.status for r in resumed.records} == {"skipped"}
        counts[size] = len(calls)
    assert counts[400] < 6 * counts[100], counts  # 4 times the inputs; quadratic would be 16


# --- 6. long names are shortened, stably, and recorded -------------------------------------------


def test_an_input_name_too_long_for_its_outputs_gets_a_shortened_stable_name(tmp_path: Path) -> None:
    long_name = "长" * 82 + ".txt"  # 250 bytes: ".tei.xml" would make 254, a temporary more
    assert len(os.fsencode(long_name)) == 250
    folder = bulletins(tmp_path / "in", long_name, "short.txt")
    out = tmp_path / "out"
    result = convert_batch([folder], out, options=OPTIONS, jobs=1)
    found = {Path(r.path).name: r for r in result.records}
    record = found[long_name]
    assert record.status == "ok" and found["short.txt"].status == "ok"
    assert len(record.outputs) == 3 and "shortened" in str(record.note)
    for name in record.outputs:
        assert len(os.fsencode(name)) <= 255 and (out / name).is_file()
    again = convert_batch([folder], out, options=OPTIONS, jobs=1)
    assert {r.status for r in again.records} == {"skipped"}
    assert report(out)[0]["outputs"] == record.outputs or report(out)[1]["outputs"] == record.outputs


# --- 7. page images keep to the pixel budget ----------------------------------------------------


def test_a_giant_born_digital_page_is_not_rendered_past_the_pixel_budget(tmp_path: Path) -> None:
    from bulletin_ocr.export.coords import page_geometry
    from bulletin_ocr.inputs.pdf_raster import DEFAULT_MAX_PAGE_PIXELS
    from bulletin_ocr.model import Page

    page = Page(number=1, width=14400.0, height=14400.0, unit="pt", source="pdf")
    geometry = page_geometry(page, pixels=True)
    assert geometry is not None
    assert geometry.width * geometry.height <= DEFAULT_MAX_PAGE_PIXELS
    assert geometry.dpi is not None and geometry.dpi < 40
    from bulletin_ocr.export import ExportContext
    from bulletin_ocr.export.page_images import load_page_image

    pdf = tmp_path / "giant.pdf"
    pdf.write_bytes(fixtures.one_page_pdf(media_box=b"[0 0 14400 14400]"))
    image = load_page_image(ExportContext(input_path=pdf, page_images=True), page)
    assert abs(image.width - geometry.width) <= 1 and abs(image.height - geometry.height) <= 1
    assert image.width * image.height <= DEFAULT_MAX_PAGE_PIXELS


# --- 8. the parent does not read PDFs itself when it splits them ---------------------------------


def test_deciding_to_split_a_pdf_happens_in_a_worker_not_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2

    opened: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        opened.append(str(args[0]))
        raise RuntimeError("pdfium entered in the parent")

    monkeypatch.setattr(pypdfium2, "PdfDocument", refuse)
    four = fixtures.pdf_bytes({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 3 0 R 3 0 R 3 0 R] /Count 4 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(fixtures.HELLO), fixtures.HELLO),
        5: fixtures.FONT,
    })
    (tmp_path / "four.pdf").write_bytes(four)
    result = convert_batch([tmp_path / "four.pdf"], tmp_path / "out", options=OPTIONS, jobs=2)
    assert opened == []
    assert [r.status for r in result.records] in (["ok"], ["warning"])


# --- 9. one catalogue whatever the working directory or path spelling ----------------------------


def test_relative_then_absolute_paths_and_another_directory_make_one_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulletins(tmp_path / "in", "a.txt", "b.txt", "c.txt")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    first = convert_batch([Path("in")], out, options=OPTIONS, jobs=1)
    assert {r.status for r in first.records} == {"ok"}
    second = convert_batch([tmp_path / "in"], out, options=OPTIONS, jobs=1)
    assert {r.status for r in second.records} == {"skipped"}
    elsewhere = tmp_path / "in"
    monkeypatch.chdir(elsewhere)
    third = convert_batch([Path("..") / "in"], out, options=OPTIONS, jobs=1)
    assert {r.status for r in third.records} == {"skipped"}  # none "gone"
    rows = (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3


def test_an_earlier_outdir_inside_the_inputs_is_not_converted_as_bulletins(tmp_path: Path) -> None:
    folder = bulletins(tmp_path / "in", "a.txt")
    convert_batch([folder], folder / "old", options=OPTIONS, jobs=1)
    assert (folder / "old" / "a.txt").is_file()
    result = convert_batch([folder], tmp_path / "out", options=OPTIONS, jobs=1)
    assert [Path(r.path).name for r in result.records] == ["a.txt"]
    assert not (tmp_path / "out" / "old").exists()


KILLED_AFTER_RENAMES = """
import os, sys
from bulletin_ocr.batch import report
from bulletin_ocr.batch import convert_batch
report.ReportWriter.append = lambda self, record: os._exit(9)
convert_batch([sys.argv[1]], sys.argv[1], formats=("txt", "json"), jobs=1)
"""


def test_a_run_killed_before_its_report_line_leaves_no_output_taken_for_an_input(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(fixtures.one_page_pdf())
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_RENAMES, str(folder)], timeout=300)
    assert killed.returncode == 9
    assert (folder / "x.txt").is_file()  # installed; the report never heard of it
    result = convert_batch([folder], folder, formats=("txt", "json"), options=OPTIONS, jobs=1)
    assert [(Path(r.path).name, r.status) for r in result.records] == [("x.pdf", "skipped")]
    names = [Path(r["path"]).name for r in report(folder)]
    assert names == ["x.pdf"] and report(folder)[0]["status"] == "ok"


# --- 10. an unreadable folder is on record -------------------------------------------------------


def test_an_unreadable_sub_folder_is_an_error_record_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = bulletins(tmp_path / "in", "a.txt")
    locked = bulletins(folder / "locked", "b.txt")
    locked.chmod(0)
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:  # root reads a chmod 000 folder anyway; a user cannot
        if not isinstance(path, int) and Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = convert_batch([folder], tmp_path / "out", options=OPTIONS, jobs=1)
    finally:
        locked.chmod(0o755)
    found = {r.path: r for r in result.records}
    assert found[str(locked)].status == "error"
    assert "Permission denied" in str(found[str(locked)].error)
    assert found[str(folder / "a.txt")].status == "ok"
    assert result.exit_code == 1


# --- 12. an output set is installed whole or not at all --------------------------------------


def test_a_folder_in_the_way_of_one_output_installs_none_of_the_set(tmp_path: Path) -> None:
    from bulletin_ocr.export.files import write_file_set

    (tmp_path / "x.json").mkdir()
    with pytest.raises(OSError, match=r"x\.json"):
        write_file_set(tmp_path, {"x.txt": b"t", "x.json": b"{}", "x.tei.xml": b"<TEI/>"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


KILLED_BETWEEN_RENAMES = """
import os, sys
from bulletin_ocr.export import files
real, calls = files.os.replace, []
def replace(a, b):
    if "journal" not in str(b):  # the outputs' renames, not the journal's own
        calls.append(b)
    if len(calls) == 2:
        os._exit(9)
    real(a, b)
files.os.replace = replace
from bulletin_ocr.batch.discover import Task
from bulletin_ocr.batch.worker import Job, run_job
from bulletin_ocr.batch.outdir import OutputDir
from bulletin_ocr.pipeline import ConvertOptions
from pathlib import Path
out = Path(sys.argv[2])
with OutputDir(out) as output:
    job = Job(Task(Path(sys.argv[1]), Path("x")), out, ("txt", "json"), ConvertOptions(),
              (".txt", ".json"), output.staging)
    run_job(job)
"""


def test_a_set_cut_between_two_renames_is_completed_by_the_next_run(tmp_path: Path) -> None:
    source = bulletins(tmp_path / "in", "x.txt") / "x.txt"
    out = tmp_path / "out"
    first = convert_batch([source], out, formats=("txt", "json"), options=OPTIONS, jobs=1)
    assert first.records[0].status == "ok"
    source.write_text(TEXT + "改过的第二版。\n", encoding="utf-8")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(source), str(out)], timeout=300
    )
    assert killed.returncode == 9
    assert "第二版" in (out / "x.txt").read_text(encoding="utf-8")
    assert "第二版" not in (out / "x.json").read_text(encoding="utf-8")  # half a set
    again = convert_batch([source], out, formats=("txt", "json"), options=OPTIONS, jobs=1)
    assert "第二版" in (out / "x.json").read_text(encoding="utf-8")
    assert [r.status for r in again.records] == ["skipped"]  # the completed set is on record


def test_a_set_on_record_whose_journal_a_kill_left_is_not_recorded_twice(tmp_path: Path) -> None:
    # The batch appends an input's report line, then deletes its journal: a run killed between
    # the two left a journal whose line is already in the report.
    from bulletin_ocr.batch.journal import journal_path, write_journal
    from bulletin_ocr.batch.outdir import STATE_NAME

    source = bulletins(tmp_path / "in", "x.txt") / "x.txt"
    out = tmp_path / "out"
    convert_batch([source], out, formats=("txt", "json"), options=OPTIONS, jobs=1)
    (line,) = (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    write_journal(journal_path(out / STATE_NAME, source), line, [])
    again = convert_batch([source], out, formats=("txt", "json"), options=OPTIONS, jobs=1)
    assert [r["status"] for r in report(out)] == ["ok"]
    assert [r.status for r in again.records] == ["skipped"]
    assert not list((out / STATE_NAME / "journal").glob("*.json"))


def test_a_16_bit_page_is_brought_to_8_bits_without_float_copies_of_the_whole_page() -> None:
    """The 119-megapixel 16-bit PNG peaked at 2.7 GB: three float64 copies of the page."""
    import tracemalloc

    import numpy as np

    from bulletin_ocr.inputs.image import to_eight_bits

    samples = np.random.default_rng(0).integers(0, 4096, size=(2000, 2000), dtype=np.uint16)
    frame = Image.fromarray(samples)
    tracemalloc.start()
    try:
        eight = to_eight_bits(frame)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert eight.dtype == np.uint8 and int(eight.max()) == 255  # 12 bits scaled, not clipped
    assert peak < 8 * samples.size, f"{peak / samples.size:.1f} bytes a pixel"


def test_a_16_bit_scan_is_exported_as_recognition_read_it_not_white(tmp_path: Path) -> None:
    """Page formats re-open the image: ``convert("RGB")`` clipped its 16-bit samples to white
    and held 3 bytes a pixel of a 119-megapixel page."""
    import numpy as np

    from bulletin_ocr.api import convert
    from bulletin_ocr.export.context import ExportContext
    from bulletin_ocr.export.page_images import load_page_image

    path = fixtures.sixteen_bit_png(tmp_path / "wide.png")  # paper at 50000 of 65535
    document = convert(path)
    image = load_page_image(ExportContext(input_path=path), document.pages[0])
    assert image.mode == "L"
    assert 150 < float(np.asarray(image).mean()) < 250
