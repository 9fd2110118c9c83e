"""The default engine "onnx": PP-OCR models on onnxruntime, read as PaddleOCR reads them."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.ocr import BoxGeometry, OcrLine, OcrOptions
from bulletin_ocr.ocr.models import ResolvedModel, default_models, package_version, user_model

# get_engine lives in the registry; it is named here too for callers written before it.
from bulletin_ocr.ocr.registry import (
    EngineSettings,
    EngineSpec,
    engine_options,
    get_engine,
    parse_device,
)

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bulletin_ocr.ocr.detection import DetectionSettings
    from bulletin_ocr.ocr.recognition import Decoded, RecognitionSettings

# onnxruntime's memory arena keeps the largest buffers for good: without it a worker peaked at
# 0.8-1.0 GB instead of 1.2-1.3 GB on 300-dpi pages. With recognition in runs of two lines it
# measured 3-4 % faster on dense pages (within the noise of a shared machine): not worth it.
MEMORY_ARENA = False
# Characters this many pixels tall at detection size: measured on dense 16-pt pages, detection
# at 19 px characters (1120 px long side) read them better than at 16 px (960 px, the former
# fixed size) for the same total time, and at 13 px (768 px) lines began to break up.
DETECTION_CHARACTER_PX = 19.0
# Bounds of the detection size (long side) chosen from the characters, and the size used when
# a page shows no text to measure.
DETECTION_SIDE_RANGE = (640, 2560)
DETECTION_SIDE_FALLBACK = 960

# PaddleOCR keyword arguments this engine's config section [ocr.onnx] may set, and the
# setting each one is.
_DETECTION_KEYWORDS = {
    "text_det_limit_side_len": "limit_side_len",
    "text_det_limit_type": "limit_type",
    "text_det_max_side_limit": "max_side_limit",
    "text_det_thresh": "thresh",
    "text_det_box_thresh": "box_thresh",
    "text_det_unclip_ratio": "unclip_ratio",
}
_RECOGNITION_KEYWORDS = {
    "text_recognition_batch_size": "batch_size",
    "text_rec_score_thresh": "score_thresh",
}

_FRACTION = "a number from 0 to 1"


class OnnxSettings(EngineSettings):
    """[ocr.onnx]: PaddleOCR's own names for the detection and recognition settings this
    engine honours (the same keys as the paddleocr engine's section)."""

    text_det_limit_side_len: int | None = Field(
        None, ge=32, le=8000, description="an integer from 32 to 8000")
    text_det_limit_type: Literal["min", "max"] | None = Field(None, description='"min" or "max"')
    text_det_max_side_limit: int | None = Field(
        None, ge=32, le=100_000, description="an integer from 32 to 100000")
    text_det_thresh: float | None = Field(None, ge=0, le=1, description=_FRACTION)
    text_det_box_thresh: float | None = Field(None, ge=0, le=1, description=_FRACTION)
    text_det_unclip_ratio: float | None = Field(
        None, gt=0, le=10, description="a number above 0, at most 10")
    text_recognition_batch_size: int | None = Field(
        None, ge=1, le=256, description="an integer from 1 to 256")
    text_rec_score_thresh: float | None = Field(None, ge=0, le=1, description=_FRACTION)

    def keywords(self) -> dict[str, Any]:
        """The settings given, by their PaddleOCR names."""
        return self.model_dump(exclude_none=True)


# Lines per recogniser run on a GPU, where the default of two (chosen for CPU caches)
# leaves the device idle between small runs. Not measured here: no GPU was lent.
GPU_REC_BATCH_SIZE = 16


class PaddleEngine:
    """PaddleOCR's PP-OCR models run directly on onnxruntime, with PaddleOCR's own pre- and
    post-processing (``ocr.detection``, ``ocr.recognition``).

    Measured on dense 300-dpi pages (benchmarks/README.md): the PaddleX pipeline spent about a
    fifth of a page's time outside the models, and its recogniser ran one batch at a time on
    two spinning threads; here batches run side by side, one core each, without spinning.
    """

    def __init__(self, options: OcrOptions, settings: OnnxSettings | None = None) -> None:
        from bulletin_ocr.ocr.detection import DetectionSettings

        self.options = options
        self._busy = threading.Lock()
        self.models = resolve_models(options)
        self.workers = options.threads or _cores()
        det, rec = self.models["detection"], self.models["recognition"]
        if settings is None:
            settings = engine_options(ENGINE, options)
        extra = settings.keywords()
        self.device = parse_device(options.device)
        gpu = self.device[0] == "cuda"
        # A PaddleOCR keyword wins over our own option for the same setting (it is the more
        # specific of the two); one dict, so a setting is never given twice.
        self.detection = replace(_detection_settings(det), **{
            "limit_side_len": options.det_limit_side_len or DETECTION_SIDE_FALLBACK,
            **{_DETECTION_KEYWORDS[k]: v for k, v in extra.items() if k in _DETECTION_KEYWORDS},
        })
        # Detection is one large run: it gets every core. Recognition is many small runs:
        # one core each, several at a time, which measured a quarter less CPU than two
        # threads sharing each run (their synchronisation and spinning cost more than it gave).
        self._det_session = _session(det.onnx_file(), self.workers, self.device)
        self._rec_session = _session(rec.onnx_file(), 1, self.device)
        batch_size = options.rec_batch_size
        if gpu and batch_size == OcrOptions.rec_batch_size:  # the CPU's default: not chosen
            batch_size = GPU_REC_BATCH_SIZE
        self.recognition: RecognitionSettings = replace(
            _recognition_settings(rec, self._rec_session), **{
                "batch_size": batch_size,
                **{_RECOGNITION_KEYWORDS[k]: v for k, v in extra.items()
                   if k in _RECOGNITION_KEYWORDS},
            })
        assert isinstance(self.detection, DetectionSettings)
        self._size_from_characters = not (
            options.det_limit_side_len or "text_det_limit_side_len" in extra
        )
        self._pool: Any = None
        _log.info(
            "Loaded models: %s (%s), %s (%s) on %s",
            det.name, det.onnx_file(), rec.name, rec.onnx_file(),
            options.device if gpu else f"{self.workers} core(s)",
        )
        if options.threads:
            import cv2

            # Preprocessing shares the same cores: parallel workers must not oversubscribe.
            cv2.setNumThreads(options.threads)
        self.last_timings: dict[str, float] = {}
        """Seconds the last page spent in detection and recognition (for benchmarks)."""

    def recognise(self, image: Any) -> list[OcrLine]:
        """Text lines of one page image (a BGR or grayscale uint8 array)."""
        with self._busy:  # one page at a time through one engine, whatever the threads
            return self._recognise(image)

    def _recognise(self, image: Any) -> list[OcrLine]:
        import time

        import cv2

        # The models read RGB. A grayscale page stays one channel until the model input:
        # every step before works channel by channel, so the result is the same, for a third
        # of the work.
        page = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        from bulletin_ocr.ocr.detection import sort_by_corner
        from bulletin_ocr.ocr.lone_glyphs import lone_glyphs

        started = time.perf_counter()
        quads, weak = self._detect(page)
        detected = time.perf_counter()
        # The weak candidates are read in batches of their own: a batch pads its lines to its
        # widest, and the padding moves what the recogniser reads on the others.
        ours, theirs = self._read(page, quads), self._read(page, weak)
        self.last_timings = {
            "detection": detected - started, "recognition": time.perf_counter() - detected,
        }
        lines = [self._line(quad, result) for quad, result in zip(quads, ours, strict=True)]
        kept = [line for line in lines if line is not None]  # in the detector's reading order
        candidates = (self._line(quad, result) for quad, result in zip(weak, theirs, strict=True))
        alone = lone_glyphs(kept, [line for line in candidates if line is not None])
        if not alone:
            return kept
        return sort_by_corner([*kept, *alone], lambda line: line.polygon[0])

    def _detect(self, page: Any) -> tuple[list[Any], list[Any]]:
        from bulletin_ocr.ocr.detection import detect_with_weak

        settings = self.detection
        if self._size_from_characters:
            settings = replace(settings, limit_side_len=detection_side(page))
        return detect_with_weak(self._det_session, page, settings)

    def _read(self, page: Any, quads: list[Any]) -> list[Decoded | None]:
        """What the recogniser reads in each quad (None where the crop is empty): lines of
        similar aspect ratio batched together, the batches run side by side."""
        from bulletin_ocr.ocr.recognition import batches, crop_line, run_batch

        crops = [crop_line(page, quad) for quad in quads]
        kept = [index for index, crop in enumerate(crops) if crop.size]
        ratios = [crops[i].shape[1] / crops[i].shape[0] for i in kept]
        size = self.recognition.batch_size
        groups = [[kept[i] for i in group] for group in batches(ratios, size)]

        def read(group: list[int]) -> list[Decoded]:
            return run_batch(self._run_recogniser, [crops[i] for i in group], self.recognition)

        decoded: list[Decoded | None] = [None] * len(quads)
        for group, results in zip(groups, self._map(read, groups), strict=True):
            for index, result in zip(group, results, strict=True):
                decoded[index] = result
        return decoded

    def _line(self, quad: Any, result: Decoded | None) -> OcrLine | None:
        """The recognised line, with its word boxes when they spell it exactly."""
        from bulletin_ocr.ocr.recognition import word_boxes

        if result is None or result.score < self.recognition.score_thresh:
            return None
        if not result.text.strip():
            return None
        points = tuple((float(x), float(y)) for x, y in quad)
        located = tuple(word_boxes(result, quad))
        if "".join(piece for piece, _ in located) != result.text:
            located = ()  # the pieces must spell the line exactly, or we cannot use them
        return OcrLine(result.text, points, result.score, located)

    def _run_recogniser(self, tensor: Any) -> Any:
        name = self._rec_session.get_inputs()[0].name
        return self._rec_session.run(None, {name: tensor})[0]

    def _map(self, function: Any, items: list[Any]) -> list[Any]:
        """``function`` over ``items`` on the engine's threads (in order)."""
        if self.workers <= 1 or len(items) <= 1:
            return [function(item) for item in items]
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
        return list(self._pool.map(function, items))

    def describe(self) -> list[str]:
        described = [f"onnxruntime {package_version('onnxruntime')}"]
        for model in self.models.values():
            checksum = f", sha256 {model.sha256}" if model.sha256 else ""
            described.append(f"{model.name} {model.version} ({model.role}{checksum})")
        return described


def resolve_models(options: OcrOptions) -> dict[str, ResolvedModel]:
    models: dict[str, ResolvedModel] = {}
    if options.det_model_dir is None or options.rec_model_dir is None:
        models = default_models()
    if options.det_model_dir is not None:
        models["detection"] = user_model(options.det_model_dir, "detection")
    if options.rec_model_dir is not None:
        models["recognition"] = user_model(options.rec_model_dir, "recognition")
    return models


def detection_side(page: Any) -> int:
    """The long side to detect text at, so that the page's characters come out
    DETECTION_CHARACTER_PX tall: small type keeps its resolution, large type costs less."""
    import cv2

    from bulletin_ocr.preprocess.binarize import character_size, text_mask

    gray = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    mask, scale = text_mask(gray)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    character = character_size(stats) / scale
    if character <= 0:
        return DETECTION_SIDE_FALLBACK
    low, high = DETECTION_SIDE_RANGE
    side = max(gray.shape[:2]) * DETECTION_CHARACTER_PX / character
    return int(min(high, max(low, side)))


def _cores() -> int:
    """Cores this process may run on (a batch worker may be pinned to fewer than the machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _onnxruntime() -> Any:
    try:
        import onnxruntime
    except ImportError as error:
        raise MissingDependencyError(
            "onnxruntime", f"cannot import onnxruntime ({error}); pip install onnxruntime"
        ) from error
    return onnxruntime


CUDA_PROVIDER = "CUDAExecutionProvider"
_NO_CUDA = ("onnxruntime {version} has no CUDA execution provider; install the gpu extra "
            "(pip uninstall onnxruntime; pip install 'bulletin-ocr[gpu]') or use --device cpu")


def check_device(device: str) -> None:
    """Raise MissingDependencyError unless onnxruntime can run on ``device`` (exit 3)."""
    kind, _ = parse_device(device)
    if kind == "cpu":
        return
    onnxruntime = _onnxruntime()
    if CUDA_PROVIDER not in onnxruntime.get_available_providers():
        version = package_version("onnxruntime")
        raise MissingDependencyError(f"--device {device}", _NO_CUDA.format(version=version))


def _session(weights: Any, threads: int, device: tuple[str, int] = ("cpu", 0)) -> Any:
    """An onnxruntime session for the model file ``weights`` on ``threads`` cores, or on the
    GPU ``device`` names (never silently on the CPU instead)."""
    onnxruntime = _onnxruntime()
    # An offline archive tool queues no usage events for anyone.
    onnxruntime.disable_telemetry_events()
    # onnxruntime's native warnings go straight to stderr, past Python's logging and
    # --quiet: only errors through (a failure also raises in Python).
    onnxruntime.set_default_logger_severity(3)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Spinning threads burn a core while waiting for work; on a machine shared with other
    # workers (or other programs) that time is taken from them.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.enable_cpu_mem_arena = MEMORY_ARENA
    kind, index = device
    providers: list[Any] = ["CPUExecutionProvider"]
    if kind == "cuda":
        check_device(f"cuda:{index}")
        providers.insert(0, (CUDA_PROVIDER, {"device_id": index}))
    session = onnxruntime.InferenceSession(
        str(weights), sess_options=options, providers=providers
    )
    # onnxruntime falls back to the CPU, with a warning only, when the GPU cannot be used
    # (no such device, a CUDA library missing): a --device cuda run must not quietly be slow.
    if kind == "cuda" and CUDA_PROVIDER not in session.get_providers():
        raise MissingDependencyError(
            f"--device cuda:{index}",
            "onnxruntime could not start its CUDA execution provider on this GPU "
            "(no such device, or CUDA/cuDNN libraries missing); use --device cpu",
        )
    return session


def _detection_settings(model: ResolvedModel) -> DetectionSettings:
    """The detector's settings from its inference.yml (normalisation, DB thresholds)."""
    from bulletin_ocr.ocr.detection import DetectionSettings

    config = model.config()
    settings = DetectionSettings()
    for op in config.get("PreProcess", {}).get("transform_ops", []):
        normalise = op.get("NormalizeImage") if isinstance(op, dict) else None
        if normalise:
            scale = normalise.get("scale", settings.scale)
            settings = replace(
                settings,
                mean=tuple(normalise.get("mean", settings.mean)),
                std=tuple(normalise.get("std", settings.std)),
                scale=_number(scale),
            )
    post = config.get("PostProcess", {})
    return replace(
        settings,
        max_candidates=int(post.get("max_candidates", settings.max_candidates)),
    )


def _recognition_settings(model: ResolvedModel, session: Any) -> RecognitionSettings:
    """The recogniser's input shape and character list from its inference.yml (or, where the
    manifest says so, the characters from the model file's own metadata)."""
    from bulletin_ocr.ocr.recognition import RecognitionSettings, characters_from_dict

    config = model.config()
    shape = (3, 48, 320)
    for op in config.get("PreProcess", {}).get("transform_ops", []):
        if isinstance(op, dict) and op.get("RecResizeImg"):
            shape = tuple(op["RecResizeImg"]["image_shape"])
    characters = config.get("PostProcess", {}).get("character_dict")
    if not characters and model.character_key:
        listed = session.get_modelmeta().custom_metadata_map.get(model.character_key)
        characters = listed.split("\n") if listed else None
    if not characters:
        raise MissingDependencyError(str(model.directory), "inference.yml lists no characters")
    return RecognitionSettings(characters_from_dict(characters), shape)


def _number(value: Any) -> float:
    """A number from inference.yml, where PaddleOCR writes scales as "1./255."."""
    if isinstance(value, str):
        numerator, _, denominator = value.partition("/")
        return float(numerator) / float(denominator or 1)
    return float(value)


def _create(options: OcrOptions, settings: OnnxSettings) -> PaddleEngine:
    return PaddleEngine(options, settings)


ENGINE = EngineSpec(
    name="onnx",
    summary="PP-OCR models on onnxruntime with PaddleOCR's processing (the default)",
    options=OnnxSettings,
    create=_create,
    # Measured on PP-OCR's DB boxes (grown by the unclip ratio, 1.5) and on the positions its
    # CTC decoder gives each piece, a few tenths of an em either way.
    geometry=BoxGeometry(box_to_em=0.75, wide_space=1.1, latin_space=0.3),
    check_device=lambda options, _settings: check_device(options.device),
)

__all__ = ["ENGINE", "OnnxSettings", "PaddleEngine", "get_engine"]
