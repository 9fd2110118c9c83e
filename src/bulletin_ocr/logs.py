"""Where log records go: nothing on the terminal unless --verbose, a lean --log-file.

The log file holds this package's records from DEBUG up and the libraries' (pdfminer, PIL,
fontTools, distributed...) from WARNING up; --verbose lets every library's DEBUG records in
too. pdfminer logs several records per glyph at DEBUG: letting them in made a 24-page PDF
take three to six times as long (7.5 s against 2.4 s) and write a 33 MB log.

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
    """Library messages (INFO and up) on stderr, and every library's DEBUG records in the file."""
    log_file: Path | None = None
    """Records appended here with time and process id: ours from DEBUG up, the libraries'
    from WARNING up (from DEBUG up with ``verbose``)."""


OURS = "bulletin_ocr"
"""The package's logger: its records reach the log file from DEBUG up."""


_current = LogSettings()


class _OurHandler:
    """Marks the handlers this module installed, so a second call replaces them."""


class _TerminalHandler(logging.StreamHandler, _OurHandler):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setLevel(logging.INFO)
        self.setFormatter(logging.Formatter(TERMINAL_FORMAT))


class _FileHandler(logging.FileHandler, _OurHandler):
    def __init__(self, path: Path, verbose: bool) -> None:
        # Appending: worker processes write to the same file, a whole record per write.
        super().__init__(path, mode="a", encoding="utf-8")
        self.setLevel(logging.DEBUG)
        self.setFormatter(logging.Formatter(FILE_FORMAT))
        if not verbose:
            # Libraries that set their own loggers' levels (distributed sets INFO) get past
            # the root's level; the filter holds them at WARNING all the same.
            self.addFilter(_libraries_at_warning)


def _libraries_at_warning(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or _is_ours(record.name)


def _is_ours(name: str) -> bool:
    return name == OURS or name.startswith(OURS + ".")


class _SilentHandler(logging.NullHandler, _OurHandler):
    """Its presence keeps logging.lastResort from printing warnings to stderr."""


def configure_logging(settings: LogSettings) -> None:
    """Route every library's records according to ``settings`` (call again to change them).

    Raises OSError when the log file cannot be opened.
    """
    global _current
    handlers: list[logging.Handler] = []
    if settings.log_file is not None:
        handlers.append(_FileHandler(settings.log_file, settings.verbose))
    handlers.append(_TerminalHandler() if settings.verbose else _SilentHandler())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        root.addHandler(handler)
    # Levels on the loggers, not only filters: a record below them is never even made, which
    # is what keeps pdfminer's per-glyph DEBUG calls cheap.
    if settings.log_file is not None and settings.verbose:
        root.setLevel(logging.DEBUG)
    else:
        root.setLevel(logging.INFO if settings.verbose else logging.WARNING)
    logging.getLogger(OURS).setLevel(
        logging.DEBUG if settings.log_file is not None else logging.NOTSET
    )
    logging.captureWarnings(True)
    _current = settings


def configure_worker_logging(settings: LogSettings) -> None:
    """The same routing in a worker process (spawned or a Dask worker) as in its parent."""
    configure_logging(settings)


def current_settings() -> LogSettings:
    """The settings last configured in this process, to hand to worker processes."""
    return _current


