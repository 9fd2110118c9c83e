"""Imports point one way: inputs and layout never reach up into structure."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bulletin_ocr"


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _structure_imports(folder: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for module in _imported_modules(path):
            if module == "bulletin_ocr.structure" or module.startswith("bulletin_ocr.structure."):
                bad.append(f"{path.relative_to(PACKAGE)} imports {module}")
    return bad


def test_layout_does_not_import_structure() -> None:
    assert list((PACKAGE / "layout").glob("*.py"))
    assert _structure_imports("layout") == []


def test_inputs_do_not_import_structure() -> None:
    assert list((PACKAGE / "inputs").glob("*.py"))
    assert _structure_imports("inputs") == []


def test_the_walk_sees_an_import_from_structure(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from bulletin_ocr.structure import cues\nimport bulletin_ocr.structure.items\n")
    assert _imported_modules(module) == [
        "bulletin_ocr.structure", "bulletin_ocr.structure.cues", "bulletin_ocr.structure.items",
    ]  # fmt: skip
