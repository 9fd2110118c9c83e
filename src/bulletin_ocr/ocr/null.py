"""The "null" engine: reads no text, loads nothing; for tests of everything around OCR."""

from __future__ import annotations

from typing import Any

from bulletin_ocr.ocr import BoxGeometry, OcrLine, OcrOptions
from bulletin_ocr.ocr.registry import EngineSettings, EngineSpec


class NullSettings(EngineSettings):
    """[ocr.null]: no settings."""


class NullEngine:
    """Every page is blank to it."""

    def recognise(self, image: Any) -> list[OcrLine]:
        return []

    def describe(self) -> list[str]:
        return ["null OCR engine (reads no text)"]


def _create(_options: OcrOptions, _settings: NullSettings) -> NullEngine:
    return NullEngine()


ENGINE = EngineSpec(
    name="null",
    summary="reads no text (for tests)",
    options=NullSettings,
    create=_create,
    geometry=BoxGeometry(box_to_em=1.0, wide_space=1.0, latin_space=0.3),
)
