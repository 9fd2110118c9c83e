"""The config file: every convert option settable, every mistake one line with exit 2."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bulletin_ocr import batch
from bulletin_ocr.batch import BatchResult, Record
from bulletin_ocr.cli import cli
from bulletin_ocr.config import default_config_path, options_from_config, read_config
from bulletin_ocr.errors import UsageError
from bulletin_ocr.ocr.models import default_models

SCAN = Path(__file__).resolve().parents[1] / "samples" / "scans" / "yunxi-2022-15-p1-200dpi.png"


def write_config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the convert command hands to convert_batch (which then converts nothing)."""
    seen: list[dict[str, Any]] = []

    def fake_convert_batch(inputs: Any, outdir: Any, **settings: Any) -> BatchResult:
        seen.append(settings)
        logging.getLogger("some.library").debug("a library's debug message")
        logging.getLogger("bulletin_ocr.batch").debug("our debug message")
        record = Record(path=str(SCAN), sha256=None, status="ok", pages=1)
        settings["on_record"](record)
        return BatchResult([record])

    monkeypatch.setattr(batch, "convert_batch", fake_convert_batch)
    return seen


def test_config_builds_options(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '[ocr]\ndet_limit_side_len = 960\nthreads = 1\n[ocr.onnx]\ntext_det_thresh = 0.25\n'
        "[preprocess]\ndenoise = false\n[convert]\nforce_ocr = true\n",
    )
    options = options_from_config(read_config(config))
    assert options.ocr.det_limit_side_len == 960 and options.ocr.threads == 1
    assert options.ocr.sections == (("onnx", (("text_det_thresh", 0.25),)),)
    assert options.ocr.section("onnx") == {"text_det_thresh": 0.25}
    assert options.preprocess.denoise is False and options.preprocess.deskew is True
    assert options.force_ocr is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[convert]\njobs = "two"\n', '[convert] jobs: expected an integer from 1 to 256, got "two"'),
        ("[convert]\njobs = 0\n", "[convert] jobs: expected an integer from 1 to 256, got 0"),
        ('[convert]\nexecutor = "spark"\n', '[convert] executor: expected "local" or "dask", got "spark"'),
        ('[convert]\nformats = ["txt", "docx"]\n', "[convert] formats: expected a non-empty list of output format names (unknown format docx; known: txt, tei, json"),
        ("[convert]\nforce = 1\n", "[convert] force: expected true or false, got 1"),
        ('[convert]\ninclude = "*.pdf"\n', '[convert] include: expected a list of glob patterns, got "*.pdf"'),
        ("[convert]\npage_timeout = 0.5\n", "[convert] page_timeout: expected a number of seconds from 1 to 1000000, got 0.5"),
        ('[ocr]\nthreads = "2"\n', '[ocr] threads: expected an integer from 0 to 256, got "2"'),
        ("[ocr]\ndet_model_dir = 5\n", "[ocr] det_model_dir: expected a directory path (a string), got 5"),
        ('[preprocess]\ndenoise = "no"\n', '[preprocess] denoise: expected true or false, got "no"'),
        ("convert = 3\n", "[convert]: expected a table, got 3"),
        ("[convert]\nbogus = 1\n", "[convert] bogus: unknown key (known: formats, jobs,"),
        ("[ocr]\nbogus = 1\n", "[ocr] bogus: unknown key"),
        ("[ocr.onnx]\ntext_det_thresh = 2\n", "[ocr.onnx] text_det_thresh: expected a number from 0 to 1, got 2"),
        ("[ocr.onnx]\nbogus = 1\n", "[ocr.onnx] bogus: unknown key (known: text_det_limit_side_len,"),
        ('[ocr.paddleocr]\ninference_engine = "tensorrt"\n', '[ocr.paddleocr] inference_engine: expected "onnxruntime" or "paddle"'),
        ("[ocr.paddleocr]\nuse_doc_unwarping = true\n", "[ocr.paddleocr]: use_doc_unwarping needs doc_unwarping_model_dir (PaddleOCR would download its default model)"),
        ("[ocr.paddleocr]\ntext_det_max_side_limit = 4000\n", "[ocr.paddleocr]: text_det_max_side_limit is not a setting of PaddleOCR 3.7's pipeline"),
        ("[ocr.nosuch]\na = 1\n", "[ocr.nosuch]: unknown engine section (engines installed: null, onnx, paddleocr"),
        ("[paddle]\n", "[paddle]: unknown section (known: convert, ocr, preprocess)"),
        ("[ocr\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    config = write_config(tmp_path, text)
    with pytest.raises(UsageError, match="^" + str(config).replace("\\", "\\\\")):
        read_config(config, ("txt", "tei", "json"))
    # Whatever else the command line says: no inputs at all, a missing input, a valid one.
    for arguments in ([], ["missing.pdf"], [str(SCAN)]):
        result = CliRunner().invoke(
            cli, ["convert", *arguments, "-o", str(tmp_path / "out"), "--config", str(config)]
        )
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: {config}: ")
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_bad_config_from_the_environment_stops_repair_and_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path, "[ocr]\ndet_limit_side_len = true\n")
    monkeypatch.setenv("BULLETIN_OCR_CONFIG", str(config))
    for arguments in (["repair", str(SCAN)], ["models"]):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {config}: [ocr] det_limit_side_len: expected an integer from 320 to 4000, "
            "got true\n"
        )


