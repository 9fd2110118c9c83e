"""The next page read while the current one is recognised: one page ahead, never more.

pypdfium2 (ctypes), Pillow's decoders and OpenCV release the GIL, so rendering or decoding the
next page in a background thread runs beside recognition of this one. Holding at most one page
ahead keeps memory at two page images, however long the input.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _leave_alarms_to_the_caller() -> None:
    """Block SIGALRM in the reading thread: a page's deadline (``timeouts.page_deadline``) is
    an alarm for the thread recognising it, and the kernel may hand a process's signal to any
    thread that does not block it."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})


def _reader(name: str) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(1, name, initializer=_leave_alarms_to_the_caller)


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """``items`` in order, each next one made in a background thread while the caller works
    on the one before.

    >>> list(read_ahead(iter(range(3))))
    [0, 1, 2]
    """
    end = object()
    with _reader("read-ahead") as pool:
        coming: Future[object] = pool.submit(next, items, end)
        while (item := coming.result()) is not end:
            coming = pool.submit(next, items, end)
            yield item  # type: ignore[misc]  # not ``end``, so one of ``items``


def prepare_ahead(items: Iterable[T], prepare: Callable[[T], R]) -> Iterator[tuple[T, Future[R]]]:
    """Each item with ``prepare(item)`` under way in a background thread; an item is handed
    out once the next one has been taken and its preparation started.

    Taking items stays in the calling thread (with its time limits); only ``prepare`` moves.

    >>> [(item, done.result()) for item, done in prepare_ahead([1, 2], lambda x: x * 10)]
    [(1, 10), (2, 20)]
    """
    with _reader("prepare-ahead") as pool:
        held: tuple[T, Future[R]] | None = None
        for item in items:
            started = pool.submit(prepare, item)
            if held is not None:
                yield held
            held = (item, started)
        if held is not None:
            yield held
