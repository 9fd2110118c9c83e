"""Progress on stderr (a tqdm bar): files, pages, pages per second. Silent off a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from bulletin_ocr.batch.report import Record


class Progress:
    """A bar that counts files, with the pages and pages per second beside it.

    ``total`` 0 means the number of files is not known in advance (no ETA then).
    """

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.files = 0
        self.pages = 0
        self._bar = tqdm(
            total=total or None,
            unit=" files",
            file=self.stream,
            disable=not (enabled and self.stream.isatty()),
            dynamic_ncols=True,
            leave=False,
        )

    def expect(self, total: int) -> None:
        """The number of inputs, once it is known: the bar then shows how long is left."""
        self._bar.total = total
        self._bar.refresh()

    def advance(self, record: Record) -> None:
        self.files += 1
        self.pages += record.pages
        elapsed = self._bar.format_dict.get("elapsed") or 0.0
        rate = self.pages / elapsed if elapsed else 0.0
        self._bar.set_postfix_str(f"{self.pages} pages, {rate:.2f} pages/s", refresh=False)
        self._bar.update(1)

    def log(self, message: str) -> None:
        """Print a message line without tearing the bar."""
        self._bar.write(message, file=self.stream)

    def close(self) -> None:
        self._bar.close()
