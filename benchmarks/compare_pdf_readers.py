"""Convert PDFs with both character readers (pdfium, pdfplumber) and diff the outputs.

For every PDF given (files or folders, searched recursively) the full conversion runs twice,
``--pdf-reader pdfplumber`` and ``--pdf-reader pdfium``, and the ``.txt`` and ``.json`` outputs
are compared. The JSON is compared leaf by leaf: numbers within ``--tolerance`` (positions
rounded to two decimals from single-precision pdfium values) count as rounding, anything
else is a difference and is printed. The header's reader name (``engine``) is expected to
differ and is left out.

Run from the repository root::

    PYTHONPATH=src python benchmarks/compare_pdf_readers.py samples/pdf ../shared/real
    PYTHONPATH=src:. python benchmarks/bench_structure.py --paths pdf   # builds the corpus
    PYTHONPATH=src python benchmarks/compare_pdf_readers.py out/corpus-cache

Exit status 1 when any .txt differs, or any JSON leaf differs beyond rounding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_ocr.api import convert
from bulletin_ocr.errors import BulletinOcrError
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.text import render_text

READERS = ("pdfplumber", "pdfium")
IGNORED = ("engine",)  # the reader's own name and version


@dataclass
class Outcome:
    """One file's comparison."""

    path: Path
    text_same: bool = True
    rounding: int = 0
    """JSON numbers that differ by no more than the tolerance."""
    differences: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return self.text_same and not self.differences and len(set(self.errors.values())) <= 1


def outputs(path: Path, reader: str) -> tuple[str, Any] | str:
    """The .txt and the parsed .json of one conversion, or the error it ended with."""
    try:
        document = convert(path, pdf_reader=reader, use_ocr=False)
    except BulletinOcrError as error:
        return f"{type(error).__name__}: {error.problem}"
    data = json.loads(render_json(document))
    for key in IGNORED:
        data.pop(key, None)
    return render_text(document), data


def leaves(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{where}.{key}")
    elif isinstance(value, list):
        yield f"{where}#len", len(value)
        for index, item in enumerate(value):
            yield from leaves(item, f"{where}[{index}]")
    else:
        yield where, value


def compare(path: Path, tolerance: float) -> Outcome:
    outcome = Outcome(path)
    results = {reader: outputs(path, reader) for reader in READERS}
    if any(isinstance(result, str) for result in results.values()):
        outcome.errors = {r: v if isinstance(v, str) else "ok" for r, v in results.items()}
        return outcome
    (text_a, json_a), (text_b, json_b) = (results[r] for r in READERS)  # type: ignore[misc]
    outcome.text_same = text_a == text_b
    a, b = dict(leaves(json_a)), dict(leaves(json_b))
    for key in sorted(set(a) | set(b)):
        left, right = a.get(key), b.get(key)
        if left == right:
            continue
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in (left, right))
        if numbers and abs(left - right) <= tolerance:  # type: ignore[operator]
            outcome.rounding += 1
        else:
            outcome.differences.append(f"{key}: {left!r} (pdfplumber) != {right!r} (pdfium)")
    return outcome


def pdfs(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf")
        else:
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--tolerance", type=float, default=0.011)
    parser.add_argument("--show", type=int, default=5, help="differences printed per file")
    args = parser.parse_args(argv)
    outcomes = [compare(path, args.tolerance) for path in pdfs(args.paths)]
    for outcome in outcomes:
        status = "same" if outcome.same else "DIFFERENT"
        print(f"{status:<10} txt={'same' if outcome.text_same else 'DIFF'} "
              f"json-rounding={outcome.rounding} json-diff={len(outcome.differences)} "
              f"{outcome.path}")
        if outcome.errors and not outcome.same:
            print(f"    errors: {outcome.errors}")
        for line in outcome.differences[: args.show]:
            print(f"    {line}")
    different = sum(1 for outcome in outcomes if not outcome.same)
    print(f"{len(outcomes)} PDFs, {different} with differences")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
