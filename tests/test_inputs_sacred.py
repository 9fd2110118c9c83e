"""Inputs are never written, OUTDIR holds only what we write, names are data (issue 10).

Each test is a defect a hostile review of the batch found; all run the real CLI in a
subprocess, as a user would, unless the condition cannot be made real without root.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bulletin_ocr.batch import convert_batch
from bulletin_ocr.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RAW = SAMPLES / "raw" / "qingchuan-2023-07.txt"
PDF = SAMPLES / "pdf" / "lanshan-2024-03.pdf"
RESOURCES = Path(__file__).resolve().parent / "resources"


def cli(*args: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", *args], capture_output=True,
        env={**os.environ, **(env or {})}, timeout=600,
    )


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()
    }


def report(outdir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (outdir / "report.jsonl").read_bytes().splitlines()]


def test_convert_dir_into_itself_refuses_and_leaves_every_input_identical(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copy(PDF, folder / "x.pdf")
    shutil.copy(RAW, folder / "x.txt")
    shutil.copy(RAW, folder / "y.txt")
    before = checksums(folder)
    result = cli("convert", str(folder), "-o", str(folder))
    assert result.returncode == 2
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ")
    assert str(folder / "y.txt") in errors[0] and "would overwrite the input" in errors[0]
    after = checksums(folder)
    assert {k: after[k] for k in before} == before
    assert set(after) == set(before) | {".bulletin-ocr/lock"}  # nothing converted


def test_same_stem_pdf_and_text_beside_each_other_both_survive(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    shutil.copy(PDF, folder / "x.pdf")
    shutil.copy(RAW, folder / "x.txt")
    before = checksums(folder)
    result = cli("convert", str(folder), "-o", str(folder), "--to", "txt,json")
    assert result.returncode == 0, result.stderr
    after = checksums(folder)
    assert {k: after[k] for k in before} == before
    pdf_text = (folder / "x.pdf.txt").read_text(encoding="utf-8")
    raw_text = (folder / "x.txt.txt").read_text(encoding="utf-8")
    assert "蓝山" in pdf_text and "青川" in raw_text
    # The second run does not take its own outputs for inputs.
    again = cli("convert", str(folder), "-o", str(folder), "--to", "txt,json", "-v")
    assert again.returncode == 0, again.stderr
    assert not list(folder.glob("*.txt.txt.*")) and not (folder / "x.pdf.txt.txt").exists()
    assert [r["status"] for r in report(folder)] == ["ok", "ok"]
    assert again.stderr.decode().count("skipped:") == 2


def test_same_names_in_different_folders_never_share_an_output(tmp_path: Path) -> None:
    for name in ("d1", "d2", "d3"):
        (tmp_path / name).mkdir()
        text = RAW.read_text(encoding="utf-8").replace("青川", f"青川{name}")
        (tmp_path / name / "r.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("convert", *(str(tmp_path / n / "r.txt") for n in ("d1", "d2", "d3")), "-o", str(out))
    assert result.returncode == 0, result.stderr
    for name in ("d1", "d2", "d3"):
        assert f"青川{name}" in (out / name / "r.txt").read_text(encoding="utf-8")
    assert [r["status"] for r in report(out)] == ["ok"] * 3


def test_names_that_could_collide_after_adding_suffixes_stay_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW, folder / "a.txt.txt")
    shutil.copy(PDF, folder / "a.pdf")
    (folder / "a.txt").write_text(
        RAW.read_text(encoding="utf-8").replace("青川", "甲乙"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = cli("convert", str(folder / "a.txt.txt"), str(folder / "a.pdf"), str(folder / "a.txt"),
                 "-o", str(out), "--to", "json")
    assert result.returncode == 0, result.stderr
    records = report(out)
    outputs = [o for r in records for o in r["outputs"]]  # type: ignore[union-attr]
    assert len(outputs) == len(set(outputs)) == 3
    texts = [json.loads((out / o).read_text(encoding="utf-8"))["items"][0]["paragraphs"][0] for o in outputs]
    assert sum("甲乙" in t for t in texts) == 1


def test_outdir_inside_the_input_tree_is_not_converted_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW, folder / "r.txt")
    for _ in range(3):
        result = cli("convert", str(folder), "-o", str(folder / "out"), "--force")
        assert result.returncode == 0, result.stderr
    assert not (folder / "out" / "out").exists()
    assert sorted(p.name for p in (folder / "out").iterdir() if p.name.startswith("r")) == [
        "r.json", "r.tei.xml", "r.txt", "report.jsonl"
    ]


def test_link_loops_and_second_names_are_recorded_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    shutil.copy(RAW, folder / "real.txt")
    (folder / "alias.txt").symlink_to("real.txt")
    os.link(folder / "real.txt", folder / "hard.txt")
    (folder / "loop").symlink_to(".")  # a directory link cycle
    out = tmp_path / "out"
    result = cli("convert", str(folder), "-o", str(out))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    found = {Path(str(r["path"])).name: r for r in report(out)}
    assert set(found) == {"a.txt", "b.txt", "real.txt", "alias.txt", "hard.txt", "loop"}
    assert found["loop"]["status"] == "skipped"
    assert found["loop"]["note"] == "a link to a folder; not followed (give the folder itself as an INPUT)"
    assert found["a.txt"]["status"] == found["b.txt"]["status"] == "error"
    assert "link loop" in str(found["a.txt"]["error"])
    converted = [n for n, r in found.items() if r["status"] == "ok"]
    skipped = [n for n, r in found.items() if r["status"] == "skipped" and n != "loop"]
    assert len(converted) == 1 and len(skipped) == 2
    assert all("same file as" in str(found[n]["note"]) for n in skipped)


def test_a_name_that_is_not_utf8_converts_and_is_recorded_exactly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    gbk_name = "青川简报".encode("gbk") + b".txt"
    shutil.copy(RAW, os.path.join(os.fsencode(folder), gbk_name))
    shutil.copy(RAW, folder / "plain.txt")
    (folder / "evil\nerror: spoofed.txt").write_bytes(b"")
    out = tmp_path / "out"
    for _attempt in range(2):
        result = cli("convert", str(folder), "-o", str(out))
        assert result.returncode == 1, result.stderr
        lines = result.stderr.decode("utf-8").splitlines()
        assert not any(line.startswith("error: spoofed") for line in lines)
        assert sum(line.startswith("error:") for line in lines) == 1
        assert "evil\\nerror: spoofed.txt: file is empty" in result.stderr.decode("utf-8")
    records = report(out)
    gbk = [r for r in records if "path_bytes" in r]
    assert [r["status"] for r in gbk] == ["ok"]  # the rerun found it done, by its exact name
    assert bytes.fromhex(str(gbk[0]["path_bytes"])) == os.fsencode(folder) + b"/" + gbk_name
    assert (os.fsencode(out) + b"/" + gbk_name[:-4] + b".json") in [
        os.fsencode(p) for p in out.iterdir()
    ]


def test_a_second_run_into_the_same_outdir_refuses_and_user_files_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / ".notes.0123abcd.tmp"  # looks like a temporary, but it is the user's
    mine.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", folder / "slow.png")
    env = {"PYTHONPATH": os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")])}
    first = subprocess.Popen(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(folder), "-o", str(out),
         "--ocr-engine", "crash_engine:hanging", "--page-timeout", "3"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + 30
        while not (out / ".bulletin-ocr" / "lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        second = cli("convert", str(RAW), "-o", str(out))
        assert second.returncode == 2
        assert "another bulletin-ocr run" in second.stderr.decode()
    finally:
        first.wait(timeout=120)
    assert mine.read_text(encoding="utf-8") == "keep me"
    third = cli("convert", str(RAW), "-o", str(out))
    assert third.returncode == 0, third.stderr
    assert mine.read_text(encoding="utf-8") == "keep me"


def test_links_planted_in_outdir_are_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.jsonl").symlink_to(victim)
    result = cli("convert", str(RAW), "-o", str(out))
    assert result.returncode == 2
    assert b"symbolic link" in result.stderr and b"Traceback" not in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"
    (out / "report.jsonl").unlink()
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(RAW, folder / "sub" / "r.txt")
    shutil.copy(RAW, folder / "top.txt")
    (out / "sub").symlink_to(elsewhere)
    result = cli("convert", str(folder), "-o", str(out))
    assert result.returncode == 1
    assert list(elsewhere.iterdir()) == []
    found = {Path(str(r["path"])).name: r for r in report(out)}
    assert found["top.txt"]["status"] == "ok"
    assert "symbolic link inside the output directory" in str(found["r.txt"]["error"])


def test_read_only_outdir_is_one_error_line(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() == 0:  # root writes through permissions: make the file system read-only
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(out)], check=True)
    else:
        out.chmod(0o555)
    try:
        result = cli("convert", str(RAW), "-o", str(out))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(out)], check=True)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out}: cannot use as output directory")


def test_a_full_disk_leaves_no_partial_output_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_ocr.batch.discover import Task
    from bulletin_ocr.batch.worker import Job, run_job
    from bulletin_ocr.export import files
    from bulletin_ocr.pipeline import ConvertOptions

    real_fsync = os.fsync
    calls = []

    def fsync_until_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:  # the third file of the set does not fit
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync_until_full)
    job = Job(Task(RAW, Path("r")), tmp_path, ("txt", "tei", "json"), ConvertOptions(),
              (".txt", ".tei.xml", ".json"))
    record = run_job(job)
    assert record.status == "error"
    assert record.error == "cannot write outputs (No space left on device)"
    assert list(tmp_path.iterdir()) == []  # not two files of three, and no temporaries


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


# Runs ``python ARGS`` with the named signals at their default action or ignored, whatever
# this process has. A shell without job control (a script, ``make test &``) starts its ``&``
# jobs with SIGINT ignored (POSIX), Python keeps an ignored SIGINT, and so does every process
# it starts: a suite started that way sent Ctrl-C to a parent that was told to ignore it, and
# the parent went on until its pages ended. A terminal's foreground job has SIGINT at its
# default; ``nohup`` ignores SIGHUP.
_WITH_SIGNALS = (
    "import os, signal, sys\n"
    "for how in sys.argv[1].split(','):\n"
    "    name, _, action = how.partition('=')\n"
    "    signal.signal(signal.Signals[name], signal.SIG_IGN if action == 'ignore' else signal.SIG_DFL)\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])\n"
)


def _start_hanging_batch(tmp_path: Path, signals: str) -> tuple[subprocess.Popen[bytes], list[psutil.Process]]:
    """A two-input batch whose two workers hang for a minute, started with ``signals`` (e.g.
    ``SIGINT=default``) as above; returned once both workers run."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(2):
        shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", folder / f"s{index}.png")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")]),
           "PYTHONFAULTHANDLER": "1"}
    parent = subprocess.Popen(
        [sys.executable, "-c", _WITH_SIGNALS, signals,
         "-m", "bulletin_ocr", "convert", str(folder), "-o", str(tmp_path / "out"),
         "--jobs", "2", "--ocr-engine", "crash_engine:hanging"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(_children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(parent.pid)
    assert len(workers) >= 2
    time.sleep(1.0)
    return parent, workers


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_workers_end_with_their_parent(tmp_path: Path, how: signal.Signals) -> None:
    # Started as a terminal starts a foreground job, however this suite was started.
    parent, workers = _start_hanging_batch(tmp_path, "SIGINT=default")
    if how == signal.SIGINT:
        os.killpg(parent.pid, how)  # Ctrl-C reaches the whole foreground group
    else:
        parent.send_signal(how)
    try:
        _out, err = parent.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        parent.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack
        _out, err = parent.communicate(timeout=30)
        pytest.fail(f"the parent did not end on {how.name}:\n{err.decode(errors='replace')[-6000:]}")
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"orphaned workers: {alive}"
    if how != signal.SIGKILL:
        assert parent.returncode == 130
        lines = err.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("interrupted:"), err.decode()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGHUP])
def test_a_signal_the_run_was_started_ignoring_stays_ignored(
    tmp_path: Path, how: signal.Signals
) -> None:
    # nohup's SIGHUP must not stop the run when the terminal closes; SIGTERM still does.
    parent, workers = _start_hanging_batch(tmp_path, f"SIGINT=default,{how.name}=ignore")
    parent.send_signal(how)
    time.sleep(2.0)
    still_running = parent.poll() is None
    parent.send_signal(signal.SIGTERM)
    _out, err = parent.communicate(timeout=60)
    assert still_running, err.decode()
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"orphaned workers: {alive}"
    assert parent.returncode == 130
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted:"), err.decode()


def test_api_refuses_before_converting_anything(tmp_path: Path) -> None:
    shutil.copy(RAW, tmp_path / "r.txt")
    with pytest.raises(UsageError, match="would overwrite the input"):
        convert_batch([tmp_path], tmp_path, formats=("txt",))
    assert not (tmp_path / "report.jsonl").exists()


def _engine_env() -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(RESOURCES), os.environ.get("PYTHONPATH", "")])}


