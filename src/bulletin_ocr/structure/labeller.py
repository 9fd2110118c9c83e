"""The trained decider: a linear-chain CRF labels each line, the labels become blocks.

The model (``structure/models/<kind>.crfsuite``, trained by ``tools/train_labeller.py`` on the
corpus generator's labelled output, ``make labeller``) reads ``features.crf_attributes`` and
gives every line one of ``LABELS``. ``blocks_from_labels`` turns the labels into the same
blocks ``blocks.segment`` gives, so one assembler makes the items from either decider; where a
run-in headline ends inside its line is found as the rules find it (``blocks.run_in_gap_at``).
Each model's SHA-256 sits beside it and is checked before the model is opened.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from bulletin_ocr.model import Line
from bulletin_ocr.repair.chars import is_cjk
from bulletin_ocr.structure import conventions, cues, headline_end
from bulletin_ocr.structure.blocks import (
    Block,
    BlockKind,
    Evidence,
    run_in_gap_at,
    spaces_are_noise,
)
from bulletin_ocr.structure.features import (
    BODY_OPENING,
    InputKind,
    breaks_word,
    crf_attributes,
    line_features,
)
from bulletin_ocr.structure.features import GAP_BETWEEN_CJK as _CJK_GAP
from bulletin_ocr.structure.thresholds import SHARED

MODELS = Path(__file__).resolve().parent / "models"
LABELS = (
    "masthead", "head", "head+", "runin", "para", "para+", "brief", "attr", "attr+", "dist",
    "other",
)


class ModelError(RuntimeError):
    """A labeller model is missing or does not match its recorded checksum."""


def model_path(kind: InputKind) -> Path:
    return MODELS / f"{kind.value}.crfsuite"


def has_model(kind: InputKind) -> bool:
    return model_path(kind).is_file()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify(path: Path) -> None:
    """Raise ``ModelError`` unless ``path`` hashes to the digest in ``path.sha256``."""
    recorded = path.with_suffix(".sha256")
    if not path.is_file() or not recorded.is_file():
        raise ModelError(f"{path.name}: labeller model or its checksum is missing")
    expected = recorded.read_text(encoding="ascii").split()[0]
    if file_sha256(path) != expected:
        raise ModelError(f"{path.name}: checksum does not match {recorded.name}")


# Template conventions the labeller has no label for (it was trained on bulletins without
# them): a document that shows one is read by the rules, whose rows place them.
_UNLEARNED: tuple[tuple[conventions.Place, str], ...] = (
    ("body", "contents"), ("body", "section"), ("masthead", "signer"))


def unlearned_convention(lines: Sequence[Line]) -> str | None:
    """The cue of the first line holding a convention the labeller cannot label, if any."""
    for line in lines:
        for place, role in _UNLEARNED:
            row = conventions.decide(line.text, place)
            if row is not None and row.role == role:
                return row.cue
    return None


@cache
def _tagger(path: Path) -> Any:
    import pycrfsuite  # lazy: only documents the labeller decides load the CRF

    verify(path)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def label_lines(
    lines: Sequence[Line], evidence: Evidence, kind: InputKind,
    page_heights: dict[int, float] | None = None,
) -> list[str]:
    """The model's label for each line (none for no lines)."""
    if not lines:
        return []
    tagger = _tagger(model_path(kind))
    labels: list[str] = tagger.tag(attributes(lines, evidence, page_heights))
    labels = _masthead_without_sentences(lines, labels, tagger)
    for row in _ITEM_ROWS:
        labels = row(lines, labels)
    return labels


# Room at a line's right that a paragraph's first line never leaves: its indent (lost in raw
# text, where the line stops that much short) and the tolerance of a full line.
_MORE_THAN_AN_INDENT = SHARED.first_line_indent + SHARED.full_line_tolerance

# The labels of lines that may hold a sentence (a headline of its own holds none).
_HOLD_SENTENCES = ("runin", "para", "para+", "brief")


def _masthead_without_sentences(lines: Sequence[Line], labels: list[str], tagger: Any) -> list[str]:
    """A masthead holds no sentence: from the first leading ``masthead`` line with a comma or
    full stop on (a one-line masthead, then a run-in headline's line ``…签约 8月15日，…``),
    each such line takes its likeliest label among those of lines that hold sentences (the
    tagger's marginals, from ``tag``)."""
    out = list(labels)
    for index, label in enumerate(labels):
        if label != "masthead":
            break
        if cues.has_sentence_punct(cues.compact(lines[index].text)):
            for later in range(index, len(labels)):
                if out[later] != "masthead":
                    break
                others = [name for name in tagger.labels() if name in _HOLD_SENTENCES]
                out[later] = max(others, key=lambda name: tagger.marginal(name, later))
            break
    return out


