"""The hostile corpus as one batch: every input gets one record, within its deadline, and the
good inputs beside them convert; with local workers and on Dask (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import hostile_fixtures as fixtures
from bulletin_ocr.batch import convert_batch
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.pipeline import ConvertOptions

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "samples" / "raw" / "qingchuan-2023-07.txt"
PDF = ROOT / "samples" / "pdf" / "lanshan-2024-03.pdf"
RESOURCES = Path(__file__).resolve().parent / "resources"


def hostile_folder(folder: Path) -> Path:
    folder.mkdir()
    fixtures.write(folder / "mediabox-cycle.pdf", fixtures.mediabox_cycle_pdf())
    fixtures.write(folder / "xref-prev-loop.pdf", fixtures.xref_prev_loop_pdf())
    fixtures.write(folder / "truncated.pdf", fixtures.truncated_pdf())
    fixtures.write(folder / "cut-at-3000.pdf", PDF.read_bytes()[:3000])
    fixtures.write(folder / "sliver.pdf", fixtures.sliver_page_pdf())
    fixtures.write(folder / "lying-bom.txt", b"\xef\xbb\xbf" + "区委组织部开展专项检查。".encode("gbk"))
    fixtures.write(folder / "spaced.txt", ("中 " * 20_000).encode("utf-8"))
    fixtures.write(folder / "utf16-no-bom.txt", "区委组织部开展专项检查工作。\n".encode("utf-16-le"))
    shutil.copy(RAW, folder / "good.txt")
    shutil.copy(PDF, folder / "good.pdf")
    return folder


def test_a_hostile_batch_ends_with_one_record_each_and_the_good_inputs_converted(
    tmp_path: Path,
) -> None:
    folder = hostile_folder(tmp_path / "in")
    options = ConvertOptions(page_timeout=60)
    result = convert_batch([folder], tmp_path / "out", options=options, jobs=2)
    by_name = {Path(r.path).name: r for r in result.records}
    assert set(by_name) == {p.name for p in folder.iterdir()}
    assert by_name["good.txt"].status == "ok" and by_name["good.pdf"].status == "ok"
    assert by_name["cut-at-3000.pdf"].status == "error"
    for name, record in by_name.items():
        assert not (record.error or "").startswith("internal error"), (name, record.error)
        for output in record.outputs:
            if output.endswith(".json"):
                json.loads((tmp_path / "out" / output).read_text(encoding="utf-8"))
        assert record.outputs or record.status == "error"


@pytest.mark.slow
def test_dask_workers_give_up_a_stuck_stage_and_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    paths = [str(RESOURCES), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))  # the workers import the engine
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "samples" / "scans" / "yunxi-2022-15-p1-200dpi.png", folder / "stuck.png")
    shutil.copy(RAW, folder / "text.txt")
    options = ConvertOptions(ocr=OcrOptions(engine="crash_engine:stuck"), page_timeout=2)
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    try:
        result = convert_batch([folder], tmp_path / "out", options=options, executor="dask",
                               scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    by_name = {Path(r.path).name: r for r in result.records}
    assert by_name["text.txt"].status == "ok"
    assert "in stage recognition (page 1)" in str(by_name["stuck.png"].error)
