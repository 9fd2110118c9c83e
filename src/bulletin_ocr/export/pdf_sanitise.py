"""Cleaning an input PDF for the searchable copy: old text off re-recognised pages, and the
active content an archival copy may not carry (PDF/A forbids it) out of the whole file.

Both work on an open ``pikepdf.Pdf`` in place, parsing content streams with pikepdf (qpdf)
the way OCRmyPDF's ``--redo-ocr`` does, never by hand.
"""

from __future__ import annotations

from typing import Any

# Operators that show text; removing them removes the text (and nothing else is drawn by
# them). ``'`` and ``"`` also move to the next line, which no longer matters once no text
# follows.
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
# Actions PDF/A-2 (ISO 19005-2, 6.5.1) forbids; JavaScript, Launch and the multimedia ones
# are also what can run code or fetch content when the file is opened.
FORBIDDEN_ACTIONS = frozenset({
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
})  # fmt: skip
# Annotations PDF/A-2 forbids (6.3.1), and file attachments, which carry embedded files.
FORBIDDEN_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/3D"})


def strip_text(pdf: Any, page: Any) -> bool:
    """Remove every text-showing operator from ``page``'s content and its form XObjects;
    True when there was text to remove. The page's other drawing (the scan) is kept.

    Form XObjects are replaced by stripped copies in a copy of the page's resources, so a
    form or resource dictionary shared with another page (a trusted one) is left alone.
    """
    import pikepdf

    changed = False
    operations = pikepdf.parse_content_stream(page)
    kept = [op for op in operations if str(op.operator) not in TEXT_SHOWING]
    if len(kept) != len(operations):
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        changed = True
    resources = page.obj.get("/Resources")
    if isinstance(resources, pikepdf.Dictionary):
        copied, forms_changed = _strip_forms(pdf, resources, depth=0)
        if forms_changed:
            page.obj.Resources = copied
            changed = True
    return changed


def _strip_forms(pdf: Any, resources: Any, depth: int) -> tuple[Any, bool]:
    """A copy of ``resources`` whose form XObjects have no text, and whether any had some."""
    import pikepdf

    xobjects = resources.get("/XObject")
    if depth > 8 or not isinstance(xobjects, pikepdf.Dictionary):
        return resources, False
    replaced = {}
    for name, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
            continue
        operations = pikepdf.parse_content_stream(xobject)
        kept = [op for op in operations if str(op.operator) not in TEXT_SHOWING]
        inner = xobject.get("/Resources")
        inner_copy, inner_changed = (
            _strip_forms(pdf, inner, depth + 1)
            if isinstance(inner, pikepdf.Dictionary)
            else (inner, False)
        )
        if len(kept) == len(operations) and not inner_changed:
            continue
        form = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        for key, value in xobject.items():
            if key not in ("/Length", "/Filter", "/DecodeParms", "/Resources"):
                form[key] = value
        if inner is not None:
            form.Resources = inner_copy
        replaced[name] = pdf.make_indirect(form)
    if not replaced:
        return resources, False
    new_xobjects = pikepdf.Dictionary({**dict(xobjects.items()), **replaced})
    copy = pikepdf.Dictionary(dict(resources.items()))
    copy.XObject = new_xobjects
    return copy, True


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
