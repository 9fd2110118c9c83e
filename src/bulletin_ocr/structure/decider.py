"""Which decider reads a document's lines: the rules (``blocks``) or the trained labeller.

``DEFAULTS`` is the one switch: per input kind, the decider that measured better on fresh
generated bulletins (benchmarks/README.md, "Rules against the labeller"). The other stays as
the benchmark's baseline: ``forced`` makes every document use one decider (``bench_structure
--decider``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from bulletin_ocr.structure.features import InputKind

Decider = Literal["rules", "crf"]

DEFAULTS: dict[InputKind, Decider] = {
    InputKind.RAW_TEXT: "rules",
    InputKind.PDF_TEXT_LAYER: "rules",
    InputKind.SCAN: "rules",
}

_forced: list[Decider] = []


def decider_for(kind: InputKind) -> Decider:
    """The decider for documents of ``kind``: the forced one, else the default."""
    return _forced[-1] if _forced else DEFAULTS[kind]


@contextmanager
def forced(decider: Decider) -> Iterator[None]:
    """Every document recognised inside the block uses ``decider``."""
    _forced.append(decider)
    try:
        yield
    finally:
        _forced.pop()
