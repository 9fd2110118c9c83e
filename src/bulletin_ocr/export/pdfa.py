"""PDF/A-2b for the searchable PDF: the declarations PDF/A needs, and a check of the rules a
searchable copy of a scan or an input PDF can break.

``declare_pdfa`` adds an sRGB output intent (a profile Pillow's littleCMS builds offline) and
XMP metadata (``pdfaid`` part 2, conformance B; title, issuer and date from the masthead;
the tool). ``pdfa_problems`` then checks the file against the PDF/A-2b rules (ISO 19005-2)
that such files can break: fonts not embedded, forbidden filters, actions and annotations,
device CMYK without a CMYK intent, hidden or unprintable annotations, page sizes, version.
No full validator (veraPDF) is installable from the registries these machines reach, so
this is the check, and the README says so. Problems the file can be cleared of without
touching page content or image data (an image's ``/Interpolate``, an annotation's print
flag, an optional-content configuration's name) are fixed instead of reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import PurePath
from typing import Any

from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.model import Document

PDFA_PART, PDFA_CONFORMANCE = "2", "B"
# PDF/A-2 forbids these stream filters (LZW: patents; Crypt: encryption), and pages larger
# than 14,400 units a side (or smaller than 3).
FORBIDDEN_FILTERS = frozenset({"/LZWDecode", "/Crypt"})
MAX_PAGE_SIDE, MIN_PAGE_SIDE = 14_400.0, 3.0
# Annotation flags (PDF 32000-1, 12.5.3): PDF/A wants Print set and Invisible, Hidden,
# NoView clear.
INVISIBLE, HIDDEN, PRINT, NOVIEW = 1, 2, 4, 32
ANNOTATIONS_WITHOUT_APPEARANCE = frozenset({"/Popup", "/Link"})


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (version 4, display class), built by littleCMS through Pillow."""
    from PIL import ImageCms

    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def declare_pdfa(pdf: Any, doc: Document) -> None:
    """Add the sRGB output intent and the PDF/A-2b XMP metadata to ``pdf``."""
    import pikepdf

    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array) or not any(
        intent.get("/S") == "/GTS_PDFA1" for intent in intents
    ):
        profile = pdf.make_stream(srgb_profile())
        profile.N = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name("/GTS_PDFA1"),
            OutputConditionIdentifier="sRGB IEC61966-2.1",
            Info="sRGB IEC61966-2.1",
            DestOutputProfile=profile,
        )
        pdf.Root.OutputIntents = pikepdf.Array([intent])
    masthead = doc.masthead
    # /Trapped has no XMP equivalent that pikepdf writes, and PDF/A wants the two to agree.
    if "/Trapped" in pdf.docinfo:
        del pdf.docinfo["/Trapped"]
    # Without pikepdf as editor: no "now" timestamps, so the same input gives the same file.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta.load_from_docinfo(pdf.docinfo, raise_failure=False)
        meta["pdfaid:part"] = PDFA_PART
        meta["pdfaid:conformance"] = PDFA_CONFORMANCE
        meta["xmp:CreatorTool"] = f"{SOFTWARE} {software_version()}"
        if masthead is not None and masthead.title:
            meta["dc:title"] = masthead.title
        elif "dc:title" not in meta:
            meta["dc:title"] = PurePath(doc.source).stem
        if masthead is not None and masthead.issuer:
            meta["dc:creator"] = [masthead.issuer]
        if masthead is not None and masthead.date:
            meta["dc:date"] = [masthead.date]


def pdfa_problems(pdf: Any) -> list[str]:
    """Why ``pdf`` is not PDF/A-2b, each in words (empty: it passes the checks)."""
    problems: list[str] = []
    if pdf.pdf_version > "1.7":
        problems.append(f"PDF version {pdf.pdf_version} (PDF/A-2 is PDF 1.7)")
    if pdf.is_encrypted:
        problems.append("the file is encrypted")
    problems.extend(_catalogue_problems(pdf))
    fonts: set[str] = set()
    cmyk = False
    for number, page in enumerate(pdf.pages, start=1):
        problems.extend(_page_problems(page, number))
        for resources in _all_resources(page):
            fonts.update(_unembedded_fonts(resources))
            cmyk = cmyk or _uses_device_cmyk(resources)
        cmyk = cmyk or _draws_cmyk(page)
    if fonts:
        problems.append(f"font(s) not embedded: {', '.join(sorted(fonts)[:5])}")
    if cmyk:
        problems.append("DeviceCMYK colour without a CMYK output intent")
    problems.extend(_stream_problems(pdf))
    return problems


