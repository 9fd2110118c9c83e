"""Train the structure labeller (a linear-chain CRF per input kind) on generated bulletins.

Offline and deterministic: the corpus generator makes bulletins from seeds ``--seed`` ..
``--seed + --count - 1`` (a range disjoint from every evaluation set: the benchmark's corpus
1-200, the fresh sets 5001-5060 and 9001-9100), each is converted exactly as the CLI does it,
with the layouts of real extractions at random (``samples/corpus/layouts.py``: a run-in lead
item, long unpunctuated clauses, run-in headlines that wrap), the lines the structure stage
reads are captured, labelled from the truth
(``samples/corpus/alignment.py``) and described by ``structure.features``. One model per kind:
``raw`` (the raw extraction and pdftotext's, both plain text) and ``pdf`` (the text layer).
A pdftotext extraction read across two columns (``structure.interleaved``) is put back in
column order at run time (``structure.columns_text``) and learned in that order, as the
labeller reads it. One plain-text input in four is also learned from its first item on, as a
raw extraction that lost its masthead (``headless``).
Writes ``src/bulletin_ocr/structure/models/<kind>.crfsuite`` (lines) and
``runin-<kind>.crfsuite`` (where run-in headlines end, ``structure.headline_end``), each with
its ``.sha256``.

Run from the repository root (``make labeller``)::

    PYTHONPATH=src:. python tools/train_labeller.py --seed 30001 --count 500
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples.corpus.alignment import align, head_split  # noqa: E402

import bulletin_ocr.structure as structure  # noqa: E402
from bulletin_ocr.structure import headline_end  # noqa: E402
from bulletin_ocr.structure.features import InputKind  # noqa: E402
from bulletin_ocr.structure.labeller import MODELS, attributes  # noqa: E402

# The inputs each model learns from: file suffix per generated bulletin.
TRAINING_INPUTS = {
    InputKind.RAW_TEXT: (".txt", ".pdftotext.txt"),
    InputKind.PDF_TEXT_LAYER: (".pdf",),
}
# CRFsuite's L-BFGS with elastic-net regularisation, as GROBID's and most line taggers use.
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150,
          "feature.possible_transitions": True}

Sequence_ = tuple[list[list[str]], list[str]]


@contextmanager
def capturing() -> Iterator[list[Sequence_]]:
    """Run conversions inside the block with the labeller's entry point replaced by one that
    records what it would read (the attributes of every line the structure stage sees) and
    lets the rules decide; the caller labels the records from the truth afterwards."""
    found: list[Any] = []
    real_label, real_has, real_decider = (
        structure.label_lines, structure.has_model, structure.decider_for)

    def record(lines: Any, evidence: Any, kind: Any, heights: Any = None) -> list[str]:
        found.append((attributes(lines, evidence, heights), [line.text for line in lines],
                      (list(lines), evidence, heights)))
        return ["para"] * len(lines)

    structure.label_lines = record  # type: ignore[assignment]
    structure.has_model = lambda kind: True  # type: ignore[assignment]
    structure.decider_for = lambda kind: "crf"  # type: ignore[assignment]
    try:
        yield found
    finally:
        structure.label_lines = real_label  # type: ignore[assignment]
        structure.has_model = real_has  # type: ignore[assignment]
        structure.decider_for = real_decider  # type: ignore[assignment]


def run_in_examples(texts: list[str], labels: list[str], heads: dict[int, str]) -> list[Sequence_]:
    """Character sequences labelled ``H``/``B`` for the run-in headlines of one input."""
    out = []
    for index, head in heads.items():
        block = [texts[index]]
        for text, label in zip(texts[index + 1 :], labels[index + 1 :], strict=False):
            if label != "para+" or len(block) == headline_end.WINDOW_LINES:
                break
            block.append(text)
        text = headline_end.window(block)
        split = head_split(text, head)
        if split is not None:
            tags = ["H"] * split + ["B"] * (len(text) - split)
            out.append((headline_end.char_attributes(text), tags))
    return out


# One plain-text input in this many is also learned without its masthead (``headless``).
HEADLESS_EVERY = 4


def headless(labels: list[str], lines: list[Any], evidence: Any, heights: Any) -> list[Sequence_]:
    """The input again from its first line after the masthead, described afresh: a raw
    extraction that begins at the first item, its masthead lost (the real seed ``000_…``
    opens with a standalone headline, a first line the generator's bulletins never show)."""
    start = next((k for k, label in enumerate(labels) if label != "masthead"), 0)
    if start == 0 or start == len(labels):
        return []
    return [(attributes(lines[start:], evidence, heights), labels[start:])]


def sequences(folder: Path, seeds: range) -> dict[str, list[Sequence_]]:
    """Generate (or reuse) the bulletins and the labelled sequences of every input: lines
    for each kind's line model, characters for its run-in headline model."""
    from samples.corpus.generate import generate, write

    from bulletin_ocr.api import convert

    out: dict[str, list[Sequence_]] = {}
    for seed in seeds:
        name = f"b{seed:06d}"
        truth_path = folder / f"{name}.json"
        if not truth_path.exists():
            write(generate(seed, layouts=True), folder)
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for kind, suffixes in TRAINING_INPUTS.items():
            for suffix in suffixes:
                with capturing() as found:
                    convert(folder / f"{name}{suffix}")
                for attrs, texts, read in found:
                    labels, heads = align(texts, truth)
                    out.setdefault(f"{kind.value}.crfsuite", []).append((attrs, labels))
                    out.setdefault(headline_end.model_name(kind), []).extend(
                        run_in_examples(texts, labels, heads))
                    if kind is InputKind.RAW_TEXT and seed % HEADLESS_EVERY == 0:
                        out[f"{kind.value}.crfsuite"] += headless(labels, *read)
    return out


def train(data: list[Sequence_], target: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for attrs, labels in data:
        trainer.append(attrs, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(target))
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.with_suffix(".sha256").write_text(f"{digest}  {target.name}\n", encoding="ascii")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=30001, help="first training seed")
    parser.add_argument("--count", type=int, default=500, help="training bulletins")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "labeller-corpus-layouts",
                        help="folder for the generated training bulletins")
    parser.add_argument("--models", type=Path, default=MODELS, help="where to write the models")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    data = sequences(args.work, range(args.seed, args.seed + args.count))
    args.models.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        counts = Counter(label for _, labels in rows for label in labels)
        target = args.models / name
        train(rows, target)
        print(f"{name}: {len(rows)} sequences, labels {dict(sorted(counts.items()))}, "
              f"model {target.stat().st_size} bytes", file=sys.stderr)
    print(f"trained in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
