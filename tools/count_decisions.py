"""Count, per package, the functions that decide headlines and the numeric thresholds.

Issue 22 asks that no headline decision be made outside ``structure/`` and that its closing
note count, before and after, the functions that decide "headline" and the numbers that steer
layout and structure. This script makes both counts reproducible from the source alone (the
``ast`` of every ``.py`` file of each package, nothing imported).

(a) A function *decides a headline* when its own body (nested functions are counted on their
own) does one of:

1. names a headline: the string literal ``"head"`` or ``"headline"`` (the block kind and
   label of a headline), or an attribute or name ``HEADLINE``;
2. sets a ``bold`` or ``size`` style: a call with the keyword ``bold=`` or ``size=``, or an
   assignment to an attribute ``.bold`` or ``.size``;
3. is called, by its plain name, from a function of the same module that decides, and is
   annotated to return a yes/no or a place: ``bool``, ``int`` or ``int | None`` (or a tuple
   holding one of them), the answers detectors give (``_is_bold``, a face boundary's glyph);
   repeated until nothing more is added.

(b) A *numeric threshold* is a module-level assignment to an UPPER_CASE name of a number (or
of arithmetic on numbers only: ``-0.5``, ``1 / 3``); a field of a threshold profile, i.e. a
class-level annotated field whose default is a number other than the sentinels 0 and -1
(``bold_ratio: float = 1.22``), or a number a kind's profile gives a field in a
``replace(...)`` call (``replace(SHARED, autospace=0.25)``); or a numeric literal other than
0, 1, 2 and -1 anywhere inside a comparison (``x >= 0.6 * middle`` counts 0.6).

Run from the repository root (``--root`` another checkout, e.g. a ``git worktree`` of an
older commit)::

    python tools/count_decisions.py
    python tools/count_decisions.py --root /tmp/before --packages layout,structure,inputs
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADLINE_WORDS = frozenset({"head", "headline"})
STYLE_KEYWORDS = frozenset({"bold", "size"})
PLAIN_NUMBERS = frozenset({0, 1, 2, -1})
ANSWER_TYPES = frozenset({"bool", "int"})


@dataclass
class ModuleCount:
    """What one module holds."""

    path: Path
    deciding: list[str] = field(default_factory=list)
    constants: int = 0
    fields: int = 0
    literals: int = 0


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, nested functions and classes left out."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _names_headline(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in HEADLINE_WORDS
    if isinstance(node, ast.Attribute):
        return node.attr == "HEADLINE"
    return isinstance(node, ast.Name) and node.id == "HEADLINE"


def _sets_style(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        return any(keyword.arg in STYLE_KEYWORDS for keyword in node.keywords)
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(
            isinstance(target, ast.Attribute) and target.attr in STYLE_KEYWORDS
            for target in targets
        )
    return False


def _decides_itself(function: ast.AST) -> bool:
    return any(_names_headline(node) or _sets_style(node) for node in _own_nodes(function))


def _answers(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Annotated to return a yes/no or a place (``bool``, ``int``, ``int | None``, a tuple of
    such), not a measure (``float``) or a collection."""
    returns = function.returns
    if returns is None:
        return False
    if isinstance(returns, ast.Subscript) and ast.unparse(returns.value) == "tuple":
        return any(_is_answer(part) for part in ast.walk(returns.slice))
    return _is_answer(returns)


def _is_answer(annotation: ast.AST) -> bool:
    names = {node.id for node in ast.walk(annotation) if isinstance(node, ast.Name)}
    names.discard("None")
    return bool(names) and names <= ANSWER_TYPES


def _called_names(function: ast.AST) -> set[str]:
    return {
        node.func.id
        for node in _own_nodes(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def deciding_functions(tree: ast.Module) -> list[str]:
    """The names of the functions of a module that decide a headline (rules 1-3 above)."""
    functions = list(_functions(tree))
    deciding = {id(f) for f in functions if _decides_itself(f)}
    by_name = {f.name: f for f in functions}
    while True:
        called = {
            name for f in functions if id(f) in deciding for name in _called_names(f)
        }
        added = {
            id(by_name[name]) for name in called
            if name in by_name and id(by_name[name]) not in deciding and _answers(by_name[name])
        }
        if not added:
            break
        deciding |= added
    return sorted(f.name for f in functions if id(f) in deciding)


def _number(node: ast.AST) -> bool:
    """A number, or arithmetic on numbers only."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _number(node.operand)
    if isinstance(node, ast.BinOp):
        return _number(node.left) and _number(node.right)
    return False


def module_constants(tree: ast.Module) -> int:
    """Module-level UPPER_CASE names assigned a number."""
    count = 0
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if names and all(name.isupper() for name in names) and _number(value):
            count += 1
    return count


def profile_fields(tree: ast.Module) -> int:
    """Class-level annotated fields whose default is a number other than 0 and -1, and numbers
    (other than 0 and -1) given to fields in ``replace(...)`` calls: a kind's own values."""
    count = sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node) == "replace"
        for keyword in node.keywords
        if _number(keyword.value) and _literal_value(keyword.value) not in (0.0, -1.0)
    )
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if (
                isinstance(statement, ast.AnnAssign) and statement.value is not None
                and _number(statement.value)
                and _literal_value(statement.value) not in (0.0, -1.0)
            ):
                count += 1
    return count


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _literal_value(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return None if isinstance(node.value, bool) else float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal_value(node.operand)
        return None if inner is None else -inner
    return None


def compared_literals(tree: ast.Module) -> int:
    """Numeric literals other than 0, 1, 2 and -1 inside comparisons (a negative number is
    one literal)."""
    count = 0
    for compare in ast.walk(tree):
        if not isinstance(compare, ast.Compare):
            continue
        negated = set()
        for node in ast.walk(compare):
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
                negated.add(id(node.operand))
            value = _literal_value(node)
            if value is None or id(node) in negated or value in PLAIN_NUMBERS:
                continue
            count += 1
    return count


def count_module(path: Path) -> ModuleCount:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return ModuleCount(
        path, deciding_functions(tree), module_constants(tree), profile_fields(tree),
        compared_literals(tree),
    )


def count_package(folder: Path) -> list[ModuleCount]:
    return [count_module(path) for path in sorted(folder.rglob("*.py"))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root")
    parser.add_argument("--packages", default="layout,structure")
    parser.add_argument("--list", action="store_true", help="name every deciding function")
    args = parser.parse_args(argv)
    source = args.root / "src" / "bulletin_ocr"
    print(f"{'package':<10} {'deciding functions':>18} {'UPPER constants':>15} "
          f"{'profile fields':>14} {'compared literals':>17} {'thresholds':>10}")
    for package in args.packages.split(","):
        modules = count_package(source / package)
        deciding = sum(len(m.deciding) for m in modules)
        constants = sum(m.constants for m in modules)
        fields = sum(m.fields for m in modules)
        literals = sum(m.literals for m in modules)
        print(f"{package:<10} {deciding:>18} {constants:>15} {fields:>14} {literals:>17} "
              f"{constants + fields + literals:>10}")
        if args.list:
            for module in modules:
                if module.deciding:
                    where = module.path.relative_to(source)
                    print(f"    {where}: {', '.join(module.deciding)}")


if __name__ == "__main__":
    main()
