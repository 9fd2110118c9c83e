"""OCR stage: an engine protocol, the recognised lines it returns, and the engine settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrLine:
    """One recognised text line: its text, the polygon around it (pixels), and confidence."""

    text: str
    polygon: tuple[Point, ...]
    confidence: float
    words: tuple[tuple[str, tuple[float, float, float, float]], ...] = ()
    """The recogniser's pieces (a Chinese character, a number, a Latin word) with the boxes
    (x0, top, x1, bottom) its decoder places them in; empty when the engine gives none."""


@dataclass(frozen=True)
class BoxGeometry:
    """How an engine's line boxes and piece positions relate to the printed type: layout
    reads type size and spaces off them (``layout.ocr_lines``, ``layout.glyphs``), so each
    engine declares its own (``ocr.registry.EngineSpec.geometry``)."""

    box_to_em: float
    """A box's height times this is the type size, where a line is too short to read it off
    its width (detectors draw boxes larger than the glyphs they hold)."""
    wide_space: float
    """Between Chinese pieces, a gap this many ems wider than the line's usual one is a space
    (the gap after a run-in headline); the engine's positions are estimates."""
    latin_space: float
    """Between two Latin words, a gap of this many ems is a space."""


@dataclass(frozen=True)
class OcrOptions:
    """Engine settings. Defaults were tuned on 300 dpi pages with benchmarks/bench_ocr.py --sweep:
    detection at 960 px was 0.78-0.87x the time of 1280 px at the same error rate.

    Generic settings (engine, device, threads, model folders) are read by every engine that
    has a use for them; each engine's own settings come from its config section
    ``[ocr.<engine>]`` (``sections``), which the engine checks against its options model.
    """

    engine: str = "onnx"
    """A registered engine's name (``ocr.registry``: "onnx", "paddleocr", "null", or any
    package's through the ``bulletin_ocr.engines`` entry points), or "module:factory" for
    an engine of your own (called with these options)."""
    device: str = "cpu"
    """"cpu", "cuda" or "cuda:N" (the N-th GPU)."""
    det_model_dir: Path | None = None
    rec_model_dir: Path | None = None
    det_limit_side_len: int = 0
    """Detection runs on the page scaled so its long side is at most this many pixels; 0 (the
    default) chooses that size per page from the height of its characters (see
    ``ocr.paddle.DETECTION_CHARACTER_PX``)."""
    rec_batch_size: int = 2
    """Text lines per recogniser run. Two measured a quarter less CPU than eight on dense pages
    (each run's buffers stay in cache) at the same error rate; one read a few lines worse."""
    threads: int = 0
    """onnxruntime intra-op threads; 0 lets onnxruntime use every core."""
    sections: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    """The config file's engine sections: (engine name, its keys and values as sorted pairs),
    sorted by name. An engine reads only its own."""

    def section(self, name: str) -> dict[str, Any]:
        """The settings of ``[ocr.<name>]`` (empty when the file has none)."""
        return dict(dict(self.sections).get(name, ()))


class OcrEngine(Protocol):
    """What the pipeline needs from a recogniser: lines of a page image, and its provenance."""

    def recognise(self, image: Any) -> list[OcrLine]: ...

    def describe(self) -> list[str]:
        """One line per model or library, with versions, for the TEI header."""
        ...
