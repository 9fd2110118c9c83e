"""``--decider`` (``ConvertOptions.decider``): who decides a document's structure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bulletin_ocr.api import convert


def _bulletin(tmp_path: Path) -> tuple[Path, list[str]]:
    from samples.corpus.generate import generate, write

    # Generated bulletin 10610 (raw text): the rules end its run-in headline inside a word
    # (兴隆镇以“四强), the trained labeller ends it where it ends.
    bulletin = generate(10610)
    write(bulletin, tmp_path)
    heads = [item["head"] for item in bulletin.truth["items"] if item.get("head")]
    return tmp_path / "b010610.txt", heads


def _heads(path: Path, decider: str) -> list[str]:
    return [item.head.text for item in convert(path, decider=decider).items if item.head]


def test_the_labeller_decides_when_asked(tmp_path: Path) -> None:
    path, truth = _bulletin(tmp_path)
    assert _heads(path, "crf") == truth
    assert _heads(path, "rules") != truth
    assert _heads(path, "auto") == _heads(path, "crf")  # the labeller is the default on plain text


def test_the_command_line_and_the_config_file_choose_the_decider(tmp_path: Path) -> None:
    path, truth = _bulletin(tmp_path)

    def heads(*options: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bulletin_ocr", "repair", str(path), *options],
            capture_output=True, text=True, timeout=300, check=True,
        )
        return result.stdout

    config = tmp_path / "config.toml"
    config.write_text('[convert]\ndecider = "crf"\n', encoding="utf-8")
    assert truth[0] in heads("--decider", "crf").split("\n")
    assert truth[0] in heads("--config", str(config)).split("\n")
    assert truth[0] not in heads("--decider", "rules").split("\n")
