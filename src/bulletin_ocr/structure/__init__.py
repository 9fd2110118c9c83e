"""Structure stage: one recogniser turns lines with their typography into masthead and items.

``recognise`` is the whole stage: the rules live in this package (``cues`` for words,
``typography`` for faces, ``rules`` for drawn rules, ``blocks`` for grouping lines, ``items``
and ``masthead`` for assembling them).
"""

from __future__ import annotations

from collections.abc import Sequence

from bulletin_ocr.model import Page, Table
from bulletin_ocr.structure.apparatus import find_apparatus
from bulletin_ocr.structure.blocks import Evidence, segment_around_tables
from bulletin_ocr.structure.columns_text import in_column_order
from bulletin_ocr.structure.decider import decider_for
from bulletin_ocr.structure.features import InputKind, input_kind
from bulletin_ocr.structure.interleaved import read_across_columns
from bulletin_ocr.structure.items import Structure, assemble
from bulletin_ocr.structure.labeller import (
    blocks_from_labels,
    has_model,
    label_lines,
    unlearned_convention,
)
from bulletin_ocr.structure.masthead import is_bulletin_masthead
from bulletin_ocr.structure.rules import lines_above_masthead_rule
from bulletin_ocr.structure.typography import body_face

__all__ = ["Structure", "recognise"]


def recognise(pages: Sequence[Page], tables: Sequence[Table] = ()) -> Structure:
    """The document's structure from its pages' lines (reading order, furniture removed).

    The rules or the trained labeller decide, by the kind of input (``structure.decider``);
    the rules always where the pages hold tables or template conventions (a table of contents,
    section labels, a signer line), which the labeller never saw. Plain text read across two
    columns (``structure.interleaved``) without such conventions is first put back in column
    order (``structure.columns_text``) and then goes to the labeller under either setting.

    Pages that still need OCR are left out. Nothing on the pages is changed: lines the
    recogniser finds to be furniture come back in ``Structure.set_aside``.
    """
    apparatus = find_apparatus([page for page in pages if not page.needs_ocr])
    apart = apparatus.note_ids() | {line.id for line, _ in apparatus.furniture}
    apart_before = {line.id for page in pages for line in page.furniture}
    lines = [
        line
        for page in pages
        if not page.needs_ocr
        for line in page.lines
        if line.id not in apart
    ]
    body = body_face(lines)
    evidence = Evidence(body=body, masthead_ids=lines_above_masthead_rule(pages, body))
    kind = input_kind(lines)
    # Two columns read across, put back in column order, go to the labeller under either
    # setting: it reads them better than the rules (benchmarks/README.md, issue 22). Not
    # with a template's conventions: a table of contents in a column, put back in order,
    # broke apart into item text (13 lines on 60 generated bulletins, against 1 left as read).
    learned = not tables and unlearned_convention(lines) is None
    reordered = learned and kind is InputKind.RAW_TEXT and read_across_columns(lines)
    if reordered:
        lines = in_column_order(lines)
    if learned and (reordered or decider_for(kind) == "crf") and has_model(kind):
        heights = {page.number: page.height for page in pages if page.height}
        labels = label_lines(lines, evidence, kind, heights)
        structure = assemble(blocks_from_labels(lines, labels, evidence, kind), body)
    else:
        structure = assemble(segment_around_tables(lines, tables, evidence), body)
    if structure.masthead is not None and not is_bulletin_masthead(structure.masthead):
        # A report's cover or a magazine's column head: its lines are headlines and text.
        plain = Evidence(body=body)
        structure = assemble(segment_around_tables(lines, tables, plain, masthead=False), body)
    # Furniture the layout rule already set aside gets this decider's reason, not a second move.
    structure.set_aside += [line for line, _ in apparatus.furniture if line.id not in apart_before]
    structure.reasons.update({line.id: reason for line, reason in apparatus.furniture})
    structure.notes = apparatus.notes
    return structure
