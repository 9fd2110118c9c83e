"""Run the same per-input jobs on a Dask distributed cluster (optional dependency).

What a cluster shared by several people and runs needs, beyond submitting tasks:

- every task key names its run, so two clients on one scheduler never share a result;
- every path a worker sees is absolute, so a worker's working directory does not matter;
- work goes out in a bounded window and each result is released once recorded, so a huge
  archive does not flood the scheduler and a lost worker holds no finished result to redo;
- outputs are installed only under the run's lease (see ``lease``), which the client ends before
  it exits, so nothing of a stopped run lands in OUTDIR afterwards;
- a scheduler that stops answering ends the run with a ClusterError instead of a silent hang;
- the limits of a task (memory ceiling, OCR threads) are computed on the worker that runs it;
- the local cluster speaks TLS with a certificate made for the run: no other account on the
  machine can submit work to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bulletin_ocr.batch.lease import end_lease, lease_holds, missing_marker, take_lease
from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.supervisor import Limits, run_supervised
from bulletin_ocr.batch.worker import Job, crashed, given_up
from bulletin_ocr.errors import ClusterError, MissingDependencyError
from bulletin_ocr.logs import current_settings

# A local cluster serves this user only: nothing listens beyond this machine.
LOCAL_HOST = "127.0.0.1"
# The scheduler and the workers serve HTTP whatever the dashboard setting; without a
# dashboard they answer health checks only, so no page lists the inputs' names.
HEALTH_ONLY = {
    "distributed.scheduler.http.routes": ["distributed.http.health"],
    "distributed.worker.http.routes": ["distributed.http.health"],
}
DEFAULT_TIMEOUT = 60.0
"""Seconds the scheduler may leave the client unanswered before the run ends."""
# Tasks on the scheduler at once, per worker thread: enough that a thread never waits for
# the next task, few enough that 100,000 inputs are not 100,000 tasks.
WINDOW_PER_THREAD = 2
MIN_WINDOW = 8
POLL_SECONDS = 0.1
# With no result for this long, the client asks the scheduler whether it is still there.
QUIET_SECONDS = 5.0
CLOSE_SECONDS = 5.0
# Loggers that Dask gives handlers of their own (straight to stderr) when it is imported.
DASK_LOGGERS = ("distributed", "tornado", "tornado.application", "bokeh")


def run_dask(
    jobs: Sequence[Job],
    scheduler: str | None,
    on_record: Callable[[Job, Record], None],
    limits: Limits | None = None,
    *,
    state: Path,
    dashboard: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Run every job on the cluster at ``scheduler`` and record results as they finish.

    Without ``scheduler`` a local cluster starts, bound to 127.0.0.1 and secured with TLS,
    with a dashboard only when ``dashboard`` gives its address (it lists every input's name).
    Workers must see the input and output paths (a shared file system) and have bulletin-ocr
    installed. ``state`` is OUTDIR's state folder, where the run's lease lives. Each task runs
    its input in a worker process of its own under ``limits`` (stage deadlines, a memory
    ceiling: an equal share of the worker's memory when ``limits.worker_share``). A worker that
    dies on an input turns into an error record for that input, like a local crash. Raises
    ClusterError when the scheduler cannot be reached or stops answering for ``timeout``
    seconds; inputs not finished by then are not recorded, and a rerun converts them.
    """
    distributed = _import_distributed()
    _route_dask_logging()
    run = secrets.token_hex(8)
    lease = take_lease(state, run)
    running: dict[Any, Job] = {}
    client = cluster = None
    try:
        client, cluster = _connect(distributed, scheduler, dashboard, timeout)
        submit = _submitter(client, run, limits or Limits(), lease)
        _run_all(client, distributed.as_completed(), jobs, submit, running, on_record, timeout)
    finally:
        if client is not None and running:
            _bounded(lambda: client.cancel(list(running), force=True))
        end_lease(lease)  # from here on no worker of this run writes into OUTDIR
        _close(client, cluster)


def convert_on_worker(job: Job, limits: Limits) -> Record:
    """What each Dask task runs, on the worker: check what it sees, fit the limits to this
    worker, and convert the input in a worker process of this thread's own."""
    seen = _what_is_unseen(job)
    if seen is not None:
        return given_up(job, seen)
    job, limits = _fit_to_worker(job, limits)
    return run_supervised(job, limits)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise MissingDependencyError(
            "distributed", "the dask executor needs: pip install 'bulletin-ocr[distributed]'"
        ) from error
    return distributed


