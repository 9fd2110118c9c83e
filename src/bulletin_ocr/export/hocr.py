"""hOCR 1.2 export: ocr_page, ocr_carea, ocr_par, ocr_line and ocrx_word with bbox and x_wconf."""

from __future__ import annotations

import html

from bulletin_ocr.export.context import uri_reference
from bulletin_ocr.export.coords import PageGeometry, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, software_version
from bulletin_ocr.export.regions import Region, line_text, page_regions
from bulletin_ocr.export.xmlbuild import xml_safe
from bulletin_ocr.model import BBox, Document, Line
from bulletin_ocr.repair.chars import visual_width


def render_hocr(doc: Document, images: dict[int, str] | None = None) -> bytes:
    """An XHTML hOCR file with every page, in integer pixels of the input images."""
    images = images or {}
    regions = page_regions(doc)
    body = []
    pages = require_geometry(doc, "hOCR")
    for page, geometry in pages:
        title = [f'image "{_quote(images.get(page.number, uri_reference(doc.source)))}"',
                 f"bbox 0 0 {round(geometry.width)} {round(geometry.height)}",
                 f"ppageno {page.number - 1}"]  # fmt: skip
        if geometry.dpi:
            title.append(f"scan_res {round(geometry.dpi)} {round(geometry.dpi)}")
        body.append(f"<div class='ocr_page' id='page_{page.number}' title='{'; '.join(title)}'>")
        for region in regions[page.number]:
            body.extend(_region(region, geometry))
        body.append("</div>")
    system = html.escape(" ".join([f"{SOFTWARE} {software_version()}", *_engines(doc)]), quote=True)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="zh" lang="zh">\n<head>\n'
        f"<title>{html.escape(xml_safe(doc.source))}</title>\n"
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n'
        f"<meta name='ocr-system' content='{system}'/>\n"
        "<meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word "
        "ocrp_lang ocrp_wconf'/>\n"
        "<meta name='ocr-langs' content='zh'/><meta name='ocr-scripts' content='Hans'/>\n"
        f"<meta name='ocr-number-of-pages' content='{len(pages)}'/>\n"
        "</head>\n<body>\n"
    )
    return (head + "\n".join(body) + "\n</body>\n</html>\n").encode("utf-8")


def _engines(doc: Document) -> list[str]:
    """The text sources and models, in parentheses after the software (hOCR has no field)."""
    return [f"({'; '.join(doc.engine)})"] if doc.engine else []


def _region(region: Region, geometry: PageGeometry) -> list[str]:
    placed = [(line, geometry.line_box(line)) for line in region.lines]
    boxes = [(line, box) for line, box in placed if box is not None]
    if not boxes:
        return []
    area = _bbox(BBox.union(box for _, box in boxes))
    kind = html.escape(region.kind, quote=True)
    out = [f"<div class='ocr_carea' id='{region.id}' title='{area}'>",
           f"<p class='ocr_par' id='{region.id}_par' lang='zh' title='{area}' "
           f"data-structure='{kind}'>"]  # fmt: skip
    for line, box in boxes:
        out.append(_line(line, box))
    out += ["</p>", "</div>"]
    return out


def _line(line: Line, box: BBox) -> str:
    words = line_text(line).split(" ")
    total = sum(max(visual_width(word), 0.5) for word in words) + 0.5 * (len(words) - 1)
    unit = box.width / total if total else 0.0
    spans = []
    x = box.x0
    confidence = "" if line.confidence is None else f"; x_wconf {round(100 * line.confidence)}"
    for index, word in enumerate(words, start=1):
        width = unit * max(visual_width(word), 0.5)
        word_box = BBox(x, box.top, x + width, box.bottom)
        spans.append(
            f"<span class='ocrx_word' id='{line.id}_w{index}' "
            f"title='{_bbox(word_box)}{confidence}'>{html.escape(word)}</span>"
        )
        x += width + unit * 0.5
    return (
        f"<span class='ocr_line' id='{line.id}' title='{_bbox(box)}'>"
        + " ".join(spans)
        + "</span>"
    )


def _bbox(box: BBox | None) -> str:
    if box is None:
        return "bbox 0 0 0 0"
    return f"bbox {round(box.x0)} {round(box.top)} {round(box.x1)} {round(box.bottom)}"


def _quote(text: str) -> str:
    return html.escape(text.replace('"', "'"), quote=True)
