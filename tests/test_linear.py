"""Repair, layout and structure stay linear in the length of a line (issue 11 item 2).

A raw extraction can put tens of thousands of spaced characters on one line; a scan that
grows with the square of the line took 304 s on 40,000 pairs. Timing is compared between two
sizes in the same run (the machine's speed cancels out): eight times the text may take about
eight times as long, never the 64 times a quadratic scan would.
"""

from __future__ import annotations

import time

from bulletin_ocr.pipeline import document_from_text


def _best_of_three(pairs: int) -> float:
    text = "简报\n" + "中 " * pairs + "\n"
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        document = document_from_text(text, "long-line", "0" * 64)
        best = min(best, time.perf_counter() - start)
    texts = [block.text for item in document.items for block in (item.head, *item.paragraphs)
             if block is not None]
    assert any("中" * 100 in text for text in texts)
    return best


def test_a_long_spaced_line_converts_in_linear_time() -> None:
    _best_of_three(1_000)  # warm-up: imports and compiled patterns
    small, large = _best_of_three(10_000), _best_of_three(80_000)
    assert large < 24 * small, f"10k pairs: {small:.3f} s, 80k pairs: {large:.3f} s"
