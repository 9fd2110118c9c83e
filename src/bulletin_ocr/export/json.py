"""JSON export: the document's structure with provenance back to the printed lines."""

from __future__ import annotations

import json
from typing import Any

from bulletin_ocr.export.coords import PageGeometry, page_geometry
from bulletin_ocr.export.meta import SCHEMA_VERSION, SOFTWARE, item_id, software_version
from bulletin_ocr.model import BBox, Document, Item, Line, Masthead, Note, Page, TextSpan

JsonDict = dict[str, Any]


def render_json(doc: Document) -> bytes:
    """UTF-8 JSON, two-space indented, CJK kept as characters, ending with a newline."""
    text = json.dumps(document_to_dict(doc), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def document_to_dict(doc: Document) -> JsonDict:
    data: JsonDict = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": SOFTWARE, "version": software_version()},
        "source": doc.source,
        "sha256": doc.sha256,
        "masthead": _masthead(doc.masthead) if doc.masthead is not None else None,
        "items": [_item(item, item_id(index)) for index, item in enumerate(doc.items)],
        "distribution": [
            {"label": entry.label, "text": entry.text} for entry in doc.distribution
        ],
        # A table of contents (本期要目) lists the items' headlines; its entries are no items.
        "contents": [entry.text for entry in doc.contents.entries] if doc.contents else [],
        "pages": [_page(page) for page in doc.pages],
        "warnings": list(doc.warnings),
        "repairs": list(doc.repairs),
        "engine": list(doc.engine),
    }
    if doc.page_selection is not None:
        # --pages: the spec asked for and the pages it converted.
        data["page_selection"] = {
            "spec": doc.page_selection, "pages": [page.number for page in doc.pages],
        }
    if doc.notes:
        # Margin references and foot notes: out of the items, kept with where they stand.
        data["notes"] = [_note(note, doc) for note in doc.notes]
    if doc.explain:
        # Why each block is a masthead, headline, attribution...: the recogniser's cues.
        data["explain"] = [
            {"role": d.role, "lines": list(d.lines), "cues": list(d.cues)} for d in doc.explain
        ]
    return data


def _note(note: Note, doc: Document) -> JsonDict:
    page = next((p for p in doc.pages if p.number == note.page), None)
    geometry = page_geometry(page) if page is not None else None
    box = geometry.box(note.bbox) if geometry is not None and note.bbox is not None else None
    return {
        "place": note.place,
        "page": note.page,
        "text": note.text,
        "bbox": bbox_list(box),
        "lines": [line.id for line in note.lines],
        "call": note.call,
        "beside": note.beside,
        "reason": note.reason,
    }


def bbox_list(bbox: BBox | None) -> list[float] | None:
    """``[x0, top, x1, bottom]`` rounded to 2 decimals: finer than any printed stroke."""
    if bbox is None:
        return None
    return [round(bbox.x0, 2), round(bbox.top, 2), round(bbox.x1, 2), round(bbox.bottom, 2)]


def _masthead(masthead: Masthead) -> JsonDict:
    return {
        "title": masthead.title,
        "issuer": masthead.issuer,
        "issue": masthead.issue,
        "cumulative_issue": masthead.cumulative_issue,
        "date": masthead.date,
        "date_text": masthead.date_text,
        "secrecy": masthead.secrecy,
        "signer": masthead.signer,
    }


def _item(item: Item, ident: str) -> JsonDict:
    if item.table is not None:
        table = item.table
        return {
            "id": ident,
            "type": "table",
            "rows": table.rows,
            "page": table.page,
            "bbox": bbox_list(table.bbox),
        }
    head = item.head
    attribution = item.attribution
    return {
        "id": ident,
        "type": item.kind,
        "head": head.text if head is not None else None,
        "head_rend": head.rend if head is not None else None,
        "paragraphs": [span.text for span in item.paragraphs],
        "attribution": attribution.text if attribution is not None else None,
        "section": item.section.name if item.section is not None else None,
        "provenance": {
            "head": _span(head.span) if head is not None else None,
            "paragraphs": [_span(span) for span in item.paragraphs],
            "attribution": _span(attribution) if attribution is not None else None,
        },
    }


def _span(span: TextSpan) -> JsonDict:
    described: JsonDict = {
        "orig": span.orig, "pages": span.pages, "lines": [line.id for line in span.lines]
    }
    if span.emphasis:
        # Runs set apart inside the sentence: offsets into the paragraph's clean text.
        described["emphasis"] = [
            {"start": e.start, "end": e.end, "rend": e.rend, "text": span.text[e.start : e.end]}
            for e in span.emphasis
        ]
    return described


def _page(page: Page) -> JsonDict:
    geometry = page_geometry(page)
    return {
        "number": page.number,
        "source": page.source,
        "width": _round(geometry.width) if geometry else None,
        "height": _round(geometry.height) if geometry else None,
        "unit": geometry.unit if geometry else None,
        "dpi": _round(geometry.dpi) if geometry else None,
        "coordinates": geometry.space if geometry else None,
        "text_layer": page.text_layer,
        "preprocessing": list(page.preprocessing),
        "notes": list(page.notes),
        "lines": [_line(line, geometry) for line in page.lines],
        "furniture": [
            {"id": line.id, "text": line.text, "bbox": _box(line, geometry)}
            | ({"reason": page.furniture_reasons[line.id]}
               if line.id in page.furniture_reasons else {})
            for line in page.furniture
        ],
        "warnings": list(page.warnings),
    } | _set_aside(page, geometry)


def _set_aside(page: Page, geometry: PageGeometry | None) -> JsonDict:
    """Lines kept out of the text, with the reason (absent when there are none)."""
    if not page.set_aside:
        return {}
    return {
        "set_aside": [
            {"id": s.line.id, "text": s.line.text, "bbox": _box(s.line, geometry),
             "reason": s.reason}
            for s in page.set_aside
        ]
    }


def _box(line: Line, geometry: PageGeometry | None) -> list[float] | None:
    return bbox_list(geometry.box(line.bbox)) if geometry is not None else None


def _line(line: Line, geometry: PageGeometry | None) -> JsonDict:
    confidence = round(line.confidence, 4) if line.confidence is not None else None
    described: JsonDict = {
        "id": line.id,
        "text": line.text,
        "bbox": _box(line, geometry),
        "confidence": confidence,
    }
    if line.polygon is not None and geometry is not None:
        polygon = geometry.polygon(line) or []
        described["polygon"] = [[round(x, 2), round(y, 2)] for x, y in polygon]
    return described


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None
