"""One lock for every call into pdfium in this process.

PDFium is not thread-safe, not even across documents: the page read ahead for OCR is rendered
in a background thread while the main thread reads the next page's characters, and both go
through pdfium. Whoever calls pdfium holds this lock for the whole exchange.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
