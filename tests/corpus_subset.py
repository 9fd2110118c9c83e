"""The fixed subset of generated bulletins that the tests use, made once per test session.

``SUBSET`` was chosen (greedy set cover over seeds 1-3000) so that every value of every key of
``samples.corpus.variants.VARIANTS`` appears in at least one of its bulletins;
``tests/test_corpus.py`` asserts that it still does. ``RAW_EXACT`` are the bulletins whose
structure a raw extraction can show in full: none has a run-in headline set with no gap (in
raw text only the typeface marked it) or a paragraph whose last line is full (nothing shows
where the next one starts); ``tests/test_corpus.py`` checks that too. ``SCANNED`` get a
degraded scan (one colour JPEG PDF, one 1-bit TIFF in two columns).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from samples.corpus.generate import Bulletin, generate, write
from samples.corpus.scan import make_scan

SUBSET = (1, 3, 10, 24, 395, 1161, 2211)
RAW_EXACT = (1, 10, 24, 1161)
SCANNED = (1, 395)


@cache
def folder() -> Path:
    path = Path(tempfile.mkdtemp(prefix="corpus-subset-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@cache
def bulletin(seed: int) -> Bulletin:
    """Bulletin ``seed``, generated (and checked) once, its files written to ``folder()``."""
    made = generate(seed)
    write(made, folder())
    return made


@cache
def scan_file(seed: int) -> Path:
    """The degraded scan of bulletin ``seed`` (its truth gains the scan's parameters)."""
    made = bulletin(seed)
    data, ext, params = make_scan(made.pdf, seed)
    path = folder() / f"{made.name}-scan.{ext}"
    path.write_bytes(data)
    made.truth["scan"] = {"file": path.name, **params}
    return path


def path_of(seed: int, suffix: str) -> Path:
    """The ``.txt`` or ``.pdf`` of bulletin ``seed``."""
    return folder() / f"{bulletin(seed).name}{suffix}"
