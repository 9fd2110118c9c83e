"""The "paddleocr" engine: the official PaddleOCR pipeline (``pip install
'bulletin-ocr[paddleocr]'``), run offline on the manifest's models or on your own.

PaddleOCR is always given model folders, never model names: its default names download
weights from model hosts. Folders holding ``inference.onnx`` (the manifest's, assembled from
the installed rapidocr wheel) run on PaddleOCR's ``engine="onnxruntime"``, without
PaddlePaddle; Paddle-format folders (``inference.json`` / ``inference.pdmodel``) run on
PaddlePaddle, which you install yourself (its GPU build for ``--device cuda``).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Literal

from pydantic import Field, model_validator

from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.ocr import OcrLine, OcrOptions
from bulletin_ocr.ocr.models import ResolvedModel, package_version
from bulletin_ocr.ocr.paddle import ENGINE as ONNX_ENGINE
from bulletin_ocr.ocr.paddle import OnnxSettings, check_device, detection_side, resolve_models
from bulletin_ocr.ocr.registry import EngineSpec, parse_device

_NO_PADDLE = ("Paddle-format model folders need PaddlePaddle: pip install paddlepaddle "
              "(paddlepaddle-gpu for --device cuda)")
_INSTALL = "pip install 'bulletin-ocr[paddleocr]' (best in a virtual environment of its own)"


# The settings PaddleOCR.predict takes (text_recognition_batch_size goes to the constructor).
_PREDICT_KEYWORDS = frozenset({
    "text_det_limit_side_len", "text_det_limit_type", "text_det_thresh", "text_det_box_thresh",
    "text_det_unclip_ratio", "text_rec_score_thresh",
})

# Which folder each page-level model switched on needs.
_MODEL_DIRS = {
    "use_doc_orientation_classify": "doc_orientation_classify_model_dir",
    "use_doc_unwarping": "doc_unwarping_model_dir",
    "use_textline_orientation": "textline_orientation_model_dir",
}


class PaddleOcrSettings(OnnxSettings):
    """[ocr.paddleocr]: PaddleOCR's own keyword arguments. The page-level models stay off
    unless asked, and each one asked for needs its folder (its default name downloads)."""

    use_doc_orientation_classify: bool = Field(False, description="true or false")
    doc_orientation_classify_model_dir: str | None = Field(
        None, description="a directory path (a string)")
    use_doc_unwarping: bool = Field(False, description="true or false")
    doc_unwarping_model_dir: str | None = Field(None, description="a directory path (a string)")
    use_textline_orientation: bool = Field(False, description="true or false")
    textline_orientation_model_dir: str | None = Field(
        None, description="a directory path (a string)")
    inference_engine: Literal["onnxruntime", "paddle"] | None = Field(
        None, description='"onnxruntime" or "paddle" (default: onnxruntime for folders with '
        "inference.onnx, else paddle)")

    @model_validator(mode="after")
    def _folders_for_switches(self) -> PaddleOcrSettings:
        if self.text_det_max_side_limit is not None:
            raise ValueError("text_det_max_side_limit is not a setting of PaddleOCR 3.7's "
                             "pipeline; use text_det_limit_side_len")
        for switch, folder in _MODEL_DIRS.items():
            if getattr(self, switch) and not getattr(self, folder):
                raise ValueError(
                    f"{switch} needs {folder} (PaddleOCR would download its default model)"
                )
        return self


class PaddleOcrEngine:
    """PaddleOCR 3's ``PaddleOCR`` pipeline behind the OcrEngine protocol."""

    def __init__(self, options: OcrOptions, settings: PaddleOcrSettings) -> None:
        self.options = options
        self.settings = settings
        self.models = resolve_models(options)
        self.inference_engine = settings.inference_engine or _inference_engine(self.models)
        self._busy = threading.Lock()
        self._pipeline = _pipeline(options, settings, self.models, self.inference_engine)
        self._predict = {
            key: value for key, value in settings.keywords().items() if key in _PREDICT_KEYWORDS
        }
        # Detection at the size our own engine chooses from the characters, unless the
        # section sets one: PaddleOCR's default (the page's short side at least 736 px, i.e.
        # full resolution) took twice the time and dropped whole lines on 300-dpi pages.
        self._size_from_characters = not (
            options.det_limit_side_len or "text_det_limit_side_len" in self._predict
        )
        if options.det_limit_side_len and "text_det_limit_side_len" not in self._predict:
            self._predict.update(text_det_limit_side_len=options.det_limit_side_len,
                                 text_det_limit_type="max")

    def recognise(self, image: Any) -> list[OcrLine]:
        """Text lines of one page image (a BGR or grayscale uint8 array)."""
        import cv2

        page = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
        keywords = dict(self._predict)
        if self._size_from_characters:
            keywords.update(text_det_limit_side_len=detection_side(page),
                            text_det_limit_type="max")
        with self._busy:  # one page at a time through one pipeline
            results = self._pipeline.predict(page, return_word_box=True, **keywords)
        return [line for result in results for line in lines_of(result)]

    def describe(self) -> list[str]:
        described = [f"paddleocr {package_version('paddleocr')} "
                     f"({self.inference_engine} on {self.options.device})"]
        for model in self.models.values():
            checksum = f", sha256 {model.sha256}" if model.sha256 else ""
            described.append(f"{model.name} {model.version} ({model.role}{checksum})")
        return described


