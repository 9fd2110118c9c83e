"""Run the same per-input jobs on a Dask distributed cluster (optional dependency)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.supervisor import Limits, run_supervised
from bulletin_ocr.batch.worker import Job, crashed
from bulletin_ocr.errors import MissingDependencyError


def run_dask(
    jobs: Sequence[Job],
    scheduler: str | None,
    on_record: Callable[[Job, Record], None],
    limits: Limits | None = None,
) -> None:
    """Submit every job to the cluster at ``scheduler`` and record results as they finish.

    Workers must see the input and output paths (a shared filesystem) and have
    bulletin-ocr installed. Each task runs its input in a worker process of its own under the
    same ``limits`` as a local run (stage deadlines, memory ceiling). A worker that dies on an
    input (Dask retries, then gives up with KilledWorker) turns into an error record for that
    input, like a local crash.
    """
    try:
        from distributed import Client, as_completed
    except ImportError as error:
        raise MissingDependencyError(
            "distributed", "the dask executor needs: pip install 'bulletin-ocr[distributed]'"
        ) from error
    client = Client(scheduler) if scheduler else Client(processes=True)
    try:
        futures = {
            client.submit(run_supervised, job, limits or Limits(), key=f"bulletin-ocr-{index}"): job
            for index, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                record = future.result()
            except Exception as error:  # KilledWorker, lost connection, a pickling problem
                record = crashed(job, f"on the cluster: {type(error).__name__}: {error}")
            on_record(job, record)
    finally:
        client.close()
