"""The flow of the package: inputs feed layout, layout feeds structure and export; no layer
reaches back into the inputs for a rule they share (the page-number rule lives in layout)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bulletin_ocr"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", ["layout", "structure"])
def test_layout_and_structure_do_not_import_the_inputs(layer: str) -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in _imports(path) if name.startswith("bulletin_ocr.inputs")
        )
        for path in sorted((PACKAGE / layer).glob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_page_number_rule_is_defined_once() -> None:
    defined = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "PAGE_NUMBER = re.compile" in path.read_text(encoding="utf-8")
    ]
    assert defined == ["layout/page_numbers.py"]
