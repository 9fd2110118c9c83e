"""Cycle guards for pdfminer, which follows indirect references without remembering any.

pdfminer.six (20260107, the newest release) resolves ``6 0 R`` -> ``7 0 R`` -> ``6 0 R`` in
``resolve1``'s ``while`` loop forever, and a stream whose ``/Length`` refers to the stream
itself recurses until Python's stack gives out. Both are a few bytes in a hostile file. The
guards below turn a cycle into pdfminer's ``PDFValueError`` at once; the reader then has
the file repaired by qpdf (``pdf_repair``) and reads the copy. They are installed once,
when a PDF is first opened.
"""

from __future__ import annotations

import threading
from typing import Any

_installed = False
_lock = threading.Lock()
_state = threading.local()


def install() -> None:
    """Patch pdfminer's reference resolution and object loading; idempotent."""
    global _installed
    with _lock:
        if _installed:
            return
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdftypes import PDFObjRef

        PDFObjRef.resolve = _resolve_chain  # type: ignore[method-assign]
        original_getobj = PDFDocument.getobj

        def getobj(self: PDFDocument, objid: int) -> object:
            return _getobj_once(original_getobj, self, objid)

        PDFDocument.getobj = getobj  # type: ignore[method-assign]
        _installed = True


def _resolve_chain(self: Any, default: object = None) -> Any:
    """Follow a chain of references to the first object that is not one, or raise on a cycle.

    pdfminer's own ``resolve`` takes one step and lets ``resolve1`` loop; taking every step
    here lets the chain be checked.
    """
    from pdfminer.pdfexceptions import PDFObjectNotFound, PDFValueError
    from pdfminer.pdftypes import PDFObjRef

    seen: set[int] = set()
    current: Any = self
    while isinstance(current, PDFObjRef):
        if current.objid in seen:
            raise PDFValueError(f"indirect reference cycle through object {current.objid}")
        seen.add(current.objid)
        assert current.doc is not None
        try:
            current = current.doc.getobj(current.objid)
        except PDFObjectNotFound:
            return default
    return current


def _getobj_once(original: Any, document: Any, objid: int) -> object:
    """Load object ``objid``, refusing a request for it while it is being loaded.

    A stream's ``/Length`` that points at the stream itself is such a request. Treating it
    as missing would read the stream as empty and lose the page's text without a word.
    """
    from pdfminer.pdfexceptions import PDFValueError

    loading: set[tuple[int, int]] = getattr(_state, "loading", set())
    _state.loading = loading
    key = (id(document), objid)
    if key in loading:
        raise PDFValueError(f"object {objid} refers to itself while it is loaded")
    loading.add(key)
    try:
        return original(document, objid)
    finally:
        loading.discard(key)