def _route_dask_logging() -> None:
    """Dask's records go where everyone else's do (see ``logs``), not straight to stderr.

    Dask installs stderr handlers of its own on import; on a local cluster a refused
    connection (another account knocking on the port) would print tornado ERROR lines.
    """
    for name in DASK_LOGGERS:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True


def _connect(
    distributed: Any, scheduler: str | None, dashboard: str | None, timeout: float
) -> tuple[Any, Any]:
    """A client of the cluster at ``scheduler``, or of a new local cluster (client, cluster)."""
    if scheduler:
        try:
            # Security comes from the user's Dask configuration (see README, "On a Dask cluster").
            return distributed.Client(scheduler, timeout=timeout), None
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterError(
                scheduler, f"cannot reach the Dask scheduler within {timeout:g} s ({error})"
            ) from error
    # A certificate made for this run alone: a client without it cannot connect, so no other
    # account on this machine can run code on the workers through the loopback port.
    security = distributed.Security.temporary()
    cluster = _local_cluster(distributed.LocalCluster, dashboard, security)
    client = distributed.Client(cluster)
    # Local workers log like this process; a remote cluster's logging is its owner's.
    from bulletin_ocr.batch.dask_logging import WorkerLogging

    client.register_plugin(WorkerLogging(current_settings()))
    return client, cluster


def _local_cluster(local_cluster: Any, dashboard: str | None, security: Any) -> Any:
    """A LocalCluster on 127.0.0.1 over TLS; its dashboard at ``dashboard`` only when given."""
    import dask

    # Nannies hand this configuration on to the worker processes they start.
    with dask.config.set({} if dashboard else HEALTH_ONLY):
        return local_cluster(
            host=LOCAL_HOST, processes=True, dashboard_address=dashboard,
            worker_dashboard_address=None, security=security, protocol="tls://",
        )


def _submitter(client: Any, run: str, limits: Limits, lease: Path) -> Callable[[int, Job], Any]:
    """Submits one job as a task whose key is unique to this run and input."""

    def submit(index: int, job: Job) -> Any:
        return client.submit(
            convert_on_worker, for_cluster(job, lease), limits,
            key=f"bulletin-ocr-{run}-{index}", pure=False,
        )

    return submit


def for_cluster(job: Job, lease: Path) -> Job:
    """``job`` as a worker elsewhere must see it: absolute paths, and the run's lease."""
    task = replace(job.task, path=Path(os.path.abspath(job.task.path)))
    staging = Path(os.path.abspath(job.staging)) if job.staging is not None else None
    return replace(
        job, task=task, outdir=Path(os.path.abspath(job.outdir)), staging=staging,
        lease=Path(os.path.abspath(lease)),
    )


def _run_all(
    client: Any,
    finished: Any,
    jobs: Sequence[Job],
    submit: Callable[[int, Job], Any],
    running: dict[Any, Job],
    on_record: Callable[[Job, Record], None],
    timeout: float,
) -> None:
    """Keep a window of tasks on the cluster and record each result as it comes."""
    threads = _ask_scheduler(client, client.scheduler.ncores, timeout)
    window = max(MIN_WINDOW, WINDOW_PER_THREAD * sum(threads.values()))
    waiting: Iterator[tuple[int, Job]] = iter(enumerate(jobs))

    def top_up() -> None:
        for index, job in itertools.islice(waiting, max(0, window - len(running))):
            future = submit(index, job)
            running[future] = job
            finished.add(future)

    top_up()
    quiet_since = time.monotonic()
    while running:
        done = finished.next_batch(block=False)
        if not done:
            if time.monotonic() - quiet_since > QUIET_SECONDS:
                _check_scheduler(client, timeout)
                quiet_since = time.monotonic()
            time.sleep(POLL_SECONDS)
            continue
        quiet_since = time.monotonic()
        for future in done:
            job = running[future]
            record = _record_of(client, future, job, timeout)
            on_record(job, replace(record, path=str(job.task.path)))
            del running[future]
            future.release()  # the scheduler forgets it: a lost worker has nothing to redo
        top_up()


