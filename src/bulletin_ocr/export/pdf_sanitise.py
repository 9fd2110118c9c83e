"""Cleaning an input PDF for the searchable copy: old text out of what is read on
re-recognised pages, and the active content an archival copy may not carry (PDF/A forbids
it) out of the whole file.

Both work on an open ``pikepdf.Pdf`` in place, parsing content streams with pikepdf (qpdf)
the way OCRmyPDF's ``--redo-ocr`` does, never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Operators that show text; removing them removes the text (and nothing else is drawn by
# them). ``'`` and ``"`` also move to the next line, which no longer matters for text that
# is not there.
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
# Actions PDF/A-2 (ISO 19005-2, 6.5.1) forbids; JavaScript, Launch and the multimedia ones
# are also what can run code or fetch content when the file is opened.
FORBIDDEN_ACTIONS = frozenset({
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
})  # fmt: skip
# Annotations PDF/A-2 forbids (6.3.1), and file attachments, which carry embedded files.
FORBIDDEN_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/3D"})


@dataclass(frozen=True)
class TextFound:
    """What a content stream held: whether it showed invisible text (now removed) and
    whether it shows visible text (kept)."""

    removed: bool
    visible: bool


def silence_old_text(pdf: Any, page: Any) -> bool:
    """Take ``page``'s old text out of what text extraction reads, leaving what it shows.

    Invisible text (render mode 3 or 7: an earlier OCR layer) is removed, from the page's
    content and its forms, as OCRmyPDF's ``--redo-ocr`` removes its own. Visible text (a
    born-digital page whose font maps are broken) cannot go without blanking the page, so the
    old content is wrapped in a marked-content span whose ``/ActualText`` is empty: it is
    drawn as before, and readers that honour ActualText (poppler; pdfium all but one stray
    character on the garbled sample) read the span as no text. True when
    anything changed. Forms are replaced by copies in a copy of the page's resources, so a
    form or resource dictionary shared with another (trusted) page is left alone.
    """
    import pikepdf

    operations = pikepdf.parse_content_stream(page)
    kept, found = _drop_invisible_text(operations)
    visible = found.visible
    changed = found.removed
    resources = page.obj.get("/Resources")
    if isinstance(resources, pikepdf.Dictionary):
        copied, forms = _silence_forms(pdf, resources, depth=0)
        if forms.removed:
            page.obj.Resources = copied
            changed = True
        visible = visible or forms.visible
    if not changed and not visible:
        return False
    content = pikepdf.unparse_content_stream(kept)
    if visible:
        content = SILENT_SPAN_START + content + SILENT_SPAN_END
    page.obj.Contents = pdf.make_stream(content)
    return True


# An empty /ActualText: extraction reads the span as no text; q/Q keep the old content's
# graphics state from reaching the new layer drawn after it.
SILENT_SPAN_START = b"q /Span <</ActualText ()>> BDC\n"
SILENT_SPAN_END = b"\nEMC Q\n"
INVISIBLE_MODES = frozenset({3, 7})


def _drop_invisible_text(operations: list[Any]) -> tuple[list[Any], TextFound]:
    """``operations`` without the text they show invisibly, following the render mode
    through ``q``/``Q``; and what text there was."""
    mode, saved = 0, []
    kept = []
    removed = visible = False
    for operation in operations:
        operator = str(operation.operator)
        if operator == "q":
            saved.append(mode)
        elif operator == "Q" and saved:
            mode = saved.pop()
        elif operator == "Tr" and operation.operands:
            mode = int(operation.operands[0])
        elif operator in TEXT_SHOWING:
            if mode in INVISIBLE_MODES:
                removed = True
                continue
            visible = True
        kept.append(operation)
    return kept, TextFound(removed, visible)


def _silence_forms(pdf: Any, resources: Any, depth: int) -> tuple[Any, TextFound]:
    """A copy of ``resources`` whose form XObjects show no invisible text, and what text
    the forms held."""
    import pikepdf

    xobjects = resources.get("/XObject")
    if depth > 8 or not isinstance(xobjects, pikepdf.Dictionary):
        return resources, TextFound(False, False)
    replaced = {}
    visible = False
    for name, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
            continue
        kept, found = _drop_invisible_text(pikepdf.parse_content_stream(xobject))
        inner = xobject.get("/Resources")
        inner_copy, inner_found = (
            _silence_forms(pdf, inner, depth + 1)
            if isinstance(inner, pikepdf.Dictionary)
            else (inner, TextFound(False, False))
        )
        visible = visible or found.visible or inner_found.visible
        if not found.removed and not inner_found.removed:
            continue
        form = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        for key, value in xobject.items():
            if key not in ("/Length", "/Filter", "/DecodeParms", "/Resources"):
                form[key] = value
        if inner is not None:
            form.Resources = inner_copy
        replaced[name] = pdf.make_indirect(form)
    if not replaced:
        return resources, TextFound(False, visible)
    new_xobjects = pikepdf.Dictionary({**dict(xobjects.items()), **replaced})
    copy = pikepdf.Dictionary(dict(resources.items()))
    copy.XObject = new_xobjects
    return copy, TextFound(True, visible)


def remove_active_content(pdf: Any) -> list[str]:
    """Drop JavaScript, launch and other forbidden actions, additional actions, embedded
    files and file-attachment annotations; what was removed, in words (empty: nothing)."""
    import pikepdf

    removed: list[str] = []
    root = pdf.Root
    opening = root.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary) and _forbidden(opening):
        removed.append(f"an opening {_kind(opening)} action")
        del root["/OpenAction"]
    for owner, what in [(root, "the document's")] + [
        (page.obj, f"page {number}'s") for number, page in enumerate(pdf.pages, start=1)
    ]:
        if "/AA" in owner:
            removed.append(f"{what} additional actions (/AA)")
            del owner["/AA"]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            removed.append("document-level JavaScript")
            del names["/JavaScript"]
        if "/EmbeddedFiles" in names:
            count = len(_name_tree_values(names.EmbeddedFiles))
            removed.append(f"{count} embedded file(s)" + _file_names(names.EmbeddedFiles))
            del names["/EmbeddedFiles"]
    if "/AF" in root:
        del root["/AF"]
    for number, page in enumerate(pdf.pages, start=1):
        removed.extend(_clean_annotations(page.obj, number))
    removed.extend(_clean_outlines(root))
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        removed.append("an XFA form")
        del form["/XFA"]
    return removed


def _clean_annotations(page: Any, number: int) -> list[str]:
    import pikepdf

    annotations = page.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return []
    removed: list[str] = []
    kept = []
    for annotation in annotations:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = str(annotation.get("/Subtype", ""))
        if subtype in FORBIDDEN_ANNOTATIONS:
            removed.append(f"a {subtype[1:]} annotation on page {number}")
            continue
        action = annotation.get("/A")
        if isinstance(action, pikepdf.Dictionary) and _forbidden(action):
            removed.append(f"a {_kind(action)} action on page {number}")
            del annotation["/A"]
        if "/AA" in annotation:
            removed.append(f"additional actions (/AA) of an annotation on page {number}")
            del annotation["/AA"]
        kept.append(annotation)
    if len(kept) != len(annotations):
        page.Annots = pikepdf.Array(kept)
    return removed


def _clean_outlines(root: Any) -> list[str]:
    """Forbidden actions of bookmarks (walked iteratively: outlines can be long chains)."""
    import pikepdf

    outlines = root.get("/Outlines")
    if not isinstance(outlines, pikepdf.Dictionary):
        return []
    removed: list[str] = []
    stack, seen = [outlines.get("/First")], set()
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        if item.objgen != (0, 0):
            seen.add(item.objgen)
        action = item.get("/A")
        if isinstance(action, pikepdf.Dictionary) and _forbidden(action):
            removed.append(f"a {_kind(action)} action of a bookmark")
            del item["/A"]
        stack.extend([item.get("/Next"), item.get("/First")])
    return removed


def _forbidden(action: Any) -> bool:
    """The action, or one chained after it (``/Next``), is of a forbidden kind."""
    return _kind(action) != ""


def _kind(action: Any) -> str:
    """The first forbidden kind in an action chain (``JavaScript``), or ""."""
    import pikepdf

    pending, seen = [action], 0
    while pending and seen < 100:
        current = pending.pop()
        seen += 1
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
            continue
        if not isinstance(current, pikepdf.Dictionary):
            continue
        kind = str(current.get("/S", ""))
        if kind in FORBIDDEN_ACTIONS:
            return kind[1:]
        pending.append(current.get("/Next"))
    return ""


def _name_tree_values(tree: Any) -> list[Any]:
    import pikepdf

    try:
        return list(pikepdf.NameTree(tree).values())
    except Exception:  # a damaged tree: it goes all the same, counted as one
        return [tree]


def _file_names(tree: Any) -> str:
    import pikepdf

    try:
        names = [str(key) for key in pikepdf.NameTree(tree)]
    except Exception:
        return ""
    return f" ({', '.join(names[:5])}{', ...' if len(names) > 5 else ''})" if names else ""
