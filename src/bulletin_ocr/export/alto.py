"""ALTO 4.4 export: pages, one TextBlock per structural block, lines and strings with confidence."""

from __future__ import annotations

from bulletin_ocr.export.coords import PageGeometry, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.export.regions import Region, line_text, page_regions
from bulletin_ocr.export.xmlbuild import Element, builder, new_root, to_bytes
from bulletin_ocr.model import BBox, Document, Line
from bulletin_ocr.repair.chars import visual_width

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"

# The structure a TextBlock carries, as ALTO StructureTags (TAGREFS point at them).
TAGS = ("masthead", "headline", "paragraph", "attribution", "distribution", "page-number",
        "header", "footer", "text")  # fmt: skip

_sub = builder(ALTO_NS)


def render_alto(doc: Document, images: dict[int, str] | None = None) -> bytes:
    """ALTO 4.4 XML in pixels of the input images (PDF text pages: rendered at 300 dpi).

    ``images`` names the image each page's coordinates are measured on, when known.
    """
    pages = require_geometry(doc, "ALTO")
    images = images or {}
    root = new_root(ALTO_NS, "alto", SCHEMA_LOCATION)
    root.set("SCHEMAVERSION", "4.4")
    _description(root, doc, images.get(pages[0][0].number))
    tags = _sub(root, "Tags")
    for name in TAGS:
        _sub(tags, "StructureTag", ID=_tag_id(name), TYPE="structure", LABEL=name)
    layout = _sub(root, "Layout")
    regions = page_regions(doc)
    for page, geometry in pages:
        element = _sub(
            layout, "Page", ID=f"page-{page.number}", PHYSICAL_IMG_NR=str(page.number),
            WIDTH=_n(geometry.width), HEIGHT=_n(geometry.height), PROCESSING="processing-1",
        )
        space = _sub(element, "PrintSpace", HPOS="0", VPOS="0",
                     WIDTH=_n(geometry.width), HEIGHT=_n(geometry.height))
        for region in regions[page.number]:
            _block(space, region, geometry)
    return to_bytes(root)


def _description(root: Element, doc: Document, image: str | None) -> None:
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit", "pixel")
    info = _sub(description, "sourceImageInformation")
    _sub(info, "fileName", image or doc.source)
    processing = _sub(description, "Processing", ID="processing-1")
    _sub(processing, "processingCategory", "contentGeneration")
    _sub(processing, "processingStepDescription", "text recognition or PDF text extraction, "
         "layout analysis and structure recognition")
    settings = "; ".join(doc.engine)
    if settings:
        _sub(processing, "processingStepSettings", f"text sources and models: {settings}")
    software = _sub(processing, "processingSoftware")
    _sub(software, "softwareName", SOFTWARE)
    _sub(software, "softwareVersion", software_version())


def _block(parent: Element, region: Region, geometry: PageGeometry) -> None:
    boxes = [(line, geometry.line_box(line)) for line in region.lines]
    placed = [(line, box) for line, box in boxes if box is not None]
    if not placed:
        return
    block = _sub(parent, "TextBlock", ID=region.id, TAGREFS=_tag_id(region.kind))
    _position(block, BBox.union(box for _, box in placed))
    for line, box in placed:
        _line(block, line, box)


def _line(block: Element, line: Line, box: BBox) -> None:
    element = _sub(block, "TextLine", ID=line.id)
    _position(element, box)
    words = line_text(line).split(" ") or [""]
    # Strings share the line's width by their visual width: CJK lines have no word boxes.
    total = sum(max(visual_width(word), 0.5) for word in words) + 0.5 * (len(words) - 1)
    unit = box.width / total if total else 0.0
    x = box.x0
    for index, word in enumerate(words):
        if index:
            _sub(element, "SP", HPOS=_n(x), VPOS=_n(box.top), WIDTH=_n(unit * 0.5))
            x += unit * 0.5
        width = unit * max(visual_width(word), 0.5)
        string = _sub(element, "String", ID=f"{line.id}s{index + 1}", CONTENT=word)
        _position(string, BBox(x, box.top, x + width, box.bottom))
        if line.confidence is not None:
            string.set("WC", f"{min(max(line.confidence, 0.0), 1.0):.4f}")
        x += width


def _position(element: Element, box: BBox | None) -> None:
    if box is None:
        return
    element.set("HPOS", _n(box.x0))
    element.set("VPOS", _n(box.top))
    element.set("WIDTH", _n(box.width))
    element.set("HEIGHT", _n(box.height))


def _tag_id(kind: str) -> str:
    return f"tag-{kind}"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
