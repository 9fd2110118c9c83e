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
