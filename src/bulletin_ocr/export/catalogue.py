"""The batch catalogue: one row per converted bulletin, one row per item, kept current in OUTDIR.

``catalogue.jsonl`` is the record (one JSON object per bulletin, its items inside);
``catalogue.csv`` and ``catalogue-items.csv`` are rebuilt from it on every update, for
spreadsheets (UTF-8 with a byte-order mark, which Excel needs to read Chinese) and database
imports. Rows are sorted by source, so the files do not depend on the order inputs finished.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from bulletin_ocr.export.meta import item_id
from bulletin_ocr.model import Document

CATALOGUE_JSONL = "catalogue.jsonl"
CATALOGUE_CSV = "catalogue.csv"
ITEMS_CSV = "catalogue-items.csv"

BULLETIN_FIELDS = (
    "source", "issuer", "title", "issue", "cumulative_issue", "date", "date_text",
    "items", "pages", "sha256", "bulletin_masthead", "sections",
)  # fmt: skip
ITEM_FIELDS = ("source", "date", "item", "type", "headline", "attribution", "section")
# Between the names of a bulletin's sections in its one catalogue cell.
SECTION_SEPARATOR = "；"

Row = dict[str, Any]


def catalogue_row(doc: Document, source: str | None = None) -> Row:
    """The bulletin's catalogue record: masthead fields, counts, and its items' rows."""
    masthead = doc.masthead
    source = source if source is not None else doc.source
    row: Row = {
        "source": source,
        "issuer": masthead.issuer if masthead else None,
        "title": masthead.title if masthead else None,
        "issue": masthead.issue if masthead else None,
        "cumulative_issue": masthead.cumulative_issue if masthead else None,
        "date": masthead.date if masthead else None,
        "date_text": masthead.date_text if masthead else None,
        "items": sum(1 for item in doc.items if item.table is None),
        "pages": len(doc.pages),
        "sha256": doc.sha256,
        # False: no bulletin masthead was recognised (a report, a book), so the fields are empty.
        "bulletin_masthead": masthead is not None,
        # The section labels the items are printed under (【工作动态】…), in order.
        "sections": SECTION_SEPARATOR.join(
            dict.fromkeys(item.section.name for item in doc.items if item.section is not None)
        ) or None,
    }
    row["item_rows"] = item_rows(doc, source, row["date"])
    return row


def item_rows(doc: Document, source: str, date: str | None = None) -> list[Row]:
    """One row per item (tables excluded): its id, kind, headline and attribution."""
    return [
        {
            "source": source,
            "date": date,
            "item": item_id(index),
            "type": item.kind,
            "headline": item.head.text if item.head is not None else None,
            "attribution": item.attribution.text if item.attribution is not None else None,
            "section": item.section.name if item.section is not None else None,
        }
        for index, item in enumerate(doc.items)
        if item.table is None
    ]


def update_catalogue(outdir: Path, source: str, document: Document | Row | None) -> None:
    """Put ``source``'s row in OUTDIR's catalogue, replacing any earlier one; None removes it.

    ``document`` may also be the row ``catalogue_row`` made in a worker process, so that only
    that small dict travels back to the process that owns the catalogue. Every file is
    replaced atomically, so an interrupted run leaves the previous catalogue. Call it from one
    process at a time (the batch's main process).
    """
    outdir = Path(outdir)
    rows = [row for row in read_catalogue(outdir) if row["source"] != source]
    if isinstance(document, Document):
        rows.append(catalogue_row(document, source))
    elif document is not None:
        rows.append({**document, "source": source})
    write_catalogue(outdir, rows)


def write_catalogue(outdir: Path, rows: list[Row]) -> None:
    """Replace OUTDIR's catalogue files with ``rows`` (from ``catalogue_row``), as one set."""
    from bulletin_ocr.export.files import write_file_set

    rows = [
        {**row, "item_rows": [{**item, "source": row["source"]} for item in row["item_rows"]]}
        for row in rows
    ]
    rows.sort(key=lambda row: str(row["source"]))
    jsonl = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    items = [item for row in rows for item in row["item_rows"]]
    outdir.mkdir(parents=True, exist_ok=True)
    write_file_set(outdir, {
        CATALOGUE_JSONL: jsonl.encode("utf-8"),
        CATALOGUE_CSV: _csv(BULLETIN_FIELDS, rows),
        ITEMS_CSV: _csv(ITEM_FIELDS, items),
    })


def read_catalogue(outdir: Path) -> list[Row]:
    """The catalogue's records, or none when it does not exist yet."""
    path = Path(outdir) / CATALOGUE_JSONL
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _csv(fields: tuple[str, ...], rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: spreadsheet_safe(row.get(name)) for name in fields} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that would start a formula, prefixed with a single quote (as OWASP advises):
    file names and headlines are the user's, and ``=HYPERLINK(...)`` must stay text.

    Numbers are left alone; so is every non-CSV catalogue file.

    >>> spreadsheet_safe("@SUM(1+1).txt"), spreadsheet_safe("-2"), spreadsheet_safe(-2)
    ("'@SUM(1+1).txt", "'-2", -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
