"""PaddleOCR through its onnxruntime engine: created once per process, reused for every page."""

from __future__ import annotations

import os
import threading
from typing import Any

from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.ocr import OcrEngine, OcrLine, OcrOptions
from bulletin_ocr.ocr.models import ResolvedModel, default_models, package_version, user_model

_ENGINES: dict[OcrOptions, OcrEngine] = {}
_CREATING = threading.Lock()


def get_engine(options: OcrOptions) -> OcrEngine:
    """The process's engine for ``options``: model loading happens only the first time.

    ``options.engine`` "paddle" is PaddleOCR; "module:factory" names an engine of your own
    (the factory is called with the options and must return an OcrEngine).
    """
    with _CREATING:  # Dask runs tasks in threads: one engine per process all the same
        engine = _ENGINES.get(options)
        if engine is None:
            engine = PaddleEngine(options) if options.engine == "paddle" else _plugin(options)
            _ENGINES[options] = engine
    return engine


def _plugin(options: OcrOptions) -> OcrEngine:
    import importlib

    module_name, _, attribute = options.engine.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise MissingDependencyError(
            options.engine, f"cannot load OCR engine ({error}); use 'paddle' or 'module:factory'"
        ) from error
    engine: OcrEngine = factory(options)
    return engine


class PaddleEngine:
    def __init__(self, options: OcrOptions) -> None:
        self.options = options
        self._busy = threading.Lock()
        self.models = _resolve(options)
        # PaddleX would otherwise probe model hosts at start-up; we never download anything.
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            import onnxruntime
            from paddleocr import PaddleOCR
        except ImportError as error:
            raise MissingDependencyError(
                "paddleocr", f"cannot import paddleocr ({error}); pip install paddleocr"
            ) from error
        # An offline archive tool queues no usage events for anyone.
        onnxruntime.disable_telemetry_events()
        # onnxruntime's native warnings go straight to stderr, past Python's logging and
        # --quiet: only errors through (a failure also raises in Python).
        onnxruntime.set_default_logger_severity(3)
        # onnxruntime's memory arena keeps the largest buffers for good: without it a worker
        # peaked at 0.8-1.0 GB instead of 1.2-1.3 GB on 300-dpi pages; the cost in speed
        # measured between nothing and a quarter at 1280 px detection, nothing at 960 px.
        engine_config: dict[str, Any] = {"enable_cpu_mem_arena": False}
        if options.threads:
            engine_config["intra_op_num_threads"] = options.threads
            import cv2

            # Preprocessing shares the same cores: parallel workers must not oversubscribe.
            cv2.setNumThreads(options.threads)
        det, rec = self.models["detection"], self.models["recognition"]
        self._ocr = PaddleOCR(
            engine="onnxruntime",
            engine_config=engine_config,
            text_detection_model_name=det.name,
            text_detection_model_dir=str(det.directory),
            text_recognition_model_name=rec.name,
            text_recognition_model_dir=str(rec.directory),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_type="max",
            text_det_limit_side_len=options.det_limit_side_len,
            text_recognition_batch_size=options.rec_batch_size,
            **dict(options.extra),
        )

    def recognise(self, image: Any) -> list[OcrLine]:
        """Text lines of one page image (a BGR or grayscale uint8 array)."""
        with self._busy:  # one page at a time through one engine, whatever the threads
            return self._recognise(image)

    def _recognise(self, image: Any) -> list[OcrLine]:
        if image.ndim == 2:
            import cv2

            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        # Word boxes cost nothing extra and show the gap after a run-in headline, which the
        # detector usually keeps inside one line box.
        result = self._ocr.predict(image, return_word_box=True)[0]
        words = result.get("text_word") or [()] * len(result["rec_texts"])
        boxes = result.get("text_word_boxes") or [()] * len(result["rec_texts"])
        lines = []
        for text, score, polygon, pieces, places in zip(
            result["rec_texts"], result["rec_scores"], result["rec_polys"], words, boxes,
            strict=True,
        ):
            if not text.strip():
                continue
            points = tuple((float(x), float(y)) for x, y in polygon)
            located = tuple(
                (str(piece), (float(b[0]), float(b[1]), float(b[2]), float(b[3])))
                for piece, b in zip(pieces, places, strict=False)
            )
            if "".join(piece for piece, _ in located) != text:
                located = ()  # the pieces must spell the line exactly, or we cannot use them
            lines.append(OcrLine(text, points, float(score), located))
        return lines

    def describe(self) -> list[str]:
        described = [
            f"paddleocr {package_version('paddleocr')}",
            f"onnxruntime {package_version('onnxruntime')}",
        ]
        for model in self.models.values():
            checksum = f", sha256 {model.sha256}" if model.sha256 else ""
            described.append(f"{model.name} {model.version} ({model.role}{checksum})")
        return described


def _resolve(options: OcrOptions) -> dict[str, ResolvedModel]:
    models: dict[str, ResolvedModel] = {}
    if options.det_model_dir is None or options.rec_model_dir is None:
        models = default_models()
    if options.det_model_dir is not None:
        models["detection"] = user_model(options.det_model_dir, "detection")
    if options.rec_model_dir is not None:
        models["recognition"] = user_model(options.rec_model_dir, "recognition")
    return models
