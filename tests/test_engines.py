"""The engine boundary: engines found by entry point, each with its own config section and
declared box geometry; the null engine; --device's error path on a machine without a GPU."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from bulletin_ocr.layout.ocr_lines import lines_from_ocr
from bulletin_ocr.ocr import BoxGeometry, OcrLine, OcrOptions
from bulletin_ocr.ocr.registry import ENTRY_POINT_GROUP, engine_names, geometry

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "scans" / "yunxi-2022-15-p1-200dpi.png"

# A third-party package as pip would install it: its module, and a dist-info folder whose
# entry_points.txt registers its engine. Neither pipeline nor layout code knows its name.
ECHO_MODULE = '''
from pydantic import Field

from bulletin_ocr.ocr import BoxGeometry, OcrLine
from bulletin_ocr.ocr.registry import EngineSettings, EngineSpec


class EchoSettings(EngineSettings):
    text: str = Field("默认文字", description="a string")
    repeat: int = Field(1, ge=1, le=9, description="an integer from 1 to 9")


class Echo:
    def __init__(self, options, settings):
        self.device = options.device
        self.settings = settings

    def recognise(self, image):
        height, width = image.shape[:2]
        lines = []
        for index in range(self.settings.repeat):
            top = 100.0 + 80 * index
            box = ((100.0, top), (100.0 + 40 * len(self.settings.text), top),
                   (100.0 + 40 * len(self.settings.text), top + 40), (100.0, top + 40))
            lines.append(OcrLine(self.settings.text, box, 0.99))
        return lines

    def describe(self):
        return [f"echo engine on {self.device}"]


ENGINE = EngineSpec(
    name="echo",
    summary="says what its config section tells it to",
    options=EchoSettings,
    create=Echo,
    geometry=BoxGeometry(box_to_em=1.0, wide_space=1.0, latin_space=0.3),
)
'''


def install_echo(site: Path) -> Path:
    """The echo engine's package in ``site``, registered under bulletin_ocr.engines."""
    site.mkdir()
    (site / "echo_engine.py").write_text(textwrap.dedent(ECHO_MODULE), encoding="utf-8")
    info = site / "echo_engine-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: echo-engine\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\necho = echo_engine:ENGINE\n", encoding="utf-8"
    )
    return site


def run_cli(site: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")])}
    env.pop("BULLETIN_OCR_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", *arguments],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


def test_builtin_engines_register_through_entry_points() -> None:
    registered = {entry.name for entry in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert {"onnx", "paddleocr", "null"} <= registered
    assert {"onnx", "paddleocr", "null"} <= set(engine_names())


def test_third_party_engine_is_picked_by_name_with_its_own_section(tmp_path: Path) -> None:
    site = install_echo(tmp_path / "site")
    config = tmp_path / "config.toml"
    config.write_text('[ocr.echo]\ntext = "区委组织部召开会议"\nrepeat = 2\n', encoding="utf-8")
    result = run_cli(site, "convert", str(SCAN), "-o", str(tmp_path / "out"), "--to", "txt,json",
                     "--engine", "echo", "--config", str(config), "-q")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / f"{SCAN.stem}.txt").read_text(encoding="utf-8")
    assert text.count("区委组织部召开会议") == 2
    document = json.loads((tmp_path / "out" / f"{SCAN.stem}.json").read_text(encoding="utf-8"))
    assert "echo engine on cpu" in document["engine"]


def test_third_party_section_errors_name_the_key(tmp_path: Path) -> None:
    site = install_echo(tmp_path / "site")
    config = tmp_path / "config.toml"
    config.write_text("[ocr.echo]\nrepeat = 12\n", encoding="utf-8")
    result = run_cli(site, "convert", str(SCAN), "-o", str(tmp_path / "out"),
                     "--engine", "echo", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {config}: [ocr.echo] repeat: expected an integer from 1 to 9, got 12"
    )


def test_unknown_engine_is_a_usage_error_listing_the_known_ones(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "convert", str(SCAN), "-o", str(tmp_path / "out"),
                     "--engine", "nosuch")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --engine: unknown OCR engine 'nosuch' (known: ")
    assert "onnx" in result.stderr and "paddleocr" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_null_engine_converts_a_scan_to_nothing(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "convert", str(SCAN), "-o", str(tmp_path / "out"), "--to", "json",
                     "--engine", "null", "-q")
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "out" / f"{SCAN.stem}.json").read_text(encoding="utf-8"))
    assert document["pages"][0]["lines"] == []
    assert document["engine"] == ["null OCR engine (reads no text)"]


