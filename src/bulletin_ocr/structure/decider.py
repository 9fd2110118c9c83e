"""Which decider reads a document's lines: the rules (``blocks``) or the trained labeller.

``DEFAULTS`` is the one switch: per input kind, the decider that measured better on fresh
generated bulletins and the real raw texts (benchmarks/README.md, "Rules against the
labeller"). The other stays as the benchmark's baseline. ``forced`` makes every document
recognised inside it use one decider (``--decider``, ``bench_structure --decider``); it holds
per thread and per task (a context variable), so conversions running side by side in one
process each keep their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Literal

from bulletin_ocr.structure.features import InputKind

Decider = Literal["rules", "crf"]
Setting = Literal["auto", "rules", "crf"]
"""What a conversion asks for: ``auto`` is ``DEFAULTS`` by input kind."""

# Plain text (raw extractions and pdftotext output): the labeller, 0.09 headline F1 above the
# rules on fresh generated raw text and 0.04 on pdftotext, equal on the real seeds and samples.
# Text-layer PDFs: the rules (1.000 both, the rules read template conventions the labeller has
# no label for). Scans: no labeller model.
DEFAULTS: dict[InputKind, Decider] = {
    InputKind.RAW_TEXT: "crf",
    InputKind.PDF_TEXT_LAYER: "rules",
    InputKind.SCAN: "rules",
}

_forced: ContextVar[Decider | None] = ContextVar("forced_decider", default=None)


def decider_for(kind: InputKind) -> Decider:
    """The decider for documents of ``kind``: the forced one, else the default."""
    return _forced.get() or DEFAULTS[kind]


@contextmanager
def forced(decider: Decider) -> Iterator[None]:
    """Every document recognised inside the block uses ``decider``."""
    token = _forced.set(decider)
    try:
        yield
    finally:
        _forced.reset(token)


def chosen(setting: str) -> AbstractContextManager[None]:
    """The block's documents use ``setting``: ``auto`` (the defaults), ``rules`` or ``crf``."""
    if setting == "auto":
        return nullcontext()
    if setting not in ("rules", "crf"):
        raise ValueError(f"unknown structure decider {setting!r}: auto, rules or crf")
    return forced(setting)  # type: ignore[arg-type]