def lines_of(result: Any) -> list[OcrLine]:
    """PaddleOCR's result for one page as OcrLines, with each line's pieces where
    ``return_word_box`` placed them and they spell the line exactly."""
    texts = list(result["rec_texts"])
    scores = list(result["rec_scores"])
    polygons = list(result["rec_polys"])
    pieces = list(result.get("text_word") or [[] for _ in texts])
    boxes = list(result.get("text_word_boxes") or [[] for _ in texts])
    lines = []
    for text, score, polygon, words, places in zip(
        texts, scores, polygons, pieces, boxes, strict=True
    ):
        if not text.strip():
            continue
        located = tuple(
            (str(word), (float(x0), float(top), float(x1), float(bottom)))
            for word, (x0, top, x1, bottom) in zip(words, places, strict=False)
        )
        if "".join(word for word, _ in located) != text:
            located = ()
        points = tuple((float(x), float(y)) for x, y in polygon)
        lines.append(OcrLine(str(text), points, float(score), located))
    return lines


def _inference_engine(models: dict[str, ResolvedModel]) -> str:
    """onnxruntime when every folder has ONNX weights, else PaddlePaddle."""
    onnx = all((model.directory / "inference.onnx").is_file() for model in models.values())
    return "onnxruntime" if onnx else "paddle"


def _pipeline(
    options: OcrOptions, settings: PaddleOcrSettings, models: dict[str, ResolvedModel],
    inference_engine: str,
) -> Any:
    # Set before PaddleX is imported: otherwise it probes model hosts on the network.
    os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
    try:
        from paddleocr import PaddleOCR
    except ImportError as error:
        raise MissingDependencyError(
            "--engine paddleocr", f"cannot import paddleocr ({error}); {_INSTALL}"
        ) from error
    _route_logs()
    if inference_engine == "paddle":
        _require_paddle()
    folders = {
        "text_detection_model_dir": str(models["detection"].directory),
        "text_recognition_model_dir": str(models["recognition"].directory),
        # PaddleX reads a model's name from its inference.yml; give it, so that it never
        # falls back to a default name (which would download).
        "text_detection_model_name": models["detection"].name,
        "text_recognition_model_name": models["recognition"].name,
    }
    switches = settings.model_dump(include=set(_MODEL_DIRS) | set(_MODEL_DIRS.values()),
                                   exclude_none=True)
    kind, index = parse_device(options.device)
    keywords: dict[str, Any] = {
        **folders, **switches,
        "engine": inference_engine,
        "device": "cpu" if kind == "cpu" else f"gpu:{index}",
    }
    if settings.text_recognition_batch_size:
        keywords["text_recognition_batch_size"] = settings.text_recognition_batch_size
    if options.threads:
        if inference_engine == "onnxruntime":
            keywords["engine_config"] = {"intra_op_num_threads": options.threads}
        else:
            keywords["cpu_threads"] = options.threads
    try:
        return PaddleOCR(**keywords)
    except Exception as error:  # PaddleX raises plain exceptions for every kind of problem
        raise MissingDependencyError(
            "--engine paddleocr", f"PaddleOCR could not load the models ({error})"
        ) from error


def _route_logs() -> None:
    """PaddleX and PaddleOCR write to the terminal through handlers of their own, past
    --quiet: their records go to ours instead (the terminal only with --verbose)."""
    import logging

    for name in ("paddlex", "paddleocr"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def _require_paddle() -> Any:
    try:
        import paddle
    except ImportError as error:
        raise MissingDependencyError("--engine paddleocr", _NO_PADDLE) from error
    return paddle


def _check_device(options: OcrOptions, settings: PaddleOcrSettings) -> None:
    """PaddlePaddle is there when the model folders call for it, and the device is usable
    by the inference engine they run on."""
    kind, index = parse_device(options.device)
    engine = settings.inference_engine or _inference_engine(resolve_models(options))
    if engine == "onnxruntime":
        check_device(options.device)
        return
    from importlib.util import find_spec

    if find_spec("paddle") is None:  # not imported here: the check must stay cheap
        raise MissingDependencyError("--engine paddleocr", _NO_PADDLE)
    if kind == "cpu":
        return
    paddle = _require_paddle()
    if not paddle.is_compiled_with_cuda() or paddle.device.cuda.device_count() <= index:
        raise MissingDependencyError(
            f"--device {options.device}",
            f"PaddlePaddle {package_version('paddlepaddle')} has no CUDA device {index} "
            "(install paddlepaddle-gpu on a machine with that GPU) or use --device cpu",
        )


def _create(options: OcrOptions, settings: PaddleOcrSettings) -> PaddleOcrEngine:
    return PaddleOcrEngine(options, settings)


ENGINE = EngineSpec(
    name="paddleocr",
    summary="the official PaddleOCR pipeline (an extra), on onnxruntime or PaddlePaddle",
    options=PaddleOcrSettings,
    create=_create,
    # The same DB detector and CTC decoder as the onnx engine: the same boxes and positions.
    geometry=ONNX_ENGINE.geometry,
    requires=("paddleocr",),
    install=_INSTALL,
    check_device=_check_device,
)