def test_cuda_without_a_provider_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """This machine has no GPU and the CPU build of onnxruntime: the run stops before any
    input is read, once, with what to install."""
    result = run_cli(tmp_path, "convert", str(SCAN), str(SCAN), "-o", str(tmp_path / "out"),
                     "--device", "cuda:0")
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: --device cuda:0: onnxruntime ")
    assert "has no CUDA execution provider" in lines[0] and "bulletin-ocr[gpu]" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--device", "gpu"], 2, "error: --device: unknown device 'gpu'; use cpu, cuda or cuda:N"),
        (["--engine", "null", "--device", "cuda"], 3,
         "error: --device: the null engine runs on the CPU only, not on cuda"),
    ],
)
def test_device_errors(tmp_path: Path, arguments: list[str], code: int, message: str) -> None:
    result = run_cli(tmp_path, "convert", str(SCAN), "-o", str(tmp_path / "out"), *arguments)
    assert (result.returncode, result.stderr.strip()) == (code, message)


def test_layout_reads_the_engines_geometry() -> None:
    """Type size of a short line and the spaces between pieces come from the engine's
    declaration, not from constants tuned for one engine."""
    tight = BoxGeometry(box_to_em=0.75, wide_space=1.1, latin_space=0.3)
    loose = BoxGeometry(box_to_em=1.0, wide_space=0.5, latin_space=0.3)
    short = OcrLine("区委", ((100.0, 0.0), (180.0, 0.0), (180.0, 60.0), (100.0, 60.0)), 0.9)
    sizes = [lines_from_ocr([short], 1, g)[0][0].font for g in (tight, loose)]
    assert [font.size if font else None for font in sizes] == [45.0, 60.0]
    # Five characters 40 px wide, 5 px apart but 50 px before 织: the line's em is 53 px.
    starts = (100.0, 145.0, 190.0, 280.0, 325.0)
    pieces = tuple((char, (x, 0.0, x + 40, 60.0)) for char, x in zip("区委组织部", starts, strict=True))
    line = OcrLine("区委组织部", ((100.0, 0.0), (365.0, 0.0), (365.0, 60.0), (100.0, 60.0)),
                   0.9, pieces)
    texts = [lines_from_ocr([line], 1, g)[0][0].text for g in (tight, loose)]
    # 45 px over the usual gap: under 1.1 em of 53 px, over 0.5 em.
    assert texts == ["区委组织部", "区委组 织部"]


def test_geometry_is_the_engines_declaration() -> None:
    from bulletin_ocr.ocr.paddle import ENGINE

    assert geometry(OcrOptions()) == ENGINE.geometry
    assert geometry(OcrOptions(engine="paddle")) == ENGINE.geometry  # the old name
    assert geometry(OcrOptions(engine="null")).box_to_em == 1.0


def test_paddleocr_engine_without_its_extra_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """This environment has no paddleocr package (tests/test_dependencies.py)."""
    result = run_cli(tmp_path, "convert", str(SCAN), str(SCAN), "-o", str(tmp_path / "out"),
                     "--engine", "paddleocr")
    assert (result.returncode, result.stderr.strip()) == (3, (
        "error: --engine paddleocr: needs paddleocr, not installed: pip install "
        "'bulletin-ocr[paddleocr]' (best in a virtual environment of its own)"
    ))


def test_paddleocr_results_become_ocr_lines_with_their_pieces() -> None:
    """PaddleOCR's page result (return_word_box=True) maps into OcrLines; pieces are kept
    only where they spell the line exactly."""
    from bulletin_ocr.ocr.paddleocr_engine import lines_of

    square = [[10, 20], [110, 20], [110, 60], [10, 60]]
    result = {
        "rec_texts": ["区委组织部", "  ", "2021年"],
        "rec_scores": [0.98, 0.5, 0.91],
        "rec_polys": [square, square, square],
        "text_word": [["区", "委", "组", "织", "部"], [], ["2021", "月"]],
        "text_word_boxes": [
            [[10 + 20 * i, 20, 28 + 20 * i, 60] for i in range(5)], [], [[10, 20, 60, 60],
                                                                          [60, 20, 80, 60]],
        ],
    }
    first, second = lines_of(result)
    assert first.text == "区委组织部" and first.confidence == 0.98
    assert first.polygon == ((10.0, 20.0), (110.0, 20.0), (110.0, 60.0), (10.0, 60.0))
    assert first.words[1] == ("委", (30.0, 20.0, 48.0, 60.0))
    assert (second.text, second.words) == ("2021年", ())  # "2021月" does not spell it
