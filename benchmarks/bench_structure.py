"""Structure recognition measured on invented bulletins, the seeds and the samples.

For each input path -- ``raw`` (the seeds-style raw extraction ``.txt``), ``pdftotext``
(poppler's ``pdftotext`` of the PDF, corpus only), ``pdf`` (the text-layer PDF) and ``scan``
(the degraded 300-dpi scan, OCR) -- every bulletin is converted exactly as the CLI
does it (``bulletin_ocr.api.convert`` then the JSON projection
``bulletin_ocr.export.json.document_to_dict``) and scored against its truth with
``samples/corpus/metrics.py`` (its docstring defines every metric). Sets:

* ``corpus``: ``--count`` generated bulletins (``samples/corpus``, seeds ``--seed`` ..
  ``--seed + count - 1``) on the raw, pdftotext and PDF paths, the first ``--scan-count`` of
  them on the scan path. Generated files are cached under ``--cache`` (default
  ``out/corpus-cache/``, ignored by git) in a folder named after a hash of the generator's
  sources, so a changed generator never reuses stale files.
* ``seeds``: the two real raw extractions in ``../shared/seeds`` (raw path only). Their truth
  is rebuilt at run time from the expectations in ``tests/test_seeds.py`` (headlines,
  attributions, the first characters of every paragraph) and the seed text itself: each
  paragraph runs from its start to the next paragraph, headline, brief mark or attribution; the
  masthead is the first line if it ends with a date. ``exact`` is not defined for them.
* ``samples``: the three samples, raw and PDF, truth ``samples/expected/*.json``; on the scan
  path only the scans that show every page of their sample (``lanshan-2024-03-scan.pdf``).

With ``--conventions`` the corpus is generated with real templates' conventions at random
(``samples/corpus/conventions.py``; cached in a folder of its own) and each path also prints
how often the masthead's secrecy mark and signer, the contents, the items' sections and the
footer entries are right, and ``leaks``: how many TOC entries, section labels and footer lines
ended up in item text (``samples/corpus/metrics.py``, "Conventions").

Then, for the corpus, a per-variant breakdown: every metric by the value of each key of the
truth's ``variant`` (and the scan ``mode`` on the scan path), and the variant values with the
lowest headline, attribution and paragraph F1: the layouts that still fail.

Run from the repository root::

    PYTHONPATH=src:. python benchmarks/bench_structure.py            # every path, 200 scans
    PYTHONPATH=src:. python benchmarks/bench_structure.py --paths raw,pdftotext,pdf
    PYTHONPATH=src:. python benchmarks/bench_structure.py --paths scan --scan-count 20
    PYTHONPATH=src:. python benchmarks/bench_structure.py --paths raw,pdf --decider rules,crf

``--decider rules,crf`` scores every set once with each structure decider (the rules of
``structure/blocks.py``, the trained labeller of ``structure/labeller.py``), one row each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # samples.corpus and tests.test_seeds live at the top
    sys.path.insert(0, str(ROOT))

from samples.corpus.metrics import Score, aggregate, norm, score  # noqa: E402

SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
PATHS = ("raw", "pdftotext", "pdf", "scan")
EMPTY: dict[str, Any] = {"masthead": None, "items": [], "distribution": []}
MASTHEAD_COLS = ("title", "issue", "cumulative_issue", "issuer", "date", "date_text")


@dataclass
class Case:
    """One input file and its truth."""

    name: str
    path: Path
    truth: dict[str, Any]


@dataclass
class Result:
    case: Case
    score: Score
    error: str | None
    seconds: float


# --------------------------------------------------------------------------- the corpus


def generator_hash() -> str:
    """A hash of every source the generated files depend on (the metrics are not one)."""
    files = sorted(p for p in (SAMPLES / "corpus").glob("*.py") if p.name != "metrics.py") + [
        SAMPLES / name for name in ("make_pdf.py", "make_raw.py", "make_scans.py")]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def corpus_cases(cache: Path, first: int, count: int, scan_count: int,
                 paths: Iterable[str], conventions: bool = False) -> dict[str, list[Case]]:
    """Generate (or reuse) the corpus; the cases of each path."""
    from samples.corpus.generate import generate, write

    folder = cache / (generator_hash() + ("-conventions" if conventions else ""))
    out: dict[str, list[Case]] = {p: [] for p in paths}
    for k, seed in enumerate(range(first, first + count)):
        name = f"b{seed:06d}"
        want_scan = "scan" in out and k < scan_count
        truth_path = folder / f"{name}.json"
        truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else None
        if truth is None or (want_scan and "scan" not in truth):
            bulletin = generate(seed, conventions=conventions)
            write(bulletin, folder, scan=want_scan)
            truth = bulletin.truth
        if "raw" in out:
            out["raw"].append(Case(name, folder / f"{name}.txt", truth))
        if "pdftotext" in out:
            out["pdftotext"].append(Case(name, folder / f"{name}.pdftotext.txt", truth))
        if "pdf" in out:
            out["pdf"].append(Case(name, folder / f"{name}.pdf", truth))
        if want_scan:
            out["scan"].append(Case(name, folder / truth["scan"]["file"], truth))
    return out


# --------------------------------------------------------------------------- seeds, samples


def seed_truth(text: str, expected: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A truth for a seed, from the expectations of tests/test_seeds.py and the seed's text.

    ``expected`` rows are (type, head rend, head, paragraph starts, attribution, alone).
    """
    body = norm(text)
    lines = [norm(line) for line in text.splitlines() if line.strip()]
    masthead = None
    match = re.fullmatch(r"(.*?)(\d{4})年(\d{1,2})月(\d{1,2})日", lines[0]) if lines else None
    if match:
        year, month, day = (int(g) for g in match.groups()[1:])
        masthead = {"title": None, "issue": None, "cumulative_issue": None,
                    "issuer": match.group(1), "date": f"{year:04d}-{month:02d}-{day:02d}",
                    "date_text": f"{year}年{month}月{day}日"}
    # Where every piece starts, in order: (offset, kind, item index, text)
    marks: list[tuple[int, str, int, str]] = []
    pos = 0
    for index, (_kind, _rend, head, starts, attribution, _alone) in enumerate(expected):
        if head:
            pos = body.index(norm(head), pos)
            marks.append((pos, "head", index, norm(head)))
            pos += len(norm(head))
        for start in starts:
            pos = body.index(norm(start), pos)
            marks.append((pos, "para", index, ""))
            pos += 1
        if attribution:
            pos = body.index(f"({norm(attribution)})", pos)
            marks.append((pos, "attr", index, norm(attribution)))
            pos += len(norm(attribution)) + 2
    items = [{"type": row[0], "head": row[2], "head_rend": row[1], "paragraphs": [],
              "attribution": row[4]} for row in expected]
    for k, (offset, kind, index, _text) in enumerate(marks):
        if kind != "para":
            continue
        end = marks[k + 1][0] if k + 1 < len(marks) else len(body)
        items[index]["paragraphs"].append(body[offset:end].rstrip("△"))
    return {"masthead": masthead, "items": items, "distribution": [], "classification": None}


