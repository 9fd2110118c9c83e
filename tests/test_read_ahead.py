"""Reading the next page while this one is recognised: in order, in another thread, one ahead."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator

from bulletin_ocr.inputs.ahead import prepare_ahead, read_ahead


def test_read_ahead_makes_items_in_another_thread_never_more_than_one_ahead() -> None:
    made: list[str] = []

    def pages() -> Iterator[int]:
        for number in range(5):
            made.append(threading.current_thread().name)
            yield number

    seen = []
    for item in read_ahead(pages()):
        time.sleep(0.05)  # the caller's work: time enough for a runaway reader to race ahead
        assert len(made) <= item + 2
        seen.append(item)
    assert seen == [0, 1, 2, 3, 4]
    assert threading.current_thread().name not in made


def test_prepare_ahead_prepares_in_another_thread_never_more_than_one_ahead() -> None:
    threads: set[str] = set()
    prepared: list[int] = []

    def prepare(item: int) -> int:
        threads.add(threading.current_thread().name)
        prepared.append(item)
        return item * 10

    seen = []
    for item, result in prepare_ahead(range(4), prepare):
        time.sleep(0.05)
        assert len(prepared) <= item + 2
        seen.append((item, result.result()))
    assert seen == [(0, 0), (1, 10), (2, 20), (3, 30)]
    assert threading.current_thread().name not in threads


def test_the_reading_thread_leaves_page_deadline_alarms_to_the_caller() -> None:
    masks = []

    def pages() -> Iterator[int]:
        masks.append(signal.pthread_sigmask(signal.SIG_BLOCK, []))
        yield 1

    assert list(read_ahead(pages())) == [1]
    assert signal.SIGALRM in masks[0]
    assert signal.SIGALRM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
