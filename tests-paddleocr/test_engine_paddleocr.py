"""--engine paddleocr: the official PaddleOCR pipeline converts the sample scans and dense pages
with the network blocked, and reads what the default engine reads.

Runs in the paddleocr extra's own environment (``make test-paddleocr``; CI runs it as a step of
its own): the default environment has no paddle packages (tests/test_dependencies.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.dense_pages import dense_pages

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples" / "scans"
AGREEMENT = 0.995
DENSE_PAGES = 3

# Loaded by every Python process of the conversion (it is first on PYTHONPATH): any attempt
# to reach another machine is written down and refused.
BLOCK_NETWORK = '''
import os
import socket

_LOG = os.environ["NETWORK_ATTEMPTS"]
_LOCAL = (None, "localhost", "127.0.0.1", "::1")


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what}\\n")
    raise OSError(f"network blocked by the test: {what}")


_connect, _connect_ex, _getaddrinfo = (
    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        _refuse(f"connect {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        _refuse(f"connect_ex {address!r}")
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL:
        _refuse(f"getaddrinfo {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (
    connect, connect_ex, getaddrinfo)
'''


def convert(inputs: list[Path], outdir: Path, engine: str, blocker: Path) -> None:
    """``bulletin-ocr convert`` to JSON, offline: sockets refused, proxies unroutable."""
    attempts = blocker / "attempts.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")]),
        "NETWORK_ATTEMPTS": str(attempts),
        "HTTP_PROXY": "http://10.255.255.1:9", "HTTPS_PROXY": "http://10.255.255.1:9",
        "http_proxy": "http://10.255.255.1:9", "https_proxy": "http://10.255.255.1:9",
        "NO_PROXY": "", "no_proxy": "",
    }
    env.pop("BULLETIN_OCR_CONFIG", None)
    env.pop("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", None)  # the engine must set it itself
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", *map(str, inputs), "-o", str(outdir),
         "--to", "json", "--engine", engine, "-q"],
        capture_output=True, text=True, env=env, timeout=1200, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # PaddleX's own log lines stay off the terminal
    assert not attempts.exists(), attempts.read_text(encoding="utf-8")


def page_texts(outdir: Path, stem: str) -> list[str]:
    """Each page's recognised lines, whitespace removed, in reading order."""
    document = json.loads((outdir / f"{stem}.json").read_text(encoding="utf-8"))
    return ["".join("".join(line["text"].split()) for line in page["lines"])
            for page in document["pages"]]


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def agreement(a: str, b: str) -> float:
    """1 - edit distance / the longer text's length."""
    return 1 - edit_distance(a, b) / max(len(a), len(b), 1)


@pytest.fixture(scope="module")
def blocker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(BLOCK_NETWORK, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_paddleocr_engine_reads_what_the_default_engine_reads_offline(
    tmp_path: Path, blocker: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    scans = sorted(p for p in SCANS.iterdir() if p.suffix in (".jpg", ".png", ".tif", ".pdf"))
    for path in scans:
        shutil.copy(path, inputs / path.name)
    for page in dense_pages(DENSE_PAGES):
        shutil.copy(page.image, inputs / f"dense-{page.image.name}")
    convert([inputs], tmp_path / "onnx", "onnx", blocker)
    convert([inputs], tmp_path / "paddleocr", "paddleocr", blocker)
    stems = sorted(path.stem for path in inputs.iterdir())
    assert len(stems) == len(scans) + DENSE_PAGES
    report = []
    for stem in stems:
        ours, theirs = page_texts(tmp_path / "onnx", stem), page_texts(tmp_path / "paddleocr", stem)
        assert len(ours) == len(theirs)
        for number, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
            assert len(a) > 200, (stem, number)  # every page has text to compare
            report.append((stem, number, len(a), agreement(a, b)))
    sys.stderr.write("".join(f"{s} p{n}: {c} chars, {r:.4f}\n" for s, n, c, r in report))
    low = [(stem, number, round(rate, 4)) for stem, number, _, rate in report if rate < AGREEMENT]
    assert low == []


def test_paddleocr_engine_never_uses_its_default_model_names(tmp_path: Path) -> None:
    """A page-level model switched on without its folder is refused, not downloaded."""
    config = tmp_path / "config.toml"
    config.write_text("[ocr.paddleocr]\nuse_doc_unwarping = true\n", encoding="utf-8")
    scan = SCANS / "yunxi-2022-15-p1-200dpi.png"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(scan), "-o", str(tmp_path / "out"),
         "--engine", "paddleocr", "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert ("[ocr.paddleocr]: use_doc_unwarping needs doc_unwarping_model_dir "
            "(PaddleOCR would download its default model)") in result.stderr


def test_paddleocr_engine_on_a_missing_gpu_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """The manifest's folders run on onnxruntime, whose CPU build has no CUDA provider."""
    scan = SCANS / "yunxi-2022-15-p1-200dpi.png"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(scan), "-o", str(tmp_path / "out"),
         "--engine", "paddleocr", "--device", "cuda:1"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 3
    assert result.stderr.startswith("error: --device cuda:1: onnxruntime ")
    assert "has no CUDA execution provider" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_paddle_format_without_paddlepaddle_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """This environment has PaddleOCR but not PaddlePaddle: the run stops before any input."""
    config = tmp_path / "config.toml"
    config.write_text('[ocr.paddleocr]\ninference_engine = "paddle"\n', encoding="utf-8")
    scan = SCANS / "yunxi-2022-15-p1-200dpi.png"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(scan), str(scan),
         "-o", str(tmp_path / "out"), "--engine", "paddleocr", "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert (result.returncode, result.stderr.strip()) == (3, (
        "error: --engine paddleocr: Paddle-format model folders need PaddlePaddle: "
        "pip install paddlepaddle (paddlepaddle-gpu for --device cuda)"
    ))
    assert not (tmp_path / "out").exists()
