"""A real Dask cluster for tests: `dask scheduler` and `dask worker` processes on 127.0.0.1.

Not a LocalCluster: two clients of one real scheduler, a worker killed by its PID, a frozen
scheduler and a worker in another mount namespace are what users meet, and what a LocalCluster
in the test's own process hides. Ports are chosen by the processes (port 0) and read from the
scheduler file; every process is stopped by its PID (its whole process group) at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

RESOURCES = Path(__file__).parent / "resources"
START_SECONDS = 60


@dataclass
class Cluster:
    folder: Path
    seconds: float = 1.0
    """How long ``crash_engine:slow`` reads a page on this cluster's workers."""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    @property
    def conversions(self) -> Path:
        """Where ``crash_engine:slow`` notes each page it reads on this cluster's workers."""
        return self.folder / "conversions"

    @property
    def address(self) -> str:
        return str(json.loads(self.scheduler_file.read_text(encoding="utf-8"))["address"])

    def start_scheduler(self) -> None:
        self.scheduler = self._spawn(
            "scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
            "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(self.scheduler_file),
        )
        _wait_for(self.scheduler_file.is_file, "the scheduler file")

    def start_worker(
        self, *options: str, wrapper: Sequence[str] = (), memory_limit: str = "2GB"
    ) -> subprocess.Popen[bytes]:
        """A `dask worker` (with its nanny), one process of one thread unless ``options`` say
        otherwise; ``wrapper`` runs it inside another command (``unshare ... sh -c``)."""
        number = len(self.workers)
        local = self.folder / f"worker-{number}"
        local.mkdir(exist_ok=True)
        arguments = [
            "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
            "--no-dashboard", "--memory-limit", memory_limit, "--local-directory", str(local),
            "--scheduler-file", str(self.scheduler_file), "--name", f"test-worker-{number}",
            *options,
        ]
        worker = self._spawn(
            f"worker-{number}", "distributed.cli.dask_worker", *arguments, wrapper=wrapper,
            cwd=local,
        )
        self.workers.append(worker)
        # By name: workers killed just before may not have left the scheduler's list yet.
        _wait_for(lambda: f"test-worker-{number}" in self.worker_names(), "the worker to join")
        return worker

    def worker_names(self) -> set[str]:
        from distributed import Client

        with Client(self.address, timeout=START_SECONDS) as client:
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
            return {str(worker["name"]) for worker in workers}

    def kill(self, process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal ``process``'s whole group (a worker and its nanny, or the scheduler)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        if sig == signal.SIGKILL:
            process.wait(timeout=30)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGCONT)  # a frozen one cannot die otherwise
                self.kill(process)

    def _spawn(
        self, name: str, module: str, *arguments: str, wrapper: Sequence[str] = (),
        cwd: Path | None = None,
    ) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", module, *arguments]
        if wrapper:  # its last word is a shell command line that the worker's command ends
            command = [*wrapper[:-1], f"{wrapper[-1]} {' '.join(map(shlex.quote, command))}"]
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            cwd=cwd or self.folder, env={
                **worker_environment(), "BULLETIN_OCR_TEST_SECONDS": str(self.seconds),
                "BULLETIN_OCR_TEST_COUNT": str(self.conversions),
            },
        )
        self.processes.append(process)
        return process


def worker_environment() -> dict[str, str]:
    """The tests' environment, with the test engines importable (``crash_engine:slow``)."""
    paths = [str(RESOURCES), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def start_cluster(folder: Path, workers: int = 2, seconds: float = 1.0) -> Cluster:
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(folder, seconds)
    try:
        cluster.start_scheduler()
        for _ in range(workers):
            cluster.start_worker()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"waited {START_SECONDS} s for {what}")
