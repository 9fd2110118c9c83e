"""Proof-reading view (``x.html``): page images with every line's outline, the structure beside.

One self-contained file (page images embedded as JPEG data URIs, no external resources): each
line is outlined by the polygon the recogniser found (on a skewed scan upright boxes around
leaning lines overlap their neighbours), coloured by its confidence; clicking a line on
either side highlights it on both, and the lines most worth checking are listed first.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

from bulletin_ocr.export.context import ExportContext
from bulletin_ocr.export.coords import PageGeometry, require_geometry
from bulletin_ocr.export.meta import SOFTWARE, item_id, software_version
from bulletin_ocr.export.page_images import load_page_image
from bulletin_ocr.export.tei import line_segments
from bulletin_ocr.model import Document, Line, Page, TextSpan

CHECK_BELOW = 0.9
"""Lines recognised with less confidence than this are listed for checking."""
IMAGE_WIDTH = 1240
"""Embedded page images are scaled to this width (boxes keep the input's pixel space)."""

STYLE = """
body{margin:0;font:14px/1.6 "Noto Sans CJK SC","Source Han Sans SC",sans-serif;display:flex}
#pages{flex:3;height:100vh;overflow:auto;background:#555;min-width:0}
#text{flex:2;height:100vh;overflow:auto;padding:0 1em;background:#fff;min-width:0}
h1,h2,h3,p,li,figcaption{overflow-wrap:anywhere}
figure{margin:1em auto;width:95%} figcaption{color:#eee}
svg{width:100%;height:auto;background:#fff;display:block}
polygon.line{fill-opacity:.12;stroke-width:3;cursor:pointer}
.high{stroke:#1a7f37;fill:#1a7f37} .medium{stroke:#d97706;fill:#d97706}
.low{stroke:#dc2626;fill:#dc2626} .unknown{stroke:#2563eb;fill:#2563eb}
polygon.active{fill-opacity:.45;stroke-width:8}
span.line{cursor:pointer;border-bottom:2px solid transparent}
span.line{background:none} span.line.low{border-color:#dc2626}
span.line.medium{border-color:#d97706}
span.active{background:#fde68a !important}
.item{border-top:1px solid #ddd;padding:.3em 0} .head{font-weight:bold}
.attribution{color:#555} li{margin:.2em 0}
"""

SCRIPT = """
function select(id){
  document.querySelectorAll('.active').forEach(e=>e.classList.remove('active'));
  const found=document.querySelectorAll('[data-line="'+id+'"]');
  found.forEach(e=>e.classList.add('active'));
  return found;
}
document.addEventListener('click',ev=>{
  const target=ev.target.closest('[data-line]');
  if(!target)return;
  const found=select(target.dataset.line);
  const other=[...found].find(e=>e.closest('#pages')!==target.closest('#pages'));
  if(other)other.scrollIntoView({block:'center',behavior:'smooth'});
});
"""


def render_proof_html(doc: Document, context: ExportContext) -> bytes:
    """The proof-reading page for ``doc``; needs the input file for the page images."""
    pages = require_geometry(doc, "proof-reading HTML")
    if context.input_path is None:
        raise ValueError("the proof view needs the input file (ExportContext.input_path)")
    figures = [_figure(page, geometry, _image_uri(context, page)) for page, geometry in pages]
    title = html.escape(doc.source)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>{title} — proof</title>",
        f'<meta name="generator" content="{SOFTWARE} {software_version()}">',
        f"<style>{STYLE}</style></head><body>",
        f'<div id="pages">{"".join(figures)}</div>',
        f'<div id="text"><h1>{title}</h1>{_check_list(doc)}{_structure(doc)}</div>',
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


def confidence_class(line: Line) -> str:
    if line.confidence is None:
        return "unknown"
    if line.confidence >= CHECK_BELOW:
        return "high"
    return "medium" if line.confidence >= 0.8 else "low"


def _image_uri(context: ExportContext, page: Page) -> str:
    image = load_page_image(context, page, width=IMAGE_WIDTH).convert("RGB")
    if image.width > IMAGE_WIDTH:
        image = image.resize((IMAGE_WIDTH, round(image.height * IMAGE_WIDTH / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(page: Page, geometry: PageGeometry, image: str) -> str:
    width, height = round(geometry.width), round(geometry.height)
    outlines = []
    for line in page.lines + page.furniture:
        polygon = geometry.polygon(line)
        if polygon is None:
            continue
        points = " ".join(f"{x:.0f},{y:.0f}" for x, y in polygon)
        tip = html.escape(f"{line.id} ({_percent(line)}): {line.text}", quote=True)
        outlines.append(
            f'<polygon class="line {confidence_class(line)}" data-line="{line.id}" '
            f'points="{points}"><title>{tip}</title></polygon>'
        )
    return (
        f'<figure id="page-{page.number}"><figcaption>page {page.number}</figcaption>'
        f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<image href="{image}" x="0" y="0" width="{width}" height="{height}"/>'
        + "".join(outlines)
        + "</svg></figure>"
    )


def _check_list(doc: Document) -> str:
    doubtful = sorted(
        (line for page in doc.pages for line in page.lines + page.furniture
         if line.confidence is not None and line.confidence < CHECK_BELOW),
        key=lambda line: line.confidence or 0.0,
    )  # fmt: skip
    entries = "".join(
        f'<li><span class="line {confidence_class(line)}" data-line="{line.id}">'
        f"{_percent(line)} p{line.page}: {html.escape(line.text)}</span></li>"
        for line in doubtful
    )
    return f'<section id="check"><h2>To check ({len(doubtful)})</h2><ol>{entries}</ol></section>'


def _structure(doc: Document) -> str:
    out = ['<section id="structure"><h2>Structure</h2>']
    if doc.masthead is not None:
        out.append('<div class="masthead"><h3>Masthead</h3>')
        out += [f"<p>{_span(span)}</p>" for span in doc.masthead.spans]
        out.append("</div>")
    for index, item in enumerate(doc.items):
        out.append(f'<div class="item" id="{item_id(index)}">')
        if item.table is not None:
            out.append(f"<p>[table, {len(item.table.rows)} rows]</p></div>")
            continue
        if item.head is not None:
            out.append(f'<p class="head">{_span(item.head.span)}</p>')
        for number, span in enumerate(item.paragraphs):
            mark = "△" if item.kind == "brief" and number == 0 else ""
            out.append(f"<p>{mark}{_span(span)}</p>")
        if item.attribution is not None:
            out.append(f'<p class="attribution">（{_span(item.attribution)}）</p>')
        out.append("</div>")
    if doc.distribution:
        out.append('<div class="distribution"><h3>Distribution</h3>')
        out += [f"<p>{_span(entry.span)}</p>" for entry in doc.distribution]
        out.append("</div>")
    furniture = [line for page in doc.pages for line in page.furniture]
    if furniture:
        out.append(f"<h3>Page furniture</h3><p>{_lines(furniture)}</p>")
    out.append("</section>")
    return "".join(out)


def _span(span: TextSpan) -> str:
    """The span's clean text, each printed line's part clickable."""
    segments = line_segments(span)
    if segments is None:
        return html.escape(span.text)
    leading, pieces = segments
    return html.escape(leading) + "".join(
        f'<span class="line {confidence_class(line)}" data-line="{line.id}">'
        f"{html.escape(text)}</span>"
        for line, text in pieces
    )


def _lines(lines: Iterable[Line]) -> str:
    return " ".join(
        f'<span class="line {confidence_class(line)}" data-line="{line.id}">'
        f"{html.escape(line.text)}</span>"
        for line in lines
    )


def _percent(line: Line) -> str:
    return "—" if line.confidence is None else f"{100 * line.confidence:.0f}%"
