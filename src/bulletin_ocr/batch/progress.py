"""Progress on stderr (a tqdm bar): files, and pages as they are done, pages per second.
Silent off a terminal."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import TextIO

from tqdm import tqdm

from bulletin_ocr.batch.report import Record

# The size to draw in when the terminal reports none (a pseudo-terminal nobody sized, some
# CI consoles): tqdm takes 0 lines for a screen too small for any bar, and draws nothing.
FALLBACK_COLUMNS, FALLBACK_LINES = 80, 24


class Progress:
    """A bar that counts files, with the pages done so far and pages per second beside it.

    ``total`` 0 means the number of files is not known in advance (no ETA then). Pages come
    one by one from ``page`` (a local worker's announcement, from any thread) or, from
    executors that do not announce them, with each file's record when it ends: a 300-page
    scan shows its pages going by, not 0 until it ends.
    """

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.files = 0
        self.pages = 0
        self._live: dict[str, int] = {}
        self._lock = threading.Lock()
        self._drawn = 0.0
        shown = enabled and self.stream.isatty()
        columns, lines = shutil.get_terminal_size((0, 0)) if shown else (0, 0)
        sized = columns > 0 and lines > 0
        self._bar = tqdm(
            total=total or None,
            unit=" files",
            file=self.stream,
            disable=not shown,
            dynamic_ncols=sized,
            ncols=None if sized else FALLBACK_COLUMNS,
            nrows=None if sized else FALLBACK_LINES,
            leave=False,
        )

    def expect(self, total: int) -> None:
        """The number of inputs, once it is known: the bar then shows how long is left."""
        with self._lock:
            self._bar.total = total
            self._bar.refresh()

    def page(self, path: str) -> None:
        """One more page of ``path`` is done; drawn at most every ``mininterval`` seconds
        (tqdm's, 0.1 s unless ``TQDM_MININTERVAL`` says otherwise)."""
        with self._lock:
            self._live[path] = self._live.get(path, 0) + 1
            self._count(1)
            if self._bar.disable:
                return  # a disabled tqdm has no mininterval
            now = time.monotonic()
            if now - self._drawn >= self._bar.mininterval:
                self._drawn = now
                self._bar.refresh()

    def advance(self, record: Record) -> None:
        """A file ended: its pages not announced one by one are counted now."""
        with self._lock:
            self.files += 1
            self._count(max(0, record.pages - self._live.pop(record.path, 0)))
            self._bar.update(1)

    def _count(self, pages: int) -> None:
        self.pages += pages
        elapsed = self._bar.format_dict.get("elapsed") or 0.0
        rate = self.pages / elapsed if elapsed else 0.0
        self._bar.set_postfix_str(f"{self.pages} pages, {rate:.2f} pages/s", refresh=False)

    def log(self, message: str) -> None:
        """Print a message line without tearing the bar."""
        with self._lock:
            self._bar.write(message, file=self.stream)

    def close(self) -> None:
        self._bar.close()
