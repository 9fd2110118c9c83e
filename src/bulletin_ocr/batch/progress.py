"""Progress on stderr: files and pages done, pages per second, time left. Silent off a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from bulletin_ocr.batch.report import Record


class Progress:
    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total = total
        self.files = 0
        self.pages = 0
        self.started = time.monotonic()
        self._drawn = False

    def advance(self, record: Record) -> None:
        self.files += 1
        self.pages += record.pages
        self._draw()

    def log(self, message: str) -> None:
        """Print a message line without tearing the bar."""
        self._clear()
        print(message, file=self.stream)
        self._draw()

    def close(self) -> None:
        self._clear()

    def line(self) -> str:
        elapsed = max(1e-6, time.monotonic() - self.started)
        rate = self.pages / elapsed
        left = ""
        if self.files:
            seconds = elapsed / self.files * (self.total - self.files)
            hours, rest = divmod(int(seconds), 3600)
            left = f" | ETA {hours}:{rest // 60:02d}:{rest % 60:02d}"
        return f"files {self.files}/{self.total} | pages {self.pages} | {rate:.2f} pages/s{left}"

    def _draw(self) -> None:
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        self.stream.write("\r" + self.line()[: width - 1])
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self.enabled and self._drawn:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()
            self._drawn = False