def test_a_hang_no_alarm_can_break_is_given_up_naming_its_stage(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", folder / "stuck.png")
    shutil.copy(RAW, folder / "text.txt")
    started = time.monotonic()
    # The page's own alarm must not fire before the engine blocks it: preprocessing the page
    # took over 2 s on a machine loaded 7-8 deep, so the deadline leaves room for it.
    result = cli("convert", str(folder), "-o", str(tmp_path / "out"), "--page-timeout", "6",
                 "--ocr-engine", "crash_engine:stuck", "--jobs", "1", env=_engine_env())
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    found = {Path(str(r["path"])).name: r for r in report(tmp_path / "out")}
    assert "in stage recognition (page 1)" in str(found["stuck.png"]["error"])
    assert found["text.txt"]["status"] == "ok"


def test_an_input_over_the_memory_ceiling_is_an_error_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", folder / "greedy.png")
    shutil.copy(RAW, folder / "text.txt")
    result = cli("convert", str(folder), "-o", str(tmp_path / "out"), "--max-memory", "1500",
                 "--ocr-engine", "crash_engine:greedy", "--jobs", "1", env=_engine_env())
    assert result.returncode == 1
    found = {Path(str(r["path"])).name: r for r in report(tmp_path / "out")}
    assert "memory ceiling of 1500 MB in stage recognition (page 1)" in str(found["greedy.png"]["error"])
    assert found["text.txt"]["status"] == "ok"


def test_outputs_of_a_failing_or_vanished_input_are_reported_stale(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW, folder / "later-broken.txt")
    shutil.copy(RAW, folder / "later-gone.txt")
    out = tmp_path / "out"
    assert cli("convert", str(folder), "-o", str(out)).returncode == 0
    (folder / "later-broken.txt").write_bytes(b"")
    (folder / "later-gone.txt").unlink()
    result = cli("convert", str(folder), "-o", str(out))
    assert result.returncode == 1
    last = {Path(str(r["path"])).name: r for r in report(out)}
    assert last["later-broken.txt"]["status"] == "error"
    assert sorted(last["later-broken.txt"]["stale_outputs"]) == [  # type: ignore[arg-type]
        "later-broken.json", "later-broken.tei.xml", "later-broken.txt"
    ]
    assert last["later-gone.txt"]["status"] == "gone"
    assert "later-gone.txt: the input no longer exists" in result.stderr.decode()
    again = cli("convert", str(folder), "-o", str(out))
    assert [r["status"] for r in report(out)].count("gone") == 1  # recorded once
    assert again.returncode == 1
