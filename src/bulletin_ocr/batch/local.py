"""Run jobs in worker processes on this machine, one input at a time per worker.

Each worker process builds its OCR engine once and keeps it; a supervising thread in this
process feeds it and watches it (see ``supervisor``), so a worker that hangs, outgrows its
memory or dies costs exactly its current input. Records are handed to ``on_record`` in the
calling thread. Ctrl-C (KeyboardInterrupt) kills every worker before it propagates.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence

from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.supervisor import Limits, Stopped, Supervisor
from bulletin_ocr.batch.worker import Job


def run_local(
    jobs: Sequence[Job],
    workers: int,
    on_record: Callable[[Job, Record], None],
    limits: Limits | None = None,
) -> None:
    """Run every job, calling ``on_record`` in this thread as each one ends."""
    if not jobs:
        return
    limits = limits or Limits()
    stop = threading.Event()
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    finished: queue.Queue[tuple[Job, Record] | BaseException] = queue.Queue()
    supervisors = [Supervisor(limits, stop) for _ in range(min(workers, len(jobs)))]

    def serve(supervisor: Supervisor) -> None:
        try:
            while not stop.is_set():
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                finished.put((job, supervisor.run(job)))
        except Stopped:
            return
        except BaseException as error:  # a bug here must reach the caller, not vanish
            finished.put(error)
        finally:
            supervisor.close()

    threads = [
        threading.Thread(target=serve, args=(s,), name=f"supervisor-{i}", daemon=True)
        for i, s in enumerate(supervisors)
    ]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(jobs)):
            outcome = _next(finished)
            if isinstance(outcome, BaseException):
                raise outcome
            on_record(*outcome)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        for supervisor in supervisors:
            supervisor.kill()


def _next(
    finished: queue.Queue[tuple[Job, Record] | BaseException],
) -> tuple[Job, Record] | BaseException:
    # A bounded wait in a loop, so that Ctrl-C is seen at once on every platform.
    while True:
        try:
            return finished.get(timeout=0.5)
        except queue.Empty:
            continue
