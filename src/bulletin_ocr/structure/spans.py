"""Cutting the raw text of a block into pieces of printed lines, and repairing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bulletin_ocr.model import Line, TextSpan
from bulletin_ocr.repair import build_span
from bulletin_ocr.structure.conventions.text import without_speck_after_bracket

Piece = tuple[Line, str]


def pieces_of(lines: Sequence[Line]) -> list[Piece]:
    return [(line, line.text) for line in lines]


def joined(pieces: Sequence[Piece]) -> str:
    return "\n".join(text for _, text in pieces)


def split_pieces(pieces: Sequence[Piece], offset: int) -> tuple[list[Piece], list[Piece]]:
    """Split at ``offset`` into ``joined(pieces)``; a line cut in two appears on both sides."""
    before: list[Piece] = []
    after: list[Piece] = []
    position = 0
    for line, text in pieces:
        end = position + len(text)
        if end <= offset:
            before.append((line, text))
        elif position >= offset:
            after.append((line, text))
        else:
            before.append((line, text[: offset - position]))
            after.append((line, text[offset - position :]))
        position = end + 1
    return [p for p in before if p[1].strip()], [p for p in after if p[1].strip()]


class SpanMaker:
    """Builds repaired spans and remembers which repairs changed anything."""

    def __init__(self) -> None:
        self.repairs: list[str] = []

    def span(
        self, pieces: Sequence[Piece], emphasis: Mapping[str, tuple[int, str]] | None = None
    ) -> TextSpan:
        span, applied = build_span(pieces, emphasis=emphasis)
        for name in applied:
            if name not in self.repairs:
                self.repairs.append(name)
        return span

    def unwrapped(self, pieces: Sequence[Piece], opening: str, closing: str) -> TextSpan:
        """A span for text printed inside brackets, without them (``orig`` keeps them), and
        without a scan's speck read as a dot after them (``（北湖街道）.``)."""
        span = self.span(pieces)
        text = without_speck_after_bracket(span.text)
        if text.startswith(opening) and text.endswith(closing):
            inner = text[len(opening) : len(text) - len(closing)]
            starts = [max(0, min(len(inner), s - len(opening))) for s in span.line_starts]
            return TextSpan(inner, span.orig, span.lines, starts)
        return span
