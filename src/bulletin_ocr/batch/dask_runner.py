"""Run the same per-input jobs on a Dask distributed cluster (optional dependency)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.supervisor import Limits, run_supervised
from bulletin_ocr.batch.worker import Job, crashed
from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.logs import current_settings

# A local cluster serves this user only: nothing listens beyond this machine.
LOCAL_HOST = "127.0.0.1"
# The scheduler and the workers serve HTTP whatever the dashboard setting; without a
# dashboard they answer health checks only, so no page lists the inputs' names.
HEALTH_ONLY = {
    "distributed.scheduler.http.routes": ["distributed.http.health"],
    "distributed.worker.http.routes": ["distributed.http.health"],
}


def run_dask(
    jobs: Sequence[Job],
    scheduler: str | None,
    on_record: Callable[[Job, Record], None],
    limits: Limits | None = None,
    *,
    dashboard: str | None = None,
) -> None:
    """Submit every job to the cluster at ``scheduler`` and record results as they finish.

    Without ``scheduler`` a local cluster starts, bound to 127.0.0.1, with a dashboard only
    when ``dashboard`` gives its address (the dashboard lists every input's name).
    Workers must see the input and output paths (a shared filesystem) and have
    bulletin-ocr installed. Each task runs its input in a worker process of its own under the
    same ``limits`` as a local run (stage deadlines, memory ceiling). A worker that dies on an
    input (Dask retries, then gives up with KilledWorker) turns into an error record for that
    input, like a local crash.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise MissingDependencyError(
            "distributed", "the dask executor needs: pip install 'bulletin-ocr[distributed]'"
        ) from error
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = _local_cluster(LocalCluster, dashboard)
        client = Client(cluster)
        # Local workers log like this process; a remote cluster's logging is its owner's.
        from bulletin_ocr.batch.dask_logging import WorkerLogging

        client.register_plugin(WorkerLogging(current_settings()))
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
        if cluster is not None:
            cluster.close()


def _local_cluster(local_cluster: Any, dashboard: str | None) -> Any:
    """A LocalCluster on 127.0.0.1; its dashboard at ``dashboard`` only when given."""
    import dask

    # Nannies hand this configuration on to the worker processes they start.
    with dask.config.set({} if dashboard else HEALTH_ONLY):
        return local_cluster(
            host=LOCAL_HOST, processes=True, dashboard_address=dashboard,
            worker_dashboard_address=None,
        )
