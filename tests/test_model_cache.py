"""The model cache outlives the environments that fill it (~/.cache is shared by every venv)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bulletin_ocr.ocr.models import assemble, load_manifest


def test_a_cache_link_into_a_deleted_environment_is_replaced(tmp_path: Path) -> None:
    spec = load_manifest()[0]
    gone = tmp_path / "old-venv" / "model.onnx"
    gone.parent.mkdir()
    shutil.copyfile(assemble(spec, tmp_path / "first").weights, gone)
    # A cache filled from that environment, which was then deleted: its link dangles.
    cached = assemble(spec, tmp_path / "cache")
    (cached.directory / "inference.onnx").unlink()
    (cached.directory / "inference.onnx").symlink_to(gone)
    (cached.directory / "inference.yml").unlink()
    shutil.rmtree(gone.parent)

    again = assemble(spec, tmp_path / "cache")
    model = again.directory / "inference.onnx"
    assert model.is_file() and model.resolve() == again.weights.resolve()
    assert (again.directory / "inference.yml").is_file()
    assert sorted(p.name for p in again.directory.iterdir()) == ["inference.onnx", "inference.yml"]
