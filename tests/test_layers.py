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


def test_layout_does_not_import_structure() -> None:
    """Layout measures, structure decides (issue 22): layout hands on what it measured and
    never calls on a decision, not even lazily inside a function."""
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in _imports(path)
            if name.startswith("bulletin_ocr.structure") or name == "bulletin_ocr.structure"
        )
        for path in sorted((PACKAGE / "layout").rglob("*.py"))
    }
    from_package = [
        str(path.relative_to(PACKAGE))
        for path in sorted((PACKAGE / "layout").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "bulletin_ocr"
        and any(alias.name == "structure" for alias in node.names)
    ]
    assert {path: names for path, names in offenders.items() if names} == {}
    assert from_package == []


# Layout's one restyling that judges no face: every size of a recognised page scaled by one
# factor, so that its body is the document's (a change of unit, not of face).
ONE_FACTOR_RESCALE = {("layout/type_size.py", "size")}


def _restyling(path: Path) -> list[tuple[str, str, int]]:
    """Where a module gives a glyph, font or run a ``bold`` or ``size`` of its own making:
    ``replace(x, bold=…)`` / ``replace(x, size=…)``, an assignment to ``.bold`` or ``.size``,
    or ``bold=`` set to anything but a face passed on (``x.bold`` or a plain name)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            restyle = isinstance(node.func, ast.Name) and node.func.id == "replace"
            for keyword in node.keywords:
                if keyword.arg not in ("bold", "size"):
                    continue
                passed_on = isinstance(keyword.value, ast.Name) or (
                    isinstance(keyword.value, ast.Attribute) and keyword.value.attr == "bold"
                )
                if restyle or (keyword.arg == "bold" and not passed_on):
                    found.append((keyword.arg, ast.unparse(node)[:60], node.lineno))
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("bold", "size"):
                    found.append((target.attr, ast.unparse(node)[:60], node.lineno))
    return found


def test_layout_judges_no_face() -> None:
    """Which glyphs are bold and how large a run is set are judged in ``structure`` (issue
    22): layout may pass on a face an input named (a PDF's font) but makes none."""
    offenders = {
        str(path.relative_to(PACKAGE)): [
            place for place in _restyling(path)
            if (str(path.relative_to(PACKAGE)), place[0]) not in ONE_FACTOR_RESCALE
        ]
        for path in sorted((PACKAGE / "layout").rglob("*.py"))
    }
    assert {path: places for path, places in offenders.items() if places} == {}