def _catalogue_problems(pdf: Any) -> list[str]:
    import pikepdf

    root = pdf.Root
    problems = []
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    if meta.get("pdfaid:part") != PDFA_PART or meta.get("pdfaid:conformance") != "B":
        problems.append("no PDF/A-2b identification in the XMP metadata")
    intents = root.get("/OutputIntents")
    profiles = {
        intent.DestOutputProfile.objgen
        for intent in (intents if isinstance(intents, pikepdf.Array) else [])
        if "/DestOutputProfile" in intent
    }
    if not profiles:
        problems.append("no output intent")
    elif len(profiles) > 1:
        problems.append("output intents with different profiles")
    names = root.get("/Names")
    for key in ("/JavaScript", "/EmbeddedFiles"):
        if isinstance(names, pikepdf.Dictionary) and key in names:
            problems.append(f"{key[1:]} in the document's names")
    for key in ("/AA", "/OpenAction", "/NeedsRendering"):
        if key in root and not (key == "/OpenAction" and _is_destination(root[key])):
            problems.append(f"{key[1:]} in the document catalogue")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        if "/XFA" in form:
            problems.append("an XFA form")
        if _is_true(form.get("/NeedAppearances")):
            form.NeedAppearances = False
    _name_optional_content(root)
    return problems


def _is_true(value: Any) -> bool:
    return value is True


def _is_destination(action: Any) -> bool:
    import pikepdf

    if isinstance(action, pikepdf.Array):
        return True
    return isinstance(action, pikepdf.Dictionary) and action.get("/S") in ("/GoTo", "/URI")


def _name_optional_content(root: Any) -> None:
    """PDF/A-2 wants every optional-content configuration named and without /AS."""
    import pikepdf

    properties = root.get("/OCProperties")
    if not isinstance(properties, pikepdf.Dictionary):
        return
    configs = [properties.get("/D")]
    others = properties.get("/Configs")
    if isinstance(others, pikepdf.Array):
        configs.extend(others)
    for index, config in enumerate(configs):
        if isinstance(config, pikepdf.Dictionary):
            if "/Name" not in config:
                config.Name = pikepdf.String(f"Configuration {index + 1}")
            if "/AS" in config:
                del config["/AS"]


def _page_problems(page: Any, number: int) -> list[str]:
    import pikepdf

    problems = []
    box = page.mediabox
    width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
    if max(width, height) > MAX_PAGE_SIDE or min(width, height) < MIN_PAGE_SIDE:
        problems.append(f"page {number} is {width:.0f} x {height:.0f} pt")
    if "/AA" in page.obj:
        problems.append(f"page {number} has additional actions")
    annotations = page.obj.get("/Annots")
    for annotation in annotations if isinstance(annotations, pikepdf.Array) else []:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = annotation.get("/Subtype")
        flags = int(annotation.get("/F", 0))
        wanted = (flags | PRINT) & ~(INVISIBLE | HIDDEN | NOVIEW)
        if subtype != "/Popup" and flags != wanted:
            # Viewers show the annotation either way; PDF/A wants it printed as shown.
            annotation.F = wanted
        if subtype not in ANNOTATIONS_WITHOUT_APPEARANCE and "/AP" not in annotation:
            problems.append(f"a {str(subtype)[1:]} annotation on page {number} has no appearance")
    return problems


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


def _uses_device_cmyk(resources: Any) -> bool:
    import pikepdf

    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return False
    return any(
        isinstance(item, pikepdf.Stream)
        and item.get("/Subtype") == "/Image"
        and item.get("/ColorSpace") == "/DeviceCMYK"
        for item in xobjects.values()
    )


def _draws_cmyk(page: Any) -> bool:
    import pikepdf

    try:
        return bool(pikepdf.parse_content_stream(page, "k K"))
    except pikepdf.PdfError:
        return False


def _stream_problems(pdf: Any) -> list[str]:
    """Forbidden filters, external streams and PostScript; images' /Interpolate is cleared
    (PDF/A forbids it; it changes no image data)."""
    import pikepdf

    problems: set[str] = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter")
        names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
        for name in names:
            if name in FORBIDDEN_FILTERS:
                problems.add(f"a stream with the {str(name)[1:]} filter")
        if "/F" in obj and obj.get("/Type") != "/EmbeddedFile":
            problems.add("a stream whose data is in an external file")
        subtype = obj.get("/Subtype")
        if subtype == "/PS" or obj.get("/Subtype2") == "/PS":
            problems.add("a PostScript XObject")
        if subtype == "/Image":
            if _is_true(obj.get("/Interpolate")):
                obj.Interpolate = False
            for key in ("/Alternates", "/OPI"):
                if key in obj:
                    problems.add(f"an image with {key[1:]}")
    return sorted(problems)


def withdraw_pdfa(pdf: Any) -> None:
    """Take the PDF/A claim out of the metadata (the output intent is harmless)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in ("pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                del meta[key]
