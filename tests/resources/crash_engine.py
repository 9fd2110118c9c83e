"""OCR engines that misbehave on purpose, to exercise the batch's failure handling.

Used as ``--ocr-engine crash_engine:aborting`` with this folder on PYTHONPATH.
"""

from __future__ import annotations

import os
import time
from typing import Any


class _Engine:
    def describe(self) -> list[str]:
        return ["test engine"]


class Aborting(_Engine):
    """Dies like a library crashing in native code would."""

    def recognise(self, image: Any) -> list[Any]:
        os.abort()


class Hanging(_Engine):
    """Takes far longer than any page should."""

    def recognise(self, image: Any) -> list[Any]:
        time.sleep(60)
        return []


def aborting(_options: Any) -> Aborting:
    return Aborting()


def hanging(_options: Any) -> Hanging:
    return Hanging()


class Stuck(_Engine):
    """Hangs where no alarm can interrupt it, as native code does."""

    def recognise(self, image: Any) -> list[Any]:
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
        return []


class Greedy(_Engine):
    """Takes memory without bound, as a decompression bomb in a library would."""

    def recognise(self, image: Any) -> list[Any]:
        hoard = []
        for _ in range(64):
            hoard.append(bytearray(64 * 2**20))
            hoard[-1][:: 4096] = b"x" * len(hoard[-1][:: 4096])  # touch every page
            time.sleep(0.05)
        return []


def stuck(_options: Any) -> Stuck:
    return Stuck()


def greedy(_options: Any) -> Greedy:
    return Greedy()


class DarkAborting(_Engine):
    """Reads nothing on a light page and dies on a black one: a crash on one page of many."""

    def recognise(self, image: Any) -> list[Any]:
        if float(image.mean()) < 64:
            os.abort()
        return []


def dark_aborting(_options: Any) -> DarkAborting:
    return DarkAborting()


class Slow(_Engine):
    """Reads one fixed line after a pause, and notes each page it reads.

    The pause is ``BULLETIN_OCR_TEST_SECONDS`` (default 1); each call appends the page's
    checksum to the file ``BULLETIN_OCR_TEST_COUNT`` names, so a test can count how often
    each input was converted, in whichever process and on whichever worker.
    """

    def recognise(self, image: Any) -> list[Any]:
        import hashlib

        from bulletin_ocr.ocr import OcrLine

        time.sleep(float(os.environ.get("BULLETIN_OCR_TEST_SECONDS", "1")))
        count = os.environ.get("BULLETIN_OCR_TEST_COUNT")
        if count:
            with open(count, "a", encoding="ascii") as notes:
                notes.write(hashlib.sha256(image.tobytes()).hexdigest() + "\n")
        height, width = image.shape[:2]
        box = ((width * 0.1, height * 0.1), (width * 0.9, height * 0.1),
               (width * 0.9, height * 0.15), (width * 0.1, height * 0.15))
        return [OcrLine("青河区召开一季度重点工作推进会。", box, 0.99)]


def slow(_options: Any) -> Slow:
    return Slow()
