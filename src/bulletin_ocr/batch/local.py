"""Run jobs in worker processes on this machine, one input at a time per worker.

Each worker builds its OCR engine once and keeps it. The parent always knows which input
each worker holds, so when a worker dies (a library crash, the kernel's OOM killer) exactly
that input gets an error record and a fresh worker takes over the rest.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.context import SpawnProcess
from typing import Any

from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.worker import Job, crashed, run_job

POLL_SECONDS = 0.2


def _serve(inbox: Any, outbox: Any) -> None:
    """A worker's loop: take a job, send back its record, until told to stop (None)."""
    while True:
        job = inbox.get()
        if job is None:
            return
        outbox.put((job.task.path, run_job(job)))


class _Worker:
    def __init__(self, context: Any, outbox: Any) -> None:
        self.inbox = context.Queue()
        self.process: SpawnProcess = context.Process(
            target=_serve, args=(self.inbox, outbox), daemon=True
        )
        self.process.start()
        self.job: Job | None = None

    def give(self, job: Job) -> None:
        self.job = job
        self.inbox.put(job)

    def stop(self) -> None:
        if self.process.is_alive():
            self.inbox.put(None)


def run_local(
    jobs: Sequence[Job], workers: int, on_record: Callable[[Job, Record], None]
) -> None:
    """Run every job, calling ``on_record`` in this process as each one ends."""
    if workers <= 1 and len(jobs) <= 1:
        for job in jobs:
            on_record(job, run_job(job))
        return
    context = multiprocessing.get_context("spawn")
    outbox = context.Queue()
    pool = [_Worker(context, outbox) for _ in range(min(workers, len(jobs)))]
    pending: Iterator[Job] = iter(jobs)
    remaining = len(jobs)
    try:
        for worker in pool:
            _feed(worker, pending)
        while remaining:
            try:
                path, record = outbox.get(timeout=POLL_SECONDS)
            except queue.Empty:
                for index, worker in enumerate(pool):
                    lost = worker.job
                    if lost is not None and not worker.process.is_alive():
                        on_record(lost, crashed(lost, _death(worker.process.exitcode)))
                        remaining -= 1
                        pool[index] = _Worker(context, outbox)
                        _feed(pool[index], pending)
                continue
            worker = next(w for w in pool if w.job is not None and w.job.task.path == path)
            done, worker.job = worker.job, None
            assert done is not None
            on_record(done, record)
            remaining -= 1
            _feed(worker, pending)
    finally:
        for worker in pool:
            worker.stop()
        for worker in pool:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.terminate()


def _feed(worker: _Worker, pending: Iterator[Job]) -> None:
    job = next(pending, None)
    if job is not None:
        worker.give(job)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            return f"worker killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"worker killed by signal {-exitcode}"
    return f"worker exited with status {exitcode}"
