"""`--executor dask` on a real cluster: `dask scheduler` and `dask worker` processes (issue 19).

Each test starts what it needs on 127.0.0.1 (see ``dask_cluster``) and stops it by PID. The
inputs that must take a while are small images read by ``crash_engine:slow``, which pauses,
reads one fixed line and notes each page it reads, so conversions can be counted.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from dask_cluster import Cluster, start_cluster, worker_environment

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SLOW = ("--ocr-engine", "crash_engine:slow")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and two one-thread workers, shared by the tests that leave it as it is."""
    running = start_cluster(tmp_path_factory.mktemp("cluster"))
    yield running
    running.stop()


@pytest.fixture
def own_cluster(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """A cluster of the test's own, for tests that kill, freeze or replace its processes;
    ``@pytest.mark.seconds(N)`` sets how long its workers read a slow page."""
    marker = request.node.get_closest_marker("seconds")
    running = start_cluster(tmp_path / "cluster", seconds=marker.args[0] if marker else 1.0)
    yield running
    running.stop()


def images(folder: Path, count: int) -> Path:
    """``count`` small distinct page images (a bar at a different place on each)."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        page = Image.new("L", (400, 300), 255)
        ImageDraw.Draw(page).rectangle((20 + 10 * number, 40, 60 + 10 * number, 60), fill=0)
        page.save(folder / f"page-{number:02d}.png")
    return folder


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "bulletin_ocr", *args]


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args), capture_output=True, text=True, cwd=cwd, timeout=300,
        env={**worker_environment(), **(env or {})},
    )


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**worker_environment(), **(env or {})}, start_new_session=True,
    )


def records(outdir: Path) -> list[dict[str, object]]:
    report = outdir / "report.jsonl"
    if not report.exists():
        return []
    return [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]


def wait_for_records(outdir: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while len(records(outdir)) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run recorded too little in two minutes"
        time.sleep(0.1)


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` (state folder included) with its size and change time."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            status = path.stat()
            found[str(path.relative_to(folder))] = (status.st_size, status.st_mtime_ns)
    return found


def outputs(outdir: Path) -> set[str]:
    """The conversion outputs in ``outdir`` (not the report, catalogue or state)."""
    names = {p.name for p in outdir.iterdir() if p.is_file()}
    return {n for n in names if not n.startswith(("report.", "catalogue"))}


def test_two_clients_on_one_scheduler_each_get_their_own_outputs(
    cluster: Cluster, tmp_path: Path
) -> None:
    scans = images(tmp_path / "scans", 3)
    raw = SAMPLES / "raw"
    first = start("convert", str(scans), "-o", str(tmp_path / "outA"), *SLOW,
                  "--executor", "dask", "--scheduler", cluster.address)
    time.sleep(2)
    second = run("convert", str(raw), "-o", str(tmp_path / "outB"),
                 "--executor", "dask", "--scheduler", cluster.address)
    _first_out, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    for outdir, folder in ((tmp_path / "outA", scans), (tmp_path / "outB", raw)):
        mine = sorted(str(p) for p in folder.iterdir())
        assert sorted(str(r["path"]) for r in records(outdir)) == mine
        assert {r["status"] for r in records(outdir)} == {"ok"}
        stems = {p.stem for p in folder.iterdir()}
        assert {n.split(".")[0] for n in outputs(outdir)} == stems
        rows = (outdir / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()
        assert sorted(json.loads(row)["source"] for row in rows) == sorted(
            p.name for p in folder.iterdir())


def test_relative_paths_work_as_with_local_workers(cluster: Cluster, tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "raw", tmp_path / "in" / "raw")
    shutil.copy(SAMPLES / "pdf" / "yunxi-2022-15.pdf", tmp_path / "in")
    local = run("convert", "in", "-o", "local", "--jobs", "1", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    # The workers run in folders of their own (dask_cluster), where "in" means nothing.
    dask = run("convert", "in", "-o", "dask", "--executor", "dask", "--scheduler",
               cluster.address, cwd=tmp_path)
    assert dask.returncode == 0, dask.stderr
    inputs = len(list((tmp_path / "in").rglob("*.*")))
    assert [r["status"] for r in records(tmp_path / "dask")] == ["ok"] * inputs
    # Records come in the order inputs finish, which on a cluster is any order.
    assert sorted(r["path"] for r in records(tmp_path / "dask")) == sorted(
        r["path"] for r in records(tmp_path / "local"))
    made = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*.*")
                  if ".bulletin-ocr" not in p.parts and p.name != "report.jsonl")
    assert len(made) >= 4 * 3 + 3
    for name in made:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_runs_with_other_limits_leave_no_idle_worker_processes(
    cluster: Cluster, tmp_path: Path
) -> None:
    for number, timeout in enumerate(("100", "200", "300")):
        done = run("convert", str(SAMPLES / "raw"), "-o", str(tmp_path / f"out{number}"),
                   "--page-timeout", timeout, "--executor", "dask",
                   "--scheduler", cluster.address)
        assert done.returncode == 0, done.stderr
    children = [
        child
        for worker in cluster.workers
        for child in psutil.Process(worker.pid).children(recursive=True)
        if "bulletin_ocr.batch.child" in " ".join(child.cmdline())
    ]
    assert len(children) <= 2  # one per worker thread at most, whatever the runs' limits


def test_the_memory_ceiling_is_the_workers_share_not_the_clients(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    for worker in list(own_cluster.workers):
        own_cluster.kill(worker)
    own_cluster.start_worker(memory_limit="600MB")
    shutil.copy(SAMPLES / "scans" / "yunxi-2022-15-p1-200dpi.png", tmp_path / "greedy.png")
    done = run("convert", str(tmp_path / "greedy.png"), "-o", str(tmp_path / "out"),
               "--ocr-engine", "crash_engine:greedy", "--executor", "dask",
               "--scheduler", own_cluster.address)
    assert done.returncode == 1, done.stderr
    (record,) = records(tmp_path / "out")
    # 600 MB of one one-thread worker, not 80 % of this machine's memory over its cores.
    assert "memory ceiling of 572 MB" in str(record["error"])


@pytest.mark.seconds(4)
def test_nothing_is_written_after_the_client_is_stopped(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    scans = images(tmp_path / "scans", 8)
    out = tmp_path / "out"
    process = start("convert", str(scans), "-o", str(out), *SLOW, "--executor", "dask",
                    "--scheduler", own_cluster.address)
    wait_for_records(out, 1, process)  # two more are on the workers now
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130
    before = tree(out)
    time.sleep(15)  # longer than the inputs in flight took to finish
    assert tree(out) == before
    again = run("convert", str(scans), "-o", str(out), *SLOW, "--executor", "dask",
                "--scheduler", own_cluster.address)
    assert again.returncode == 0, again.stderr
    last = {str(r["path"]): r["status"] for r in records(out)}
    assert sorted(last) == sorted(str(p) for p in scans.iterdir())
    assert set(last.values()) <= {"ok"}
    assert len([r for r in records(out) if r["status"] == "ok"]) == 8  # each exactly once


def test_a_worker_lost_late_redoes_no_recorded_input(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    scans = images(tmp_path / "scans", 12)
    out = tmp_path / "out"
    process = start("convert", str(scans), "-o", str(out), *SLOW, "--executor", "dask",
                    "--scheduler", own_cluster.address)
    wait_for_records(out, 8, process)
    own_cluster.kill(own_cluster.workers[1])
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert [r["status"] for r in records(out)] == ["ok"] * 12
    conversions = collections.Counter(own_cluster.conversions.read_text("ascii").split())
    assert len(conversions) == 12
    # Only the input the killed worker was reading may be read twice.
    assert sum(conversions.values()) - 12 <= 1, conversions


@pytest.mark.seconds(3)
def test_a_frozen_scheduler_ends_the_run_with_one_line(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    scans = images(tmp_path / "scans", 8)
    out = tmp_path / "out"
    process = start("convert", str(scans), "-o", str(out), *SLOW, "--executor", "dask",
                    "--scheduler", own_cluster.address, "--cluster-timeout", "5")
    wait_for_records(out, 1, process)
    assert own_cluster.scheduler is not None
    own_cluster.kill(own_cluster.scheduler, signal.SIGSTOP)
    frozen = time.monotonic()
    _out, err = process.communicate(timeout=120)
    waited = time.monotonic() - frozen
    assert process.returncode == 4, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "has not answered for 5 s" in lines[0] and "run the same command again" in lines[0]
    # Five quiet seconds before asking, five for the answer, then a bounded goodbye.
    assert waited < 5 + 5 + 15, waited


def test_a_worker_that_sees_another_outdir_or_no_input_records_errors(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    for worker in list(own_cluster.workers):
        own_cluster.kill(worker)
    inputs, results = tmp_path / "inputs", tmp_path / "results"
    shutil.copytree(SAMPLES / "raw", inputs)
    results.mkdir()
    # A worker whose file system has other folders at the same paths (no shared storage).
    hidden = f"mount -t tmpfs none {results} && mkdir -p {results}/out && exec"
    own_cluster.start_worker(wrapper=["unshare", "-m", "--propagation", "private", "sh", "-c",
                                      hidden])
    done = run("convert", str(inputs), "-o", str(results / "out"), "--executor", "dask",
               "--scheduler", own_cluster.address)
    assert done.returncode == 1, done.stderr
    assert [r["status"] for r in records(results / "out")] == ["error"] * len(
        list(inputs.glob("*.txt"))
    )
    for record in records(results / "out"):
        assert "cannot see the output directory" in str(record["error"])
        assert "worker tcp://127.0.0.1:" in str(record["error"])
    assert not outputs(results / "out")

    own_cluster.kill(own_cluster.workers[-1])
    own_cluster.start_worker(wrapper=["unshare", "-m", "--propagation", "private", "sh", "-c",
                                      f"mount -t tmpfs none {inputs} && exec"])
    done = run("convert", str(inputs), "-o", str(results / "out2"), "--executor", "dask",
               "--scheduler", own_cluster.address)
    assert done.returncode == 1, done.stderr
    for record in records(results / "out2"):
        assert "cannot see the input" in str(record["error"]), record
        assert "worker tcp://127.0.0.1:" in str(record["error"])


def test_the_local_cluster_admits_no_client_without_the_runs_certificate(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client, Scheduler, Security

    from bulletin_ocr.batch import Record, convert_batch
    from bulletin_ocr.ocr import OcrOptions
    from bulletin_ocr.pipeline import ConvertOptions

    monkeypatch.setenv("PYTHONPATH", worker_environment()["PYTHONPATH"])
    monkeypatch.setenv("BULLETIN_OCR_TEST_SECONDS", "1")
    admitted: list[object] = []
    tried: list[str] = []

    def knock(_record: Record) -> None:
        """Connect as another account would: plain TCP, or TLS with a certificate of its own."""
        if tried:
            return
        (scheduler,) = [s for s in Scheduler._instances if s.status.name == "running"]
        addresses = [scheduler.address, *scheduler.workers]
        for address in addresses:
            port = address.rsplit(":", 1)[1]
            for stranger in (f"tcp://127.0.0.1:{port}", f"tls://127.0.0.1:{port}"):
                tried.append(stranger)
                security = Security.temporary() if stranger.startswith("tls") else Security()
                try:
                    with Client(stranger, security=security, timeout=3) as client:
                        admitted.append(client.submit(os.getpid).result(timeout=5))
                except Exception:
                    continue

    options = ConvertOptions(ocr=OcrOptions(engine="crash_engine:slow"))
    result = convert_batch([images(tmp_path / "scans", 3)], tmp_path / "out", options=options,
                           executor="dask", on_record=knock)
    assert len(tried) == 2 * 3  # the scheduler and its two local workers, two ways each
    assert admitted == []
    assert result.count("ok") == 3
    # The refused connections are the run's business, not lines on the user's terminal.
    err = capfd.readouterr().err
    assert "tornado" not in err and "Traceback" not in err and "ERROR" not in err, err
