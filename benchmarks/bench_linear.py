"""Time of repair + layout + structure on one very long spaced line: it must grow linearly.

A raw extraction can hold a single line of tens of thousands of characters, each followed by a
space (``中 中 中 …``: text pulled out of a layout tool character by character). Every scan the
converter makes over a line or a document must stay linear (or n log n) in its length; a
quadratic one took 71 s at 20,000 pairs and 304 s at 40,000 before it was fixed.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_linear.py            # 10k, 40k, 160k pairs
    PYTHONPATH=src python benchmarks/bench_linear.py --pairs 5000 20000 --repeat 5

For each size the raw text ``简报\\n`` + ``中 `` × N is converted by
``bulletin_ocr.pipeline.document_from_text`` (the raw-text path: page splitting, layout
measures, repair and the structure recogniser), ``--repeat`` times; the table gives the
median seconds, and the ratio to the previous size (4 when the sizes grow fourfold and the
time grows linearly, 16 if it grew with the square).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bulletin_ocr.pipeline import document_from_text


def spaced_line(pairs: int) -> str:
    return "简报\n" + "中 " * pairs + "\n"


def seconds(pairs: int, repeat: int) -> float:
    text = spaced_line(pairs)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        document_from_text(text, "bench", "0" * 64)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[10_000, 40_000, 160_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seconds(1_000, 1)  # warm-up: imports and regex compilation are not charged
    print(f"{'pairs':>9} {'seconds':>9} {'ratio':>7}")
    previous = None
    for pairs in args.pairs:
        took = seconds(pairs, args.repeat)
        ratio = f"{took / previous:7.2f}" if previous else f"{'':>7}"
        print(f"{pairs:>9} {took:9.3f} {ratio}")
        previous = took


if __name__ == "__main__":
    main()
