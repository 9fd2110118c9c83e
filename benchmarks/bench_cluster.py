"""The cost of a Dask cluster: the same inputs with ``--jobs 2`` and on a real 2-worker cluster.

Starts ``dask scheduler`` and two ``dask worker --nworkers 1 --nthreads 1`` processes on
127.0.0.1 (random ports, read from the scheduler file), then converts the same folder with
``--jobs 2`` (local worker processes) and with ``--executor dask --scheduler ADDR``,
alternating, ``--repeat N`` times. Prints wall seconds (medians) and the cluster's overhead per
input. The cluster is started once, before timing, as a team would keep theirs running.

    PYTHONPATH=src python benchmarks/bench_cluster.py --repeat 3
    PYTHONPATH=src python benchmarks/bench_cluster.py --raw 40 --pdf 20 --scans 4

On a 2-core machine the cluster has the same two cores as ``--jobs 2`` plus a scheduler, two
nannies and the client's polling to feed: it is expected to be slower.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import SAMPLES, Run, measure


def inputs(folder: Path, raw: int, pdf: int, scans: int) -> Path:
    """Copies of the samples: raw extractions, text-layer PDFs and 300-dpi page scans."""
    folder.mkdir(parents=True)
    kinds = [
        (sorted((SAMPLES / "raw").glob("*.txt")), raw),
        (sorted((SAMPLES / "pdf").glob("*.pdf")), pdf),
        (sorted((SAMPLES / "scans").glob("*-300dpi.jpg")), scans),
    ]
    for sources, copies in kinds:
        for index in range(copies):
            source = sources[index % len(sources)]
            shutil.copy(source, folder / f"{source.stem}-{index:03d}{source.suffix}")
    return folder


def start_cluster(folder: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and two one-thread workers on 127.0.0.1; its address and processes."""
    scheduler_file = folder / "scheduler.json"
    common = ["--scheduler-file", str(scheduler_file)]
    processes = [_spawn(folder, "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                        "--port", "0", "--dashboard-address", "127.0.0.1:0", *common)]
    _wait(scheduler_file.is_file)
    for number in range(2):
        processes.append(_spawn(
            folder, "distributed.cli.dask_worker", "--nworkers", "1", "--nthreads", "1",
            "--host", "127.0.0.1", "--no-dashboard", "--name", f"bench-{number}", *common,
        ))
    address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
    return address, processes


def _spawn(folder: Path, module: str, *arguments: str) -> subprocess.Popen[bytes]:
    log = (folder / f"{module.rsplit('.', 1)[-1]}-{time.monotonic_ns()}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", module, *arguments], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True, cwd=folder)


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError("the scheduler did not start in 60 s")


def convert(folder: Path, out: Path, *options: str) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    run = measure([sys.executable, "-m", "bulletin_ocr", "convert", str(folder), "-o", str(out),
                   "--quiet", *options])
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    run.pages = sum(r["pages"] for r in records)
    run.errors = sum(r["status"] == "error" for r in records)
    return run


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=int, default=30, help="raw .txt inputs")
    parser.add_argument("--pdf", type=int, default=15, help="text-layer PDF inputs")
    parser.add_argument("--scans", type=int, default=3, help="300-dpi page scans")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    folder = inputs(work / "in", args.raw, args.pdf, args.scans)
    count = args.raw + args.pdf + args.scans
    cluster = work / "cluster"
    cluster.mkdir()
    address, processes = start_cluster(cluster)
    ways = {"--jobs 2": ("--jobs", "2"),
            "dask, 2 workers": ("--executor", "dask", "--scheduler", address)}
    runs: dict[str, list[Run]] = {name: [] for name in ways}
    try:
        for turn in range(args.repeat):
            order = list(ways) if turn % 2 == 0 else list(reversed(ways))
            for name in order:
                run = convert(folder, work / "out", *ways[name])
                runs[name].append(run)
                print(f"  {name}: {run.seconds:.1f} s, {run.pages} pages, {run.errors} errors, "
                      f"others {run.others:.0%}", flush=True)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"== {count} inputs ({args.raw} raw, {args.pdf} PDF, {args.scans} scans), "
          f"medians of {args.repeat}")
    print(f"{'executor':<16} {'pages':>6} {'wall s':>8} {'s/input':>8} {'vs --jobs 2':>12}")
    base = statistics.median(r.seconds for r in runs["--jobs 2"])
    for name, done in runs.items():
        wall = statistics.median(r.seconds for r in done)
        print(f"{name:<16} {done[0].pages:>6} {wall:>8.1f} {wall / count:>8.3f} "
              f"{wall / base:>11.2f}x")
    cluster_wall = statistics.median(r.seconds for r in runs["dask, 2 workers"])
    print(f"cluster overhead per input: {(cluster_wall - base) / count * 1000:.0f} ms")


if __name__ == "__main__":
    main()
