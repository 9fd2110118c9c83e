"""PAGE XML 2019-07-15 export: typed regions, lines with outlines and confidence, reading order.

The PAGE schema holds one page per file: ``render_page_xml`` returns one file per page.
"""

from __future__ import annotations

from datetime import datetime, timezone

from bulletin_ocr.export.context import uri_reference
from bulletin_ocr.export.coords import PageGeometry, Point, bounds, corners, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.export.regions import Region, RegionKind, line_text, page_regions
from bulletin_ocr.export.xmlbuild import Element, builder, new_root, to_bytes
from bulletin_ocr.model import Document, Page

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
SCHEMA_LOCATION = f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd"

# PAGE's TextRegion @type for each kind of block; @custom keeps this project's own name in
# the "structure {type:...;}" form that Transkribus reads.
REGION_TYPES: dict[RegionKind, str] = {
    "masthead": "heading",
    "headline": "heading",
    "paragraph": "paragraph",
    "attribution": "credit",
    "distribution": "other",
    "table": "other",
    "page-number": "page-number",
    "header": "header",
    "footer": "footer",
    "text": "paragraph",
}

_sub = builder(PAGE_NS)


def render_page_xml(doc: Document, images: dict[int, str] | None = None) -> dict[int, bytes]:
    """One PAGE XML file per page with geometry, keyed by page number.

    Coordinates are integer pixels of the input image (PDF text pages: rendered at 300 dpi);
    ``images`` names those images for ``Page/@imageFilename``.
    """
    images = images or {}
    regions = page_regions(doc)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return {
        page.number: _page_file(
            doc, page, geometry, regions[page.number], images.get(page.number), now
        )
        for page, geometry in require_geometry(doc, "PAGE XML")
    }


def _page_file(
    doc: Document,
    page: Page,
    geometry: PageGeometry,
    regions: list[Region],
    image: str | None,
    now: str,
) -> bytes:
    root = new_root(PAGE_NS, "PcGts", SCHEMA_LOCATION)
    root.set("pcGtsId", f"page-{page.number}")
    metadata = _sub(root, "Metadata")
    _sub(metadata, "Creator", f"{SOFTWARE} {software_version()}")
    _sub(metadata, "Created", now)
    _sub(metadata, "LastChange", now)
    if doc.engine:
        _sub(metadata, "Comments", "text sources and models: " + "; ".join(doc.engine))
    element = _sub(
        root, "Page",
        imageFilename=image or f"{uri_reference(doc.source)}#page={page.number}",
        imageWidth=str(round(geometry.width)),
        imageHeight=str(round(geometry.height)),
    )  # fmt: skip
    if geometry.dpi:
        element.set("imageXResolution", f"{geometry.dpi:g}")
        element.set("imageYResolution", f"{geometry.dpi:g}")
        element.set("imageResolutionUnit", "PPI")
    placed = [(region, _outlines(region, geometry)) for region in regions]
    placed = [(region, lines) for region, lines in placed if lines]
    if placed:
        group = _sub(_sub(element, "ReadingOrder"), "OrderedGroup", id=f"ro-{page.number}")
        for index, (region, _) in enumerate(placed):
            _sub(group, "RegionRefIndexed", index=str(index), regionRef=region.id)
    for region, lines in placed:
        _region(element, region, lines)
    return to_bytes(root)


Outline = tuple[str, str, float | None, list[Point]]


def _outlines(region: Region, geometry: PageGeometry) -> list[Outline]:
    """Each line of ``region`` that has a place: id, text, confidence and outline."""
    outlines = []
    for line in region.lines:
        polygon = geometry.polygon(line)
        if polygon:
            outlines.append((line.id, line_text(line), line.confidence, polygon))
    return outlines


def _region(page: Element, region: Region, lines: list[Outline]) -> None:
    element = _sub(
        page, "TextRegion", id=region.id, type=REGION_TYPES[region.kind],
        custom=f"structure {{type:{region.kind};}}",
    )  # fmt: skip
    box = bounds([point for _, _, _, polygon in lines for point in polygon])
    _coords(element, corners(box))
    texts = []
    for ident, text, confidence, polygon in lines:
        line = _sub(element, "TextLine", id=ident)
        _coords(line, polygon)
        _text_equiv(line, text, confidence)
        texts.append(text)
    _text_equiv(element, "\n".join(texts), None)


def _coords(element: Element, polygon: list[Point]) -> None:
    points = " ".join(f"{round(x)},{round(y)}" for x, y in polygon)
    _sub(element, "Coords", points=points)


def _text_equiv(parent: Element, text: str, confidence: float | None) -> None:
    equiv = _sub(parent, "TextEquiv")
    if confidence is not None:
        equiv.set("conf", f"{min(max(confidence, 0.0), 1.0):.4f}")
    _sub(equiv, "Unicode", text)
