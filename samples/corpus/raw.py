"""A pdftotext-style raw extraction of a typeset bulletin, in the shape of ``shared/seeds/``.

Built from the lines the PDF was laid out with (so its line breaks are the PDF's), with the
artefacts of the seeds, reusing ``samples/make_raw.py``: every printed line is one text line
followed by a blank line; each page starts with one space (the seeds' page-break marker) and
ends with its page number line (``— 2 —``) when the bulletin prints page numbers; the file ends
with a line holding one space. Columns are read one after the other. Indents and alignment are
lost. A run-in gap becomes one space (none when the variant has no gap, as pdftotext writes
nothing for glyphs that touch). A letter-spaced title comes out with spaces between its
characters. ``raw_spaces``: ``digits`` puts spaces around about half the numbers that touch a
CJK character (80 % in the masthead); ``cjk`` also between CJK characters of the masthead.
"""

from __future__ import annotations

import random
from typing import Any

from samples import make_raw
from samples.corpus.readback import line_text
from samples.corpus.typeset import Built

P_DIGIT = {"none": 0.0, "digits": make_raw.SPURIOUS_DIGIT_P, "cjk": make_raw.SPURIOUS_DIGIT_P}
P_DIGIT_MASTHEAD = make_raw.SPURIOUS_DIGIT_P_MASTHEAD


def raw_text(built: Built, v: dict[str, Any], rng: random.Random) -> str:
    mode = v["raw_spaces"]
    run_in_space = v["runin_gap"] != "none"

    def spaced(text: str, masthead: bool) -> str:
        if mode == "none":
            return text
        p_digit = P_DIGIT_MASTHEAD if masthead else P_DIGIT[mode]
        p_cjk = make_raw.SPURIOUS_CJK_P if (mode == "cjk" and masthead) else 0.0
        return make_raw.spurious_spaces(text, rng, p_digit, p_cjk)

    pages: list[list[str]] = []
    for pno, page in enumerate(built.pages, 1):
        lines = [spaced(t, True) for t in built.masthead.raw_lines] if pno == 1 else []
        for p in sorted(page.placed, key=lambda p: (p.frame, p.row)):
            lines.append(spaced(line_text(p.line, run_in_space), False))
        rows: dict[int, list[str]] = {}
        for p in page.footer:  # an imprint or colophon row holds several lines
            rows.setdefault(p.row, []).append(p.line.text())
        lines += [spaced("    ".join(row), False) for row in rows.values()]
        if built.page_numbers:
            lines.append(built.page_numbers[pno - 1])
        pages.append(lines)
    return "".join(" " + "\n\n".join(lines) + "\n" for lines in pages) + " "