def _record_of(client: Any, future: Any, job: Job, timeout: float) -> Record:
    try:
        # Fetching a result asks the scheduler where it is: bounded, or a scheduler frozen
        # right after it reported the task done would hang the client here for good.
        record: Record = future.result(timeout=timeout)
        return record
    except Exception as error:  # KilledWorker, a lost connection, a pickling problem
        _check_scheduler(client, timeout)  # a lost scheduler ends the run, not this input
        return crashed(job, f"on the cluster: {type(error).__name__}: {error}")


def _check_scheduler(client: Any, timeout: float) -> None:
    """Raise ClusterError unless the scheduler answers within ``timeout`` seconds."""
    _ask_scheduler(client, client.scheduler.identity, timeout)


def _ask_scheduler(client: Any, question: Callable[[], Any], timeout: float) -> Any:
    """The scheduler's answer to ``question`` (one of its RPCs); ClusterError when it does not
    answer within ``timeout`` seconds or the connection is gone."""
    address = str(client.scheduler.address)
    try:
        return client.sync(question, callback_timeout=timeout)
    except (TimeoutError, asyncio.TimeoutError, OSError) as error:
        if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
            problem = f"the Dask scheduler has not answered for {timeout:g} s"
        else:
            problem = f"lost the Dask scheduler ({type(error).__name__}: {error})"
        raise ClusterError(address, problem) from error
    except Exception as error:  # the client's own loop is closed: the cluster is gone
        raise ClusterError(
            address, f"lost the Dask scheduler ({type(error).__name__}: {error})"
        ) from error


def _close(client: Any, cluster: Any) -> None:
    """Close the client and any local cluster, never waiting long on a frozen scheduler."""
    if client is not None:
        _bounded(lambda: client.close(timeout=CLOSE_SECONDS))
    if cluster is not None:
        _bounded(lambda: cluster.close(timeout=CLOSE_SECONDS))


def _bounded(call: Callable[[], object], seconds: float = CLOSE_SECONDS) -> None:
    """Run ``call`` for at most about ``seconds``; give up on it (it is only tidying) after."""

    def attempt() -> None:
        with contextlib.suppress(Exception):
            call()

    thread = threading.Thread(target=attempt, name="dask-tidy", daemon=True)
    thread.start()
    thread.join(seconds + 1)


def _what_is_unseen(job: Job) -> str | None:
    """Why this worker cannot do ``job`` (it sees another OUTDIR, or no input), or None."""
    if job.lease is not None and not lease_holds(job.lease):
        return missing_marker(job.outdir, _worker_name())
    if not os.path.lexists(job.task.path):
        return (
            f"worker {_worker_name()} cannot see the input (the client found it): the input "
            "folder must be on a file system shared with every worker, at the same path"
        )
    return None


def _worker_name() -> str:
    host = socket.gethostname()
    try:
        from distributed import get_worker

        return f"{get_worker().address} on {host}"
    except (ImportError, ValueError):  # not in a Dask task
        return f"on {host}"


def _fit_to_worker(job: Job, limits: Limits) -> tuple[Job, Limits]:
    """The memory ceiling and OCR threads of one task, from this worker's machine.

    A Dask worker's ``memory_limit`` is its share of its host (``dask worker --nworkers N``
    gives each process 1/N), and it runs ``nthreads`` tasks at once: each task gets an equal
    share of that memory, and of the host's cores over every task the host's workers run.
    """
    import psutil
    from distributed import get_worker

    worker = get_worker()
    threads = max(1, int(worker.state.nthreads))
    total = int(psutil.virtual_memory().total)
    worker_memory = int(worker.memory_manager.memory_limit or 0)
    if limits.worker_share:
        share = (worker_memory or int(total * 0.8)) // threads
        limits = replace(limits, memory_bytes=share, worker_share=False)
    if not job.options.ocr.threads:  # 0: not set by the user
        processes = max(1, round(total / worker_memory)) if worker_memory else 1
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        per_task = max(1, (cores or os.cpu_count() or 1) // (threads * processes))
        ocr = replace(job.options.ocr, threads=per_task)
        job = replace(job, options=replace(job.options, ocr=ocr))
    return job, limits
