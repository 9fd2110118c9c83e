"""Repair: turn the raw text of printed lines into clean text, keeping track of the lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bulletin_ocr.model import Emphasis, Line, TextSpan
from bulletin_ocr.repair.fixes import drop_cjk_spaces, normalize_cjk_punctuation

Fix = Callable[[str], str]

# Order matters: punctuation is judged with the spaces still there, so "1, 2" stays Latin.
DEFAULT_FIXES: tuple[Fix, ...] = (normalize_cjk_punctuation, drop_cjk_spaces)


def apply_fixes(raw: str, fixes: Sequence[Fix] = DEFAULT_FIXES) -> tuple[str, list[str]]:
    """Run ``fixes`` in order; return the clean text and the names of those that changed it."""
    applied = []
    text = raw
    for fix in fixes:
        fixed = fix(text)
        if fixed != text:
            applied.append(fix.__name__)
        text = fixed
    return text, applied


def map_offsets(raw: str, clean: str) -> list[int]:
    """For each offset in ``raw``, the offset in ``clean`` where that character ended up.

    Valid because fixes only delete whitespace, collapse it to one space, or swap a
    non-whitespace character for another one.

    >>> map_offsets("a  b\\n中", "a b中")
    [0, 1, 2, 2, 3, 3]
    """
    mapping = []
    j = 0
    previous_was_space = False
    for char in raw:
        mapping.append(j)
        if char.isspace():
            if not previous_was_space and j < len(clean) and clean[j] == " ":
                j += 1
            previous_was_space = True
        else:
            previous_was_space = False
            j += 1
    return mapping


def build_span(
    pieces: Sequence[tuple[Line, str]],
    fixes: Sequence[Fix] = DEFAULT_FIXES,
    emphasis: Mapping[str, tuple[int, str]] | None = None,
) -> tuple[TextSpan, list[str]]:
    """Join the raw pieces of consecutive printed lines and repair them into one span.

    ``emphasis`` (line id: where the run opening that line ends, its ``rend``) is carried to
    offsets in the repaired text.
    """
    orig = "\n".join(piece for _, piece in pieces)
    clean, applied = apply_fixes(orig, fixes)
    mapping = map_offsets(orig, clean)
    starts = []
    marked: list[Emphasis] = []
    offset = 0
    for line, piece in pieces:
        starts.append(mapping[offset] if offset < len(mapping) else len(clean))
        run = (emphasis or {}).get(line.id)
        # Only where the piece opens the line: the run's end is counted from the line's start.
        if run is not None and line.text.startswith(piece):
            end = min(run[0], len(piece))
            if end > 0:
                marked.append(Emphasis(mapping[offset], mapping[offset + end - 1] + 1, run[1]))
        offset += len(piece) + 1
    span = TextSpan(
        text=clean, orig=orig, lines=[line for line, _ in pieces], line_starts=starts,
        emphasis=marked,
    )
    return span, applied