def seed_cases() -> list[Case]:
    # The expectations live with the seed tests, which import their conftest as a top module.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from tests.test_seeds import SEEDS

    cases = []
    seeds: dict[str, list[tuple[Any, ...]]] = SEEDS  # type: ignore[assignment]
    for file_name, expected in sorted(seeds.items()):
        path = SHARED / "seeds" / file_name
        if path.is_file():
            truth = seed_truth(path.read_text(encoding="utf-8"), expected)
            cases.append(Case(path.stem, path, truth))
    return cases


def sample_cases(path_kind: str) -> list[Case]:
    cases = []
    for expected in sorted((SAMPLES / "expected").glob("*.json")):
        truth = json.loads(expected.read_text(encoding="utf-8"))
        name = expected.stem
        if path_kind == "raw":
            files = [SAMPLES / "raw" / f"{name}.txt"]
        elif path_kind == "pdf":
            files = [SAMPLES / "pdf" / f"{name}.pdf"]
        else:  # only scans of every page of the sample compare with its whole truth
            files = [SAMPLES / "scans" / f"{name}-scan.pdf"]
        cases += [Case(f.name, f, truth) for f in files if f.is_file()]
    return cases


# --------------------------------------------------------------------------- running


def run_cases(cases: list[Case], with_cer: bool, progress: Callable[[str], None],
              decider: str | None = None) -> list[Result]:
    """Convert and score every case; ``decider`` (rules, crf) forces the structure decider."""
    from contextlib import nullcontext

    from bulletin_ocr.api import convert
    from bulletin_ocr.export.json import document_to_dict
    from bulletin_ocr.structure.decider import forced

    results = []
    for k, case in enumerate(cases, 1):
        start = time.perf_counter()
        error = None
        try:
            with forced(decider) if decider else nullcontext():  # type: ignore[arg-type]
                got = document_to_dict(convert(case.path))
        except Exception:  # a crash is a result too: scored as an empty document
            error = traceback.format_exc(limit=2).strip().splitlines()[-1]
            got = EMPTY
        seconds = time.perf_counter() - start
        results.append(Result(case, score(got, case.truth, with_cer=with_cer), error, seconds))
        if k % 25 == 0 or with_cer:
            progress(f"  {case.path.name}: {k}/{len(cases)} ({seconds:.1f} s)")
    return results