def test_config_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_path() is None  # nothing there yet: no file, no error
    platform_file = tmp_path / "xdg" / "bulletin-ocr" / "config.toml"
    platform_file.parent.mkdir(parents=True)
    platform_file.write_text("[convert]\njobs = 3\n", encoding="utf-8")
    assert default_config_path() == platform_file
    monkeypatch.setenv("BULLETIN_OCR_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert default_config_path() == tmp_path / "elsewhere.toml"


def test_the_platform_config_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "bulletin-ocr").mkdir()
    write_config(tmp_path / "bulletin-ocr", "[convert]\njobs = 3\n")
    result = CliRunner().invoke(cli, ["convert", str(SCAN), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert calls[0]["jobs"] == 3


HOME = Path("~").expanduser()


def value(settings: dict[str, Any], setting: str) -> Any:
    """``settings["options"].ocr.threads`` for "options.ocr.threads"."""
    name, *attributes = setting.split(".")
    found = settings[name]
    for attribute in attributes:
        found = getattr(found, attribute)
    return found


@pytest.mark.parametrize(
    ("text", "setting", "expected"),
    [
        ('[convert]\nformats = ["txt", "json"]\n', "formats", ("txt", "json")),
        ("[convert]\njobs = 3\n", "jobs", 3),
        ("[convert]\npage_timeout = 42\n", "options.page_timeout", 42),
        ("[convert]\nmax_memory = 2048\n", "memory_limit", 2048 * 2**20),
        ("[convert]\nmax_page_pixels = 9000000\n", "options.max_page_pixels", 9_000_000),
        ('[convert]\nexecutor = "dask"\n', "executor", "dask"),
        ('[convert]\nscheduler = "tcp://10.0.0.5:8786"\n', "scheduler", "tcp://10.0.0.5:8786"),
        ('[convert]\ndask_dashboard = "127.0.0.1:8787"\n', "dask_dashboard", "127.0.0.1:8787"),
        ('[convert]\ninclude = ["*.pdf", "*.png"]\n', "include", ("*.pdf", "*.png")),
        ('[convert]\nexclude = ["draft*"]\n', "exclude", ("draft*",)),
        ("[convert]\nforce = true\n", "force", True),
        ('[convert]\npassword = "secret"\n', "options.password", "secret"),
        ("[convert]\nuse_ocr = false\n", "options.use_ocr", False),
        ("[convert]\nforce_ocr = true\n", "options.force_ocr", True),
        ('[ocr]\nengine = "mine:make"\n', "options.ocr.engine", "mine:make"),
        ('[ocr]\ndet_model_dir = "~/det"\n', "options.ocr.det_model_dir", HOME / "det"),
        ('[ocr]\nrec_model_dir = "/m/rec"\n', "options.ocr.rec_model_dir", Path("/m/rec")),
        ("[ocr]\ndet_limit_side_len = 1280\n", "options.ocr.det_limit_side_len", 1280),
        ("[ocr]\nrec_batch_size = 4\n", "options.ocr.rec_batch_size", 4),
        ("[ocr]\nthreads = 3\n", "options.ocr.threads", 3),
        ("[ocr.onnx]\ntext_det_thresh = 0.25\n", "options.ocr.sections", (("onnx", (("text_det_thresh", 0.25),)),)),
        ("[ocr.paddleocr]\ntext_recognition_batch_size = 8\n", "options.ocr.sections", (("paddleocr", (("text_recognition_batch_size", 8),)),)),
        ("[preprocess]\norientation = false\n", "options.preprocess.orientation", False),
        ("[preprocess]\ndeskew = false\n", "options.preprocess.deskew", False),
        ("[preprocess]\nillumination = false\n", "options.preprocess.illumination", False),
        ("[preprocess]\nshow_through = false\n", "options.preprocess.show_through", False),
        ("[preprocess]\ndenoise = false\n", "options.preprocess.denoise", False),
        ("[preprocess]\nnormalize_resolution = false\n", "options.preprocess.normalize_resolution", False),
        ("[preprocess]\ntarget_dpi = 400\n", "options.preprocess.target_dpi", 400),
        ("[preprocess]\nmax_pixels = 20000000\n", "options.preprocess.max_pixels", 20_000_000),
    ],
)
def test_each_key_is_honoured(
    tmp_path: Path, calls: list[dict[str, Any]], text: str, setting: str, expected: Any
) -> None:
    CliRunner().invoke(cli, ["convert", str(SCAN), "-o", str(tmp_path / "a")])
    config = write_config(tmp_path, text)
    result = CliRunner().invoke(
        cli, ["convert", str(SCAN), "-o", str(tmp_path / "b"), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert value(calls[0], setting) != expected  # the default differs: the file changed it
    assert value(calls[1], setting) == expected


def test_quiet_verbose_and_log_file_from_the_config(
    tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    command = ["convert", str(SCAN), "-o", str(tmp_path / "out"), "--config"]
    quiet = CliRunner().invoke(cli, [*command, str(write_config(tmp_path, "[convert]\nquiet = true\n"))])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = CliRunner().invoke(cli, [*command, str(write_config(tmp_path, "[convert]\nverbose = true\n"))])
    assert f"ok: {SCAN} (1 pages)" in verbose.stderr
    log = tmp_path / "full.log"
    logged = CliRunner().invoke(cli, [*command, str(write_config(tmp_path, f'[convert]\nlog_file = "{log}"\n'))])
    assert logged.exit_code == 0
    text = log.read_text(encoding="utf-8")
    assert "bulletin_ocr.batch DEBUG: our debug message" in text
    assert "a library's debug message" not in text  # libraries from WARNING up (see logs)
    assert "debug message" not in logged.stderr


@pytest.mark.parametrize(
    ("text", "option", "setting", "expected"),
    [
        ("[convert]\njobs = 3\n", ["-j", "1"], "jobs", 1),
        ('[convert]\nformats = ["txt"]\n', ["--to", "tei"], "formats", ("tei",)),
        ('[convert]\nexecutor = "dask"\n', ["--executor", "local"], "executor", "local"),
        ('[convert]\ndask_dashboard = "127.0.0.1:1"\n', ["--dask-dashboard", "127.0.0.1:2"], "dask_dashboard", "127.0.0.1:2"),
        ("[convert]\nuse_ocr = false\n", ["--ocr"], "options.use_ocr", True),
        ("[convert]\npage_timeout = 42\n", ["--page-timeout", "9"], "options.page_timeout", 9),
        ('[convert]\npassword = "a"\n', ["--password", "b"], "options.password", "b"),
        ("[ocr]\nthreads = 3\n", ["--threads", "2"], "options.ocr.threads", 2),
        ('[ocr]\nengine = "mine:make"\n', ["--ocr-engine", "paddle"], "options.ocr.engine", "paddle"),
        ("[ocr]\ndet_limit_side_len = 1280\n", ["--det-limit", "640"], "options.ocr.det_limit_side_len", 640),
        ("[preprocess]\ndeskew = true\n", ["--skip", "deskew"], "options.preprocess.deskew", False),
    ],
)
def test_the_command_line_wins_over_the_file(
    tmp_path: Path, calls: list[dict[str, Any]], text: str, option: list[str], setting: str,
    expected: Any,
) -> None:
    config = write_config(tmp_path, text)
    result = CliRunner().invoke(
        cli, ["convert", str(SCAN), "-o", str(tmp_path / "out"), "--config", str(config), *option]
    )
    assert result.exit_code == 0, result.output
    assert value(calls[0], setting) == expected


def test_own_model_directories_from_the_config(tmp_path: Path) -> None:
    # An assembled default model directory has the layout of an official PaddleOCR one.
    models = default_models()
    config = write_config(
        tmp_path,
        f'[ocr]\ndet_model_dir = "{models["detection"].directory}"\n'
        f'rec_model_dir = "{models["recognition"].directory}"\n',
    )
    result = CliRunner().invoke(
        cli, ["convert", str(SCAN), "-o", str(tmp_path / "out"), "--config", str(config), "--skip", "denoise"]
    )
    assert result.exit_code == 0, result.stderr
    tei = (tmp_path / "out" / "yunxi-2022-15-p1-200dpi.tei.xml").read_text(encoding="utf-8")
    assert 'ident="PP-OCRv6_small_det"' in tei
    listing = CliRunner().invoke(cli, ["models", "--config", str(config)])
    assert listing.exit_code == 0
    assert "your own" in listing.stdout
