"""Run a conversion under a deadline in a test, so that a hang fails the test instead of CI."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from bulletin_ocr.api import convert
from bulletin_ocr.errors import BulletinOcrError
from bulletin_ocr.model import Document


def convert_within(path: Path, seconds: float, **options: Any) -> Document | BulletinOcrError:
    """The Document, or the one BulletinOcrError, that converting ``path`` gives.

    Fails the test when the conversion is still running after ``seconds`` (its daemon thread
    is left behind and dies with the test process) or raises anything else.
    """
    outcome: list[Document | BaseException] = []

    def run() -> None:
        try:
            outcome.append(convert(path, **options))
        except BaseException as error:  # reported below, whatever it is
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True, name=f"convert {path.name}")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"{path.name}: still converting after {seconds:g} s (a hang)")
    result = outcome[0]
    if isinstance(result, BaseException) and not isinstance(result, BulletinOcrError):
        raise AssertionError(f"{path.name}: {type(result).__name__}, not a clear error") from result
    return result


def text_of(document: Document) -> str:
    return "\n".join(line.text for page in document.pages for line in page.lines)
