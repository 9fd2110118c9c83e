"""Run jobs in worker processes on this machine, one piece of work at a time per worker.

Each worker process builds its OCR engine once and keeps it; a supervising thread in this
process feeds it and watches it (see ``supervisor``), so a worker that hangs, outgrows its
memory or dies costs exactly its current input. A long input taken when too few others wait
to keep every worker busy is split into page ranges over the workers (see ``parts``).
Records are handed to ``on_record`` in the calling thread. Ctrl-C (KeyboardInterrupt) kills
every worker before it propagates.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bulletin_ocr.batch.parts import Assembly, Part, Survey, Work, make_parts, may_split
from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.supervisor import Limits, Stopped, Supervisor
from bulletin_ocr.batch.worker import Job

Outcome = tuple[Job, Record]


def run_local(
    jobs: Sequence[Job],
    workers: int,
    on_record: Callable[[Job, Record], None],
    limits: Limits | None = None,
    on_page: Callable[[Job, int], None] | None = None,
) -> None:
    """Run every job, calling ``on_record`` in this thread as each one ends, and ``on_page``
    (from the supervising threads) as each page of one is done."""
    if not jobs:
        return
    limits = limits or Limits()
    stop = threading.Event()
    schedule = _Schedule(jobs, workers, stop)
    finished: queue.Queue[Outcome | BaseException] = queue.Queue()
    # Every worker gets a thread even for fewer inputs: a long one may be split over them.
    # A worker process only starts when its thread first has work.
    supervisors = [Supervisor(limits, stop, on_page) for _ in range(workers)]

    def serve(supervisor: Supervisor) -> None:
        try:
            while (work := schedule.take()) is not None:
                outcome = schedule.finish(work, supervisor.run(work))
                if outcome is not None:
                    finished.put(outcome)
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


@dataclass
class _Split:
    """An input being converted in parts: which are still out, and what they took."""

    parts: list[Part]
    outstanding: int
    seconds: float = 0.0
    failed: bool = False
    staged: list[Part] = field(default_factory=list)


class _Schedule:
    """The work left, shared by the supervising threads: inputs, their parts and assemblies.

    Every input ends in exactly one outcome: its own record, its assembly's, or the error of
    the first of its parts to fail (the rest of its parts are then dropped).
    """

    def __init__(self, jobs: Sequence[Job], workers: int, stop: threading.Event) -> None:
        self._work: deque[Work] = deque(jobs)
        self._unfinished = len(jobs)
        self._workers = workers
        self._stop = stop
        self._splits: dict[int, _Split] = {}  # by id() of the Job
        self._surveyed: set[int] = set()  # id() of Jobs a worker found better whole
        self._changed = threading.Condition()

    def take(self) -> Work | None:
        """The next piece of work, waiting while parts still out may bring an assembly;
        None when every input is finished or the batch is stopping."""
        with self._changed:
            while True:
                if self._stop.is_set():
                    return None
                if self._work:
                    work = self._work.popleft()
                    if isinstance(work, Part) and self._splits[id(work.job)].failed:
                        continue
                    # Fewer inputs waiting than workers: some would idle, so split this one.
                    short = len(self._work) < self._workers
                    break
                if self._unfinished == 0:
                    return None
                self._changed.wait(0.5)
        surveyed = isinstance(work, Job) and id(work) in self._surveyed
        if isinstance(work, Job) and short and not surveyed and may_split(work, self._workers):
            return Survey(work)  # a worker opens the file, under its limits
        return work

    def finish(self, work: Work, record: Record) -> Outcome | None:
        """Account for ``work``'s record; the input's outcome when this ends the input."""
        with self._changed:
            if isinstance(work, Job):
                return self._ended(work, record)
            if isinstance(work, Survey):
                return self._after_survey(work.job, record)
            pieces = self._splits[id(work.job)]
            if isinstance(work, Assembly):
                del self._splits[id(work.job)]
                seconds = round(pieces.seconds + record.seconds, 3)
                return self._ended(work.job, replace(record, seconds=seconds))
            pieces.outstanding -= 1
            if pieces.failed:
                work.staged.unlink(missing_ok=True)
                return None
            if record.status == "error":
                pieces.failed = True
                for part in pieces.staged:
                    part.staged.unlink(missing_ok=True)
                return self._ended(work.job, record)
            pieces.seconds += record.seconds
            pieces.staged.append(work)
            if pieces.outstanding == 0:
                # First in line: its pages are waiting in staging, and its outputs are due.
                parts = tuple(part.staged for part in pieces.parts)
                self._work.appendleft(Assembly(work.job, parts))
                self._changed.notify_all()
            return None

    def _after_survey(self, job: Job, record: Record) -> Outcome | None:
        """Split ``job`` as its survey says, or put it first in line whole; a failed survey
        (a worker killed opening the input) is the input's outcome."""
        if record.status == "error":
            return self._ended(job, record)
        parts = make_parts(job, self._workers, record.pages)
        if parts:
            self._splits[id(job)] = _Split(parts, outstanding=len(parts))
            self._work.extendleft(reversed(parts))
        else:
            self._surveyed.add(id(job))
            self._work.appendleft(job)
        self._changed.notify_all()
        return None

    def _ended(self, job: Job, record: Record) -> Outcome:
        self._unfinished -= 1
        self._changed.notify_all()
        return job, record


def _next(finished: queue.Queue[Outcome | BaseException]) -> Outcome | BaseException:
    # A bounded wait in a loop, so that Ctrl-C is seen at once on every platform.
    while True:
        try:
            return finished.get(timeout=0.5)
        except queue.Empty:
            continue