def _masthead_lines_lead(lines: Sequence[Line], labels: list[str]) -> list[str]:
    """A document opens with its masthead: lines at its start that read as masthead lines by
    their words (title, issue numbers, issuer and date; ``cues.is_masthead_line``), alone or
    after lines labelled ``masthead``, are the masthead's, whatever the model said
    (``中共柳湾区委办公室    2025年8月3日`` tagged a headline after the title and issue)."""
    out = list(labels)
    for index, label in enumerate(labels):
        if label == "masthead":
            continue
        if not cues.is_masthead_line(lines[index].text):
            break
        out[index] = "masthead"
    return out


def _run_in_heads_at_gaps(lines: Sequence[Line], labels: list[str]) -> list[str]:
    """A paragraph's first line whose opening words read as a headline and stop at a gap
    between Chinese characters, before any sentence punctuation, opens with a run-in headline
    (``望江街道“二个到位”统筹推进反诈宣传 唐明松强调，…``, tagged a paragraph): the gap is
    what the printed page shows, unless such spaces are everywhere in the document."""
    if spaces_are_noise(lines):
        return labels
    out = list(labels)
    for index, label in enumerate(labels):
        if label != "para" or BODY_OPENING.match(cues.compact(lines[index].text)):
            continue  # a body's opening words (``截至3月20日 共走访…``) open no headline
        gap = cues.find_run_in_gap(
            lines[index].text, None, item_boundary=False, spaces_are_noise=False)
        if gap is not None and gap.line == 0:
            out[index] = "runin"
    return out


# A wrapped run-in headline's tail: a few characters, one gap, then the body (``锻炼 一是…``).
_TAIL_THEN_BODY = re.compile(r"^\s*([^\s，。；：！？、,;:!?]{1,6})\s+\S")


def _wrapped_run_in_heads(lines: Sequence[Line], labels: list[str]) -> list[str]:
    """A one-line ``head`` whose next line, labelled ``para``, opens with a few characters and
    a gap is a run-in headline that wrapped (``区委组织部“三项举措”加强年轻干部实践`` /
    ``锻炼 一是搭建实践平台。``, set in a larger face than the body, so its first line looks
    short): the two lines are ``runin`` and ``para+``, and the run-in gap is looked for as for
    any run-in headline. Whole items are this pass's business, not the line model's."""
    out = list(labels)
    for index in range(1, len(labels) - 1):
        if labels[index] != "head" or labels[index - 1] in ("head", "head+"):
            continue
        if labels[index + 1] != "para" or cues.has_sentence_punct(lines[index].text):
            continue
        following = lines[index + 1].text
        tail = _TAIL_THEN_BODY.match(following)
        if tail is not None and len(_CJK_GAP.findall(following)) == 1 and all(
                is_cjk(c) for c in tail.group(1)):
            out[index], out[index + 1] = "runin", "para+"
    return out


def _headlines_end_at_words(lines: Sequence[Line], labels: list[str]) -> list[str]:
    """A headline's line that the model tagged a paragraph's first: a line after a headline
    that holds no sentence punctuation and stops short by more than a first line's indent,
    where the headline's last line breaks inside a word that it finishes (``（二）滨河街道“三个到``
    / ``位”扎实推进医保基金监管``) or the two stop as short as each other, a headline set on
    balanced lines (``（一）白沙镇稳岗就业见行见效`` / ``全力助推食品安全形成长效机制``). A
    paragraph's first line that pdftotext cut at a change of font stops shorter than the
    headline (``（三）滨河街道全力抓好食品安全工作`` / ``通过“梅岭通”App`` / ``和政务服务网…``)."""
    out = list(labels)
    for index in range(len(labels) - 1):
        if out[index] not in ("head", "head+") or out[index + 1] != "para":
            continue
        line, following = lines[index], lines[index + 1]
        balanced = abs(line.right_gap - following.right_gap) <= SHARED.full_line_tolerance
        if (following.right_gap > _MORE_THAN_AN_INDENT
                and not cues.has_sentence_punct(following.text)
                and (balanced or breaks_word(line.text, following.text))):
            out[index + 1] = "head+"
    return out


# The post-pass over the labels, about whole items rather than lines, in the order it runs:
# the masthead first (what follows it depends on where it ends), then where run-in
# headlines open, then how headlines wrap.
_ITEM_ROWS: tuple[Callable[[Sequence[Line], list[str]], list[str]], ...] = (
    _masthead_lines_lead,
    _run_in_heads_at_gaps,
    _wrapped_run_in_heads,
    _headlines_end_at_words,
)