# --------------------------------------------------------------------------- tables


def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def summary_row(label: str, results: list[Result], cer: bool, exact: bool = True) -> list[str]:
    agg = aggregate([r.score for r in results])
    cells = [label, str(len(results)), fmt(agg["head_f1"]), fmt(agg["attr_f1"]),
             fmt(agg["para_f1"]), fmt(agg["items_acc"])]
    cells += [fmt(agg[f"mh_{k}"]) for k in MASTHEAD_COLS]
    cells += [fmt(agg["leak"]), fmt(agg["exact"]) if exact else "-"]
    cells.append(fmt(agg["cer"], 4) if cer else "-")
    cells.append(str(sum(r.error is not None for r in results)))
    return cells


SUMMARY_HEAD = ["set", "n", "head F1", "attr F1", "para F1", "items", "title", "issue",
                "cum.", "issuer", "date", "date txt", "leak", "exact", "CER", "errors"]
CONVENTIONS_HEAD = ["set", "n", "secrecy", "signer", "contents", "sections", "footer",
                    "leaks"]


def conventions_row(label: str, results: list[Result]) -> list[str] | None:
    """Scores of the template conventions (``--conventions``): field accuracy and the count
    of TOC entries, section labels and footer lines found in item text."""
    agg = aggregate([r.score for r in results])
    if not agg["conv_n"]:
        return None
    return [label, str(int(agg["conv_n"])),
            *(fmt(agg[f"conv_{k}"]) for k in ("secrecy", "signer", "contents", "sections",
                                               "footer")),
            str(int(agg["conv_leaks"]))]


