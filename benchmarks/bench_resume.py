"""Batch planning at archive scale: first run, resume (everything skipped) and ``--force``.

For each size, a folder of N small raw ``.txt`` bulletins is converted into a fresh OUTDIR
three times: the first run, the same run again (every input is skipped: the cost is
discovery, the report, the checks of every output path and one hash per input) and a
``--force`` run (planning as for the resume, then every input converted again). Each run is
``convert_batch`` in a fresh Python process, so its peak resident memory
(``getrusage(RUSAGE_SELF).ru_maxrss``) is the batch parent's alone, workers not counted.

    PYTHONPATH=src python benchmarks/bench_resume.py --sizes 3000 10000 --jobs 2

Before issue 20, 5,000 inputs took 17 s to convert and 410 s to resume: every output was
compared with every input (``os.path.samefile``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = """
import json, resource, sys, time
from bulletin_ocr.batch import convert_batch
started = time.perf_counter()
result = convert_batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), force=sys.argv[4] == "1")
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "converted": sum(r.status in ("ok", "warning") for r in result.records),
    "skipped": result.count("skipped"), "errors": result.count("error"),
}))
"""

TEXT = (
    "区委组织部开展专项检查\n2023年4月{day}日\n第{number}号\n"
    "各单位认真落实，确保工作取得实效。\n"
)


def make_inputs(folder: Path, count: int) -> None:
    """``count`` bulletins of a few lines each, 100 to a sub-folder (as an archive is kept)."""
    for number in range(count):
        sub = folder / f"{number // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = TEXT.format(day=number % 28 + 1, number=number)
        (sub / f"b{number:05d}.txt").write_text(text, encoding="utf-8")


def run(inputs: Path, outdir: Path, jobs: int, force: bool) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(inputs), str(outdir), str(jobs), "1" if force else "0"],
        capture_output=True, text=True, check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3_000, 10_000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"{'inputs':>7} {'run':>7} {'seconds':>8} {'parent MB':>9} {'converted':>9} "
          f"{'skipped':>8} {'errors':>6}")
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="bench-resume-"))
        try:
            make_inputs(work / "in", size)
            for name, force in (("first", False), ("resume", False), ("force", True)):
                got = run(work / "in", work / "out", args.jobs, force)
                print(f"{size:>7} {name:>7} {got['seconds']:8.1f} {got['rss_mb']:9.0f} "
                      f"{got['converted']:>9.0f} {got['skipped']:>8.0f} {got['errors']:>6.0f}",
                      flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
