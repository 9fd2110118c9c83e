"""Reading a typeset bulletin back: what was drawn, and the check that the PDF holds it."""

from __future__ import annotations

import io

from samples import make_pdf as mp
from samples.corpus.typeset import Built


def line_text(line: mp.Line, run_in_space: bool) -> str:
    """A printed line as an extraction shows it: one space in a run-in gap, if asked."""
    out = []
    for i, a in enumerate(line.atoms):
        out.append(a.text)
        if run_in_space and i in line.gaps_after:
            out.append(" ")
    return "".join(out)


def drawn_text(built: Built) -> list[str]:
    """Per page, every character drawn, in drawing order, without whitespace."""
    out = []
    for pno, page in enumerate(built.pages, 1):
        parts = [ln.text() for ln, _ in built.masthead.lines] if pno == 1 else []
        parts += [p.line.text() for p in sorted(page.placed, key=lambda p: (p.frame, p.row))]
        parts += [p.line.text() for p in page.footer]
        if built.page_numbers:
            parts.append(built.page_numbers[pno - 1])
        out.append("".join("".join(parts).split()))
    return out


def check_text_layer(built: Built, truth_chars: str) -> None:
    """Read the PDF back with pdfplumber: its characters are those drawn, in order, and the
    truth's characters appear among them in order. Raises AssertionError otherwise."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        got = ["".join(ch["text"] for ch in page.chars if not ch["text"].isspace())
               for page in pdf.pages]
    want = drawn_text(built)
    if got != want:
        raise AssertionError(f"text layer differs from the layout:\n got {got}\nwant {want}")
    if not is_subsequence(truth_chars, "".join(got)):
        raise AssertionError("the text layer does not hold every truth character in order")


def is_subsequence(needle: str, haystack: str) -> bool:
    """True if every character of ``needle`` occurs in ``haystack`` in the same order.

    >>> is_subsequence("ace", "abcde"), is_subsequence("aec", "abcde")
    (True, False)
    """
    it = iter(haystack)
    return all(ch in it for ch in needle)
