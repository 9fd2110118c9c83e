"""Batch conversion: bad inputs, crashes, time limits, resume after a kill, and Dask."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from bulletin_ocr.batch import convert_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RESOURCES = Path(__file__).resolve().parent / "resources"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", *args], capture_output=True, text=True,
        env=environment, timeout=600,
    )


def records(outdir: Path) -> list[dict[str, object]]:
    lines = (outdir / "report.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def by_name(outdir: Path) -> dict[str, dict[str, object]]:
    return {Path(str(r["path"])).name: r for r in records(outdir)}


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    good = SAMPLES / "pdf" / "yunxi-2022-15.pdf"
    shutil.copy(good, folder / "good.pdf")
    shutil.copy(SAMPLES / "raw" / "lanshan-2024-03.txt", folder / "good.txt")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(good.read_bytes()[:3000])
    (folder / "corrupted.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    (folder / "html.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    (folder / "zero-pages.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    shutil.copy(RESOURCES / "encrypted.pdf", folder / "encrypted.pdf")
    from PIL import Image

    Image.new("1", (16000, 16000)).save(folder / "bomb.png")
    (folder / "dangling.pdf").symlink_to(folder / "gone.pdf")
    unreadable = folder / "unreadable.txt"
    unreadable.write_text("区委组织部开展专项检查。", encoding="utf-8")
    unreadable.chmod(0)
    return folder


def test_every_bad_input_kind_is_an_error_record_and_the_rest_converts(
    bad_inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli("convert", str(bad_inputs), "-o", str(out))
    assert result.returncode == 1, result.stderr
    found = by_name(out)
    assert found["good.pdf"]["status"] == "ok" and found["good.txt"]["status"] == "ok"
    problems = {name: str(r["error"]) for name, r in found.items() if r["status"] == "error"}
    assert problems["empty.pdf"] == "file is empty"
    assert problems["html.pdf"] == "not a PDF (no %PDF header)"
    assert problems["zero-pages.pdf"] == "PDF has no pages"
    assert "wrong or missing password" in problems["encrypted.pdf"]
    assert "over the limit" in problems["bomb.png"]
    assert problems["dangling.pdf"] == "no such file"
    if os.geteuid() != 0:  # root reads anything, so only others can see this one fail
        assert "permission denied" in problems["unreadable.txt"].lower()
    assert "truncated.pdf" in problems and "corrupted.pdf" in problems
    # One line on stderr for each failure, naming the file.
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(problems)
    assert all(Path(line.split(": ")[1]).name in problems for line in errors)
    assert "failed" in result.stderr and "report:" in result.stderr  # the summary table


def test_password_opens_the_encrypted_pdf(tmp_path: Path) -> None:
    result = convert_batch([RESOURCES / "encrypted.pdf"], tmp_path, options=None, jobs=1)
    assert result.records[0].status == "error"
    from bulletin_ocr.pipeline import ConvertOptions

    result = convert_batch(
        [RESOURCES / "encrypted.pdf"], tmp_path / "2", options=ConvertOptions(password="secret")
    )
    assert result.records[0].status == "ok"
    assert "Encrypted test page 2024" in (tmp_path / "2" / "encrypted.txt").read_text()


def test_a_crashing_engine_takes_down_only_its_input(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", inputs / "scan.png")
    shutil.copy(SAMPLES / "raw" / "qingchuan-2023-07.txt", inputs / "text.txt")
    shutil.copy(SAMPLES / "pdf" / "lanshan-2024-03.pdf", inputs / "digital.pdf")
    env = {"PYTHONPATH": os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "out"
    result = run_cli("convert", str(inputs), "-o", str(out), "--jobs", "2",
                     "--ocr-engine", "crash_engine:aborting", env=env)
    assert result.returncode == 1
    found = by_name(out)
    assert found["scan.png"]["status"] == "error"
    assert "crashed" in str(found["scan.png"]["error"]) and "SIGABRT" in str(found["scan.png"]["error"])
    assert found["text.txt"]["status"] == "ok" and found["digital.pdf"]["status"] == "ok"


def test_a_page_over_the_time_limit_fails_its_input_only(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", inputs / "slow.png")
    shutil.copy(SAMPLES / "raw" / "qingchuan-2023-07.txt", inputs / "text.txt")
    env = {"PYTHONPATH": os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    result = run_cli("convert", str(inputs), "-o", str(tmp_path / "out"), "--page-timeout", "2",
                     "--ocr-engine", "crash_engine:hanging", env=env)
    assert time.monotonic() - started < 50
    assert result.returncode == 1
    found = by_name(tmp_path / "out")
    assert "page 1 took longer than 2 s" in str(found["slow.png"]["error"])
    assert found["text.txt"]["status"] == "ok"


def test_rerun_skips_what_is_done_and_redoes_what_changed(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES / "raw", inputs)
    n = len(list(inputs.glob("*.txt")))
    out = tmp_path / "out"
    first = convert_batch([inputs], out, jobs=1)
    assert first.count("ok") == n
    second = convert_batch([inputs], out, jobs=1)
    assert second.count("skipped") == n and second.count("ok") == 0
    changed = inputs / "yunxi-2022-15.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n△ 新增一条简讯。（区农委）\n", encoding="utf-8")
    third = convert_batch([inputs], out, jobs=1)
    assert third.count("ok") == 1 and third.count("skipped") == n - 1
    forced = convert_batch([inputs], out, jobs=1, force=True)
    assert forced.count("ok") == n
    assert len(records(out)) == n + 1 + n


def test_include_exclude_and_list_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = convert_batch([SAMPLES], out, include=["*.txt"], exclude=["yunxi*"], jobs=1)
    assert sorted(Path(r.path).name for r in result.records) == [
        "lanshan-2024-03.txt", "qingchuan-2023-07.txt", "songling-2023-12.txt"
    ]
    assert (out / "raw" / "lanshan-2024-03.json").exists()
    listing = tmp_path / "list.txt"
    listing.write_text(f"# two inputs\n{SAMPLES / 'raw' / 'yunxi-2022-15.txt'}\n\n{SAMPLES / 'pdf' / 'yunxi-2022-15.pdf'}\n")
    listed = convert_batch([], tmp_path / "listed", from_list=listing, jobs=1)
    assert sorted(r.status for r in listed.records) == ["ok", "ok"]
    # Files given one by one mirror their tree from the common root (samples/).
    assert sorted(p.relative_to(tmp_path / "listed").as_posix() for p in (tmp_path / "listed").rglob("*.json")) == [
        "pdf/yunxi-2022-15.json", "raw/yunxi-2022-15.json"
    ]


def test_killed_run_resumes_without_losses_duplicates_or_partial_files(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for index in range(8):
        shutil.copy(SAMPLES / "pdf" / "qingchuan-2023-07.pdf", inputs / f"issue-{index}.pdf")
        shutil.copy(SAMPLES / "raw" / "yunxi-2022-15.txt", inputs / f"raw-{index}.txt")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "bulletin_ocr", "convert", str(inputs), "-o", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    report = out / "report.jsonl"
    while time.monotonic() < deadline:
        if report.exists() and len(report.read_text(encoding="utf-8").splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = {r["path"] for r in records(out) if r["status"] == "ok"}
    assert 3 <= len(done_before) < 16
    result = run_cli("convert", str(inputs), "-o", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    successes = [r["path"] for r in records(out) if r["status"] == "ok"]
    assert sorted(successes) == sorted(str(p) for p in inputs.iterdir())  # each exactly once
    assert not [p for p in out.rglob("*.tmp")]
    for path in out.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in out.glob("*.tei.xml"):
        etree.parse(str(path))


@pytest.mark.slow
def test_dask_local_cluster_converts_the_samples(tmp_path: Path) -> None:
    import distributed

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    try:
        inputs = [SAMPLES / "raw", SAMPLES / "pdf", SAMPLES / "pdf" / "missing.pdf"]
        out = tmp_path / "out"
        result = convert_batch(inputs, out, executor="dask", scheduler=cluster.scheduler_address)
        samples = len([*(SAMPLES / "raw").glob("*.txt"), *(SAMPLES / "pdf").glob("*.pdf")])
        assert result.count("ok") == samples and result.count("error") == 1
        assert len(records(out)) == samples + 1
        assert json.loads((out / "pdf" / "qingchuan-2023-07.json").read_text(encoding="utf-8"))["masthead"]
        again = convert_batch(inputs, out, executor="dask", scheduler=cluster.scheduler_address)
        assert again.count("skipped") == samples and again.count("error") == 1
    finally:
        cluster.close()
