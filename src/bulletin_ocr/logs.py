"""Where log records go: nothing on the terminal unless --verbose, everything in --log-file.

Libraries log on their own terms: pdfminer and Python's ``warnings`` fall back to stderr.
Here every record goes to the root logger instead, whose handlers this module alone chooses.
Worker processes start with a fresh interpreter and call :func:`configure_worker_logging`
with the parent's :func:`current_settings`.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LogSettings", "configure_logging", "configure_worker_logging", "current_settings"]

TERMINAL_FORMAT = "%(name)s: %(levelname)s: %(message)s"
FILE_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s: %(message)s"


@dataclass(frozen=True)
class LogSettings:
    """What the user asked for; picklable, so it travels to worker processes."""

    verbose: bool = False
    """Library messages (INFO and up) on stderr."""
    log_file: Path | None = None
    """Every record (DEBUG and up, all libraries, with time and process id) appended here."""


_current = LogSettings()


class _OurHandler:
    """Marks the handlers this module installed, so a second call replaces them."""


class _TerminalHandler(logging.StreamHandler, _OurHandler):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setLevel(logging.INFO)
        self.setFormatter(logging.Formatter(TERMINAL_FORMAT))


class _FileHandler(logging.FileHandler, _OurHandler):
    def __init__(self, path: Path) -> None:
        # Appending: worker processes write to the same file, a whole record per write.
        super().__init__(path, mode="a", encoding="utf-8")
        self.setLevel(logging.DEBUG)
        self.setFormatter(logging.Formatter(FILE_FORMAT))


class _SilentHandler(logging.NullHandler, _OurHandler):
    """Its presence keeps logging.lastResort from printing warnings to stderr."""


def configure_logging(settings: LogSettings) -> None:
    """Route every library's records according to ``settings`` (call again to change them).

    Raises OSError when the log file cannot be opened.
    """
    global _current
    handlers: list[logging.Handler] = []
    if settings.log_file is not None:
        handlers.append(_FileHandler(settings.log_file))
    handlers.append(_TerminalHandler() if settings.verbose else _SilentHandler())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        root.addHandler(handler)
    if settings.log_file is not None:
        root.setLevel(logging.DEBUG)
    else:
        root.setLevel(logging.INFO if settings.verbose else logging.WARNING)
    logging.captureWarnings(True)
    _current = settings


def configure_worker_logging(settings: LogSettings) -> None:
    """The same routing in a worker process (spawned or a Dask worker) as in its parent."""
    configure_logging(settings)


def current_settings() -> LogSettings:
    """The settings last configured in this process, to hand to worker processes."""
    return _current


