"""The config file and the options that choose models and preprocessing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_ocr.cli import cli
from bulletin_ocr.config import options_from_config, read_config
from bulletin_ocr.errors import UsageError
from bulletin_ocr.ocr.models import default_models

SCAN = Path(__file__).resolve().parents[1] / "samples" / "scans" / "yunxi-2022-15-p1-200dpi.png"


def test_config_builds_options(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[ocr]\ndet_limit_side_len = 960\nthreads = 1\n[ocr.paddleocr]\ntext_det_thresh = 0.25\n'
        "[preprocess]\ndenoise = false\n[convert]\nforce_ocr = true\n",
        encoding="utf-8",
    )
    options = options_from_config(read_config(config), str(config))
    assert options.ocr.det_limit_side_len == 960 and options.ocr.threads == 1
    assert options.ocr.extra == (("text_det_thresh", 0.25),)
    assert options.preprocess.denoise is False and options.preprocess.deskew is True
    assert options.force_ocr is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ocr]\nbogus = 1\n", "unknown key"),
        ("[paddle]\n", "unknown section"),
        ("[ocr\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        options_from_config(read_config(config), str(config))
    result = CliRunner().invoke(cli, ["convert", str(SCAN), "-o", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_own_model_directories_from_the_config(tmp_path: Path) -> None:
    # An assembled default model directory has the layout of an official PaddleOCR one.
    models = default_models()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[ocr]\ndet_model_dir = "{models["detection"].directory}"\n'
        f'rec_model_dir = "{models["recognition"].directory}"\n',
        encoding="utf-8",
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
