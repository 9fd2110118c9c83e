"""Run one job at a time in a worker process that can be killed: deadlines, memory, crashes.

The supervisor knows which stage its worker is in (see ``bulletin_ocr.stages``). When a stage
outlives its deadline or the worker outgrows the memory ceiling, the worker is killed and the
input gets an error record naming the stage; when the worker dies (a crash in native code, the
kernel's OOM killer) likewise. The next job gets a fresh worker. A plain subprocess, not
multiprocessing, so that it also works inside Dask's daemonic worker processes.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bulletin_ocr import stages
from bulletin_ocr.batch.frames import read_frame, write_frame
from bulletin_ocr.batch.lease import lease_holds
from bulletin_ocr.batch.parts import Work, job_of
from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.worker import Job, crashed, given_up

POLL_SECONDS = 0.2
# The worker's own per-page alarm gives the precise message; this backstop catches what an
# alarm cannot interrupt (native code, a stage without one).
DEADLINE_GRACE = 1.2
DEADLINE_SLACK_SECONDS = 5.0


class Stopped(Exception):
    """The batch is being stopped (Ctrl-C, SIGTERM): the job was abandoned."""


@dataclass(frozen=True)
class Limits:
    stage_seconds: float | None = None
    """How long any one stage of one input may run (None: no limit)."""
    memory_bytes: int | None = None
    """Resident memory one worker may use (None: no ceiling)."""
    worker_share: bool = False
    """Set ``memory_bytes`` where the job runs, to that machine's share (a Dask worker)."""


class Supervisor:
    """One worker process, started on first use and restarted after it is killed."""

    def __init__(
        self,
        limits: Limits,
        stop: threading.Event | None = None,
        on_page: Callable[[Job, int], None] | None = None,
    ) -> None:
        self.limits = limits
        self.stop = stop or threading.Event()
        self.on_page = on_page
        """Told of every page the worker finishes (from this supervisor's thread)."""
        self._process: subprocess.Popen[bytes] | None = None
        self._messages: queue.Queue[Any] = queue.Queue()

    def run(self, work: Work) -> Record:
        """Do ``work`` (a whole input, part of one, or the assembly of its parts) in the worker;
        the record of what became of it."""
        job = job_of(work)
        process = self._start()
        assert process.stdin is not None
        try:
            write_frame(process.stdin, work)
        except OSError:
            self.close()
            return crashed(job, "worker could not be reached")
        stage, page, since = "start", None, time.time()
        while True:
            if self.stop.is_set():
                self.kill()
                raise Stopped
            try:
                message = self._messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                problem = self._check(process, since, job)
                if problem is None:
                    continue
                self.kill()
                where = stages.describe(stage, page)
                if problem == "died":
                    return crashed(job, _death(process.returncode), where)
                return given_up(job, f"{problem} in stage {where}")
            if message is None:  # the worker's pipe closed: it died
                process.wait()
                self._process = None
                where = stages.describe(stage, page)
                return crashed(job, _death(process.returncode), where)
            if message[0] == "stage":
                _kind, stage, page, since = message
            elif message[0] == "page":
                if self.on_page is not None:
                    self.on_page(job, message[2])
            else:
                record: Record = message[1]
                return record

    def _check(self, process: subprocess.Popen[bytes], since: float, job: Job) -> str | None:
        if process.poll() is not None:
            return "died"
        if job.lease is not None and not lease_holds(job.lease):
            return "stopped: the run that sent it has ended"
        limit = self.limits.stage_seconds
        if limit is not None:
            allowed = limit * DEADLINE_GRACE + DEADLINE_SLACK_SECONDS
            if time.time() - since > allowed:
                return f"gave up after {allowed:g} s"
        ceiling = self.limits.memory_bytes
        if ceiling is not None and _resident(process.pid) > ceiling:
            return f"used more than the memory ceiling of {ceiling // 2**20} MB"
        return None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        # Two malloc arenas instead of one per thread: the recogniser's threads otherwise each
        # keep their own heap of freed page buffers (with trimming, a worker peaked at ~530 MB
        # over ten dense pages instead of ~600-790 MB: benchmarks/README.md, issue 12).
        environment = {
            "MALLOC_ARENA_MAX": "2", **os.environ, "BULLETIN_OCR_PARENT": str(os.getpid())
        }
        # A session of its own: Ctrl-C at the terminal reaches the parent alone, which stops
        # its workers. Sent to the whole group, it also hit workers being spawned, and a parent
        # that was spawning one under load now and then never saw its own (the run hung).
        process = subprocess.Popen(
            [sys.executable, "-m", "bulletin_ocr.batch.child"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        from bulletin_ocr.logs import current_settings

        write_frame(process.stdin, current_settings())
        self._messages = queue.Queue()
        threading.Thread(
            target=_pump, args=(process, self._messages), name="worker-reader", daemon=True
        ).start()
        self._process = process
        return process

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def close(self) -> None:
        """Let the worker finish and exit; kill it if it does not."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()


def _pump(process: subprocess.Popen[bytes], messages: queue.Queue[Any]) -> None:
    assert process.stdout is not None
    while True:
        try:
            message = read_frame(process.stdout)
        except Exception:  # a torn frame from a dying worker
            message = None
        messages.put(message)
        if message is None:
            return


def _resident(pid: int) -> int:
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except Exception:  # gone already, or psutil missing: the death is seen elsewhere
        return 0


def _death(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        import signal

        try:
            return f"worker killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"worker killed by signal {-returncode}"
    return f"worker exited with status {returncode}"


_held = threading.local()


def run_supervised(job: Job, limits: Limits) -> Record:
    """Run ``job`` in this thread's own worker process, kept for the thread's next jobs.

    What a Dask task calls: Dask runs tasks in threads, which cannot be stopped, so the work
    itself goes to a process that can.
    """
    supervisor: Supervisor | None = getattr(_held, "supervisor", None)
    if supervisor is not None and supervisor.limits != limits:
        supervisor.close()  # a run with other limits: its worker would idle here for good
        supervisor = None
    if supervisor is None:
        supervisor = _held.supervisor = Supervisor(limits)
    return supervisor.run(job)
