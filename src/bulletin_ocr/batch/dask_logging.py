"""A Dask worker plugin that routes each worker's logging as in the parent (imports distributed)."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin

from bulletin_ocr.logs import LogSettings, configure_worker_logging


class WorkerLogging(WorkerPlugin):
    """Runs on every worker as it starts, again after a restart."""

    def __init__(self, settings: LogSettings) -> None:
        self.settings = settings

    def setup(self, worker: Any) -> None:
        configure_worker_logging(self.settings)
