"""PDF/A-2b for the searchable PDF, made and validated with pikepdf's PDF/A module.

``pikepdf.pdfa.save`` prepares the file (one sRGB output intent, XMP metadata declaring
PDF/A-2b with the document information to match, print flags on annotations, no image
interpolation), writes it, and validates the bytes it wrote with its allowlist validator
(ISO 19005-2 rules; what it does not recognise is a finding, so an approval can be trusted).
Here the masthead's title, issuer and date and the tool's name go into the metadata first,
page transitions and an opening view (which that validator does not cover) are dropped, and
an input whose own fonts are not embedded is turned down before any of it, with their names.
No full validator (veraPDF) can be installed from the registries these machines reach.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.model import Document

FLAVOUR = "2b"
# Findings named in the warning when validation fails; the rest are counted.
SHOWN_FINDINGS = 3


def save_pdfa(pdf: Any, doc: Document) -> tuple[bytes | None, list[str]]:
    """``pdf`` written as PDF/A-2b and validated, or None and why it is not PDF/A (the
    claim is then taken back out of ``pdf``, to be saved as a plain PDF)."""
    import pikepdf
    from pikepdf.pdfa import PdfaError
    from pikepdf.pdfa import save as save_validated

    fonts: set[str] = set()
    for page in pdf.pages:
        for resources in _all_resources(page):
            fonts.update(_unembedded_fonts(resources))
    if fonts:
        return None, [f"font(s) not embedded: {', '.join(sorted(fonts)[:5])}"]
    for page in pdf.pages:
        if "/Trans" in page.obj:  # a slide show's page transition
            del page.obj["/Trans"]
    opening = pdf.Root.get("/OpenAction")
    # "Open at this page", as a destination or a GoTo action: a viewer preference.
    if isinstance(opening, pikepdf.Array) or (
        isinstance(opening, pikepdf.Dictionary) and opening.get("/S") == "/GoTo"
    ):
        del pdf.Root["/OpenAction"]
    declare_metadata(pdf, doc)
    out = io.BytesIO()
    try:
        save_validated(pdf, out, FLAVOUR, deterministic_id=True)
    except PdfaError as error:
        withdraw_pdfa(pdf)
        return None, _findings(error.report)
    return out.getvalue(), []


def _findings(report: Any) -> list[str]:
    findings = list(report.findings)
    shown = [f"{finding.message} ({finding.rule})" for finding in findings[:SHOWN_FINDINGS]]
    if len(findings) > SHOWN_FINDINGS:
        shown.append(f"{len(findings) - SHOWN_FINDINGS} more finding(s)")
    return shown or [f"pikepdf's PDF/A validator says {report.verdict}"]


def declare_metadata(pdf: Any, doc: Document) -> None:
    """The masthead's title, issuer and date, and the tool, in the XMP metadata and the
    document information (pikepdf's preparation adds the PDF/A declaration)."""
    masthead = doc.masthead
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["xmp:CreatorTool"] = f"{SOFTWARE} {software_version()}"
        if masthead is not None and masthead.title:
            meta["dc:title"] = masthead.title
        elif "dc:title" not in meta and "/Title" not in pdf.docinfo:
            meta["dc:title"] = PurePath(doc.source).stem
        if masthead is not None and masthead.issuer:
            meta["dc:creator"] = [masthead.issuer]
        if masthead is not None and masthead.date:
            meta["dc:date"] = [masthead.date]


def _all_resources(page: Any) -> Iterator[Any]:
    """The page's resource dictionaries, its forms', patterns' and annotation appearances'."""
    import pikepdf

    pending = [page.obj.get("/Resources")]
    annotations = page.obj.get("/Annots")
    for annotation in annotations if isinstance(annotations, pikepdf.Array) else []:
        appearance = annotation.get("/AP") if isinstance(annotation, pikepdf.Dictionary) else None
        if isinstance(appearance, pikepdf.Dictionary):
            for state in appearance.values():
                streams = state.values() if isinstance(state, pikepdf.Dictionary) else [state]
                pending.extend(
                    s.get("/Resources") for s in streams if isinstance(s, pikepdf.Stream)
                )
    seen: set[tuple[int, int]] = set()
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.objgen != (0, 0):
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        yield resources
        for key in ("/XObject", "/Pattern"):
            group = resources.get(key)
            if isinstance(group, pikepdf.Dictionary):
                pending.extend(
                    item.get("/Resources")
                    for item in group.values()
                    if isinstance(item, pikepdf.Stream) and item.objgen not in seen
                )
        fonts = resources.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            pending.extend(
                font.get("/Resources")
                for font in fonts.values()
                if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type3"
            )


def _unembedded_fonts(resources: Any) -> set[str]:
    import pikepdf

    fonts = resources.get("/Font")
    if not isinstance(fonts, pikepdf.Dictionary):
        return set()
    missing = set()
    for font in fonts.values():
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") == "/Type3":
            continue
        described: Any = font
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            described = descendants[0]
        descriptor = described.get("/FontDescriptor")
        embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if not embedded:
            missing.add(_font_name(font))
    return missing


def _font_name(font: Any) -> str:
    name = font.get("/BaseFont")
    if name is None:
        return "(unnamed)"
    try:
        return str(name).lstrip("/")
    except UnicodeDecodeError:  # names are bytes; CJK foundries' are often GBK
        return bytes(name.unparse()).decode("ascii", "replace").lstrip("/")


def withdraw_pdfa(pdf: Any) -> None:
    """Take the PDF/A claim out of the metadata (the output intent is harmless)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in ("pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                del meta[key]
