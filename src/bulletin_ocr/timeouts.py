"""A per-page time limit, so one pathological page cannot stall a batch."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from bulletin_ocr.errors import InputError


class PageTimeoutError(InputError):
    pass


# The longest time limit a page may be given (about 11.6 days): the options refuse more, and
# the API takes more (inf included) as this, since the system timer overflows past ~1e9 s.
MAX_PAGE_TIMEOUT = 1_000_000.0


@contextmanager
def page_deadline(seconds: float | None, path: str, page: int) -> Iterator[None]:
    """Raise PageTimeoutError if the block runs longer than ``seconds``.

    Uses SIGALRM, so it works in a process's main thread on POSIX (the CLI and its worker
    processes); elsewhere (threads of a Dask worker, Windows) the block runs unlimited.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise PageTimeoutError(path, f"page {page} took longer than {seconds:g} s; gave up")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(float(seconds or 0), MAX_PAGE_TIMEOUT))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