def attributes(
    lines: Sequence[Line], evidence: Evidence, page_heights: dict[int, float] | None = None
) -> list[list[str]]:
    """What the model reads of each line (training reads the same)."""
    return crf_attributes(line_features(lines, evidence.body, page_heights))


def blocks_from_labels(
    lines: Sequence[Line],
    labels: Sequence[str],
    evidence: Evidence | None = None,
    kind: InputKind | None = None,
) -> list[Block]:
    """The blocks the labels describe: a masthead from the leading ``masthead`` lines, a block
    at each opening label, continuation labels (and ``other``) joining the block before."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines) and labels[index] in ("masthead", "other"):
        index += 1
    if index:
        blocks.append(Block("masthead", list(lines[:index]), cues=["labeller"]))
    starts: list[int] = []
    for position in range(index, len(lines)):
        label, line = labels[position], lines[position]
        current = blocks[-1] if blocks else None
        opens = _opens(label, current)
        if opens is None and current is not None:
            current.lines.append(line)
            continue
        blocks.append(Block(opens or "para", [line], cues=[f"labelled {label}"]))
        starts.append(position)
        if label == "runin":
            blocks[-1].cues.append("run-in headline")
    for block, start in zip(blocks[len(blocks) - len(starts):], starts, strict=True):
        if "run-in headline" in block.cues:
            _place_run_in_gap(block, lines, start, evidence or Evidence(), kind)
        if block.kind == "attribution" and cues.attribution_org(
                "".join(line.text.strip() for line in block.lines)) is None:
            # An attribution is an office in brackets: anything else labelled one is text
            # (``镇（街道）`` printed whole, which an attribution's brackets would double).
            block.kind = "para"
            block.cues.append("no office in brackets")
    return [b for b in blocks if b.kind != "head" or b.lines]


_OPENING: dict[str, BlockKind] = {"head": "head", "runin": "para", "para": "para", "brief": "para",
            "attr": "attribution", "dist": "distribution"}
# Continuation labels and the blocks they may continue.
_CONTINUES = {"head+": ("head",), "para+": ("para",), "attr+": ("attribution", "para"),
              "dist": ("distribution",), "other": ("para", "head", "attribution", "distribution"),
              "masthead": ("para", "head", "attribution", "distribution")}


def _opens(label: str, current: Block | None) -> BlockKind | None:
    """The kind of block ``label`` opens, or None when the line goes on with ``current``.
    Nothing follows a distribution list but more of it (as the rules read it)."""
    if current is not None and current.kind == "distribution":
        return None
    if label in _OPENING and not (label == "dist" and current and current.kind == "distribution"):
        return _OPENING[label]
    if current is not None and current.kind in _CONTINUES.get(label, ()):
        return None
    return "head" if label == "head+" else "attribution" if label == "attr+" else "para"


def _learned_gap(block: Block, kind: InputKind | None) -> cues.Gap | None:
    """Where the run-in model for ``kind`` says the headline opening ``block`` ends."""
    if kind is None or not (MODELS / headline_end.model_name(kind)).is_file():
        return None
    texts = [line.text for line in block.lines[: headline_end.WINDOW_LINES]]
    text = headline_end.window(texts)
    if not text:
        return None
    tags = _tagger(MODELS / headline_end.model_name(kind)).tag(headline_end.char_attributes(text))
    end = headline_end.end_in_window(tags, text)
    return None if end is None else headline_end.gap_from_offset(texts, end)


def _place_run_in_gap(
    block: Block, lines: Sequence[Line], start: int, evidence: Evidence, kind: InputKind | None
) -> None:
    """Where the run-in headline opening ``block`` ends: where the faces show it (the rules'
    cues, on a text layer or a scan), else where the run-in model says; else, when the first
    line reads as a headline, at its end (the body went on to the next line); else the block
    is a standalone headline when it is one line that reads as one."""
    gap, found = run_in_gap_at(lines, start, evidence)
    learned = _learned_gap(block, kind)
    if learned is not None and (gap is None or evidence.body is None):
        gap, found = learned, ["run-in model"]
    if gap is not None and gap.line < len(block.lines):
        block.gap = gap
        block.cues += found
        return
    first = block.lines[0].text
    if cues.could_be_run_in_head(first) and not cues.has_sentence_punct(first):
        if len(block.lines) > 1:
            end = len(first.rstrip())
            block.gap = cues.Gap(0, end, len(first))
            block.cues.append("whole first line")
        else:
            block.kind = "head"
            block.cues.append("one line")