BREAKDOWN_HEAD = ["variant", "n", "head F1", "attr F1", "para F1", "items", "date", "leak",
                  "exact"]


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(head: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, padded so that it also lines up as plain text."""
    widths = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - width(c))
                                 for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


def variant_of(result: Result, path_kind: str) -> dict[str, Any]:
    variant = dict(result.case.truth.get("variant") or {})
    if path_kind == "scan" and "scan" in result.case.truth:
        variant["scan_mode"] = result.case.truth["scan"]["mode"]
    return variant


def breakdown(results: list[Result], path_kind: str) -> tuple[list[list[str]], list[str]]:
    """Rows of metric by variant value, and the ten weakest values by mean of the F1s."""
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        for key, value in variant_of(r, path_kind).items():
            groups[(key, str(value))].append(r)
    from samples.corpus.variants import VARIANTS

    order = {key: k for k, key in enumerate([*VARIANTS, "scan_mode"])}
    rows, ranked = [], []
    for (key, value), members in sorted(groups.items(),
                                        key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        agg = aggregate([m.score for m in members])
        rows.append([f"{key}={value}", str(len(members)), fmt(agg["head_f1"]),
                     fmt(agg["attr_f1"]), fmt(agg["para_f1"]), fmt(agg["items_acc"]),
                     fmt(agg["mh_date"]), fmt(agg["leak"]), fmt(agg["exact"])])
        mean = (agg["head_f1"] + agg["attr_f1"] + agg["para_f1"]) / 3
        ranked.append((mean, f"{key}={value} (n={len(members)}): head {agg['head_f1']:.3f}, "
                             f"attr {agg['attr_f1']:.3f}, para {agg['para_f1']:.3f}"))
    worst = [text for _, text in sorted(ranked)[:10]]
    return rows, worst


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", default=",".join(PATHS),
                        help="comma-separated input paths: raw, pdftotext, pdf, scan (default all)")
    parser.add_argument("--count", type=int, default=200, help="generated bulletins (raw, pdf)")
    parser.add_argument("--scan-count", type=int, default=200,
                        help="generated bulletins on the scan path (OCR, 2-5 s a page)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first bulletin")
    parser.add_argument("--cache", type=Path, default=ROOT / "out" / "corpus-cache",
                        help="folder for the generated files")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the per-variant tables")
    parser.add_argument("--conventions", action="store_true",
                        help="generate the corpus with real templates' conventions at random "
                             "(samples/corpus/conventions.py) and score them too")
    parser.add_argument("--json", type=Path, help="also write every per-bulletin score here")
    parser.add_argument("--decider", default="",
                        help="comma-separated structure deciders to compare (rules, crf); each "
                             "set is scored once per decider, in one table (default: the "
                             "default decider of each input kind)")
    args = parser.parse_args(argv)
    paths = [p for p in args.paths.split(",") if p]
    unknown = set(paths) - set(PATHS)
    if unknown:
        parser.error(f"unknown paths {sorted(unknown)}")
    deciders: list[str | None] = [d for d in args.decider.split(",") if d] or [None]
    if {d for d in deciders if d} - {"rules", "crf"}:
        parser.error(f"unknown deciders in {args.decider!r}: rules, crf")

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    start = time.perf_counter()
    scan_count = min(args.scan_count, args.count) if "scan" in paths else 0
    count = args.count if (set(paths) - {"scan"}) else scan_count
    corpus = corpus_cases(args.cache, args.seed, count, scan_count, paths, args.conventions)
    progress(f"corpus ready in {time.perf_counter() - start:.0f} s")
    dump: dict[str, Any] = {}
    for path_kind in paths:
        cer = path_kind == "scan"
        sets = {"corpus": corpus[path_kind]}
        if path_kind != "pdftotext":
            sets["samples"] = sample_cases(path_kind)
        if path_kind == "raw":
            sets["seeds"] = seed_cases()
        rows, results_by_set = [], {}
        for set_name, cases in sets.items():
            for decider in deciders:
                label = f"{set_name} ({decider})" if decider else set_name
                progress(f"{path_kind}/{label}: {len(cases)} inputs")
                results = run_cases(cases, cer, progress, decider)
                results_by_set[label] = results
                rows.append(summary_row(label, results, cer, exact=set_name != "seeds"))
        print(f"\n## {path_kind} path\n")
        print(table(SUMMARY_HEAD, rows))
        conv_rows = [row for name, rs in results_by_set.items()
                     if (row := conventions_row(name, rs)) is not None]
        if conv_rows:
            print(f"\n### {path_kind} path, template conventions\n")
            print(table(CONVENTIONS_HEAD, conv_rows))
        errors = [r for rs in results_by_set.values() for r in rs if r.error]
        for r in errors[:5]:
            print(f"\n  error on {r.case.path.name}: {r.error}")
        first_corpus = next(rs for name, rs in results_by_set.items() if name.startswith("corpus"))
        if not args.no_breakdown and first_corpus:
            b_rows, worst = breakdown(first_corpus, path_kind)
            print(f"\n### {path_kind} path, corpus, by variant\n")
            print(table(BREAKDOWN_HEAD, b_rows))
            print(f"\nWeakest layouts on the {path_kind} path (mean of the three F1s):")
            for line in worst:
                print(f"  {line}")
        dump[path_kind] = {
            set_name: [{"name": r.case.name, "error": r.error, "seconds": round(r.seconds, 3),
                        **{k: v for k, v in vars(r.score).items()}} for r in results]
            for set_name, results in results_by_set.items()}
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    progress(f"done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
