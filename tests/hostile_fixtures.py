"""Generators for hostile inputs: tiny malformed PDFs, odd images and lying text encodings.

Every fixture is built at test time from a few lines of code, so the corpus documents itself:
each generator says what is wrong with the file it writes. PDFs are written object by object
with a correct cross-reference table unless the defect is in the table itself.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# A content stream that draws one line of Latin text: enough for a text layer to exist.
HELLO = b"BT /F1 24 Tf 72 720 Td (Hello hostile world) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), extra, content)


def pdf_bytes(
    objects: Mapping[int, bytes],
    *,
    root: int = 1,
    trailer_extra: bytes = b"",
    xref: bool = True,
) -> bytes:
    """A PDF of the numbered ``objects`` with a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    start = out.tell()
    size = max(objects) + 1
    if xref:
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            if number in offsets:
                out.write(b"%010d 00000 n \n" % offsets[number])
            else:
                out.write(b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (size, root, trailer_extra))
    out.write(b"startxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


def one_page_pdf(
    *,
    media_box: bytes = b"[0 0 612 792]",
    content: bytes = HELLO,
    extra_objects: Mapping[int, bytes] | None = None,
    page_extra: bytes = b"",
) -> bytes:
    """A valid one-page PDF, or one with the page's MediaBox or extra objects swapped in."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R%s >>" % (media_box, page_extra),
        4: _stream(content),
        5: FONT,
    }
    objects.update(extra_objects or {})
    return pdf_bytes(objects)


def mediabox_cycle_pdf() -> bytes:
    """/MediaBox 6 0 R, where 6 0 R is 7 0 R and 7 0 R is 6 0 R: pdfminer's resolve1 spins."""
    return one_page_pdf(media_box=b"6 0 R", extra_objects={6: b"7 0 R", 7: b"6 0 R"})


def length_self_reference_pdf() -> bytes:
    """A content stream whose /Length is an indirect reference to the stream itself."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: b"<< /Length 4 0 R >>\nstream\n%s\nendstream" % HELLO,
        5: FONT,
    }
    return pdf_bytes(objects)


def xref_prev_loop_pdf() -> bytes:
    """A trailer whose /Prev points back at its own xref table: reading it never ends."""
    data = one_page_pdf()
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Prev %d" % start)


def huge_mediabox_pdf(exponent: bool = False) -> bytes:
    """A page 1e30 points square, written out in digits (or as ``1e30``, which is not PDF)."""
    size = b"1e30" if exponent else b"1" + b"0" * 30
    return one_page_pdf(media_box=b"[0 0 %s %s]" % (size, size))


def sliver_page_pdf(width: float = 14400, height: float = 3) -> bytes:
    """A 200-inch by 3-point page (PDF's maximum user-space width)."""
    return one_page_pdf(media_box=b"[0 0 %g %g]" % (width, height), content=b"")


def giant_untrusted_page_pdf(inches: float = 200) -> bytes:
    """A page ``inches`` square whose text layer is unmapped glyphs, so it goes to OCR."""
    garbage = b"BT /F1 24 Tf 72 720 Td <" + b"e000" * 6 + b"> Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        % (inches * 72, inches * 72),
        4: _stream(garbage),
        # An Identity-H font whose ToUnicode maps every code to a private-use character.
        # An Identity-H font without a ToUnicode map: pdfminer reads (cid:57344) placeholders.
        5: b"<< /Type /Font /Subtype /Type0 /BaseFont /Garbage /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] >>",
        6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Garbage"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 7 0 R /DW 1000 >>",
        7: b"<< /Type /FontDescriptor /FontName /Garbage /Flags 4 /FontBBox [0 0 1000 1000]"
        b" /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>",
    }
    return pdf_bytes(objects)


def xref_stream_pdf() -> bytes:
    """A sound one-page PDF 1.5 whose cross-references and trailer are an xref stream."""
    classic = one_page_pdf()
    body = classic.split(b"xref\n", 1)[0]
    offsets = [0] + [body.index(b"\n%d 0 obj" % n) + 1 for n in range(1, 6)]
    start = len(body)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in offsets[1:]
    )
    rows += b"\x01" + start.to_bytes(4, "big") + b"\x00\x00"  # the xref stream itself
    xref = b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(
        rows
    )
    tail = b"%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (rows, start)
    return body.replace(b"%PDF-1.4", b"%PDF-1.5") + xref + tail


def truncated_pdf(cut: int = 20) -> bytes:
    """A PDF 1.5 missing its last ``cut`` bytes: the offset of its xref stream and %%EOF."""
    return xref_stream_pdf()[:-cut]


def broken_xref_pdf() -> bytes:
    """A sound PDF whose xref table points every object at the wrong offset."""
    data = one_page_pdf()
    head, tail = data.split(b"xref\n", 1)
    entries = tail.split(b"trailer", 1)
    broken = entries[0].replace(b" 00000 n", b" 00000 n").replace(b"0000000", b"0000009")
    return head + b"xref\n" + broken + b"trailer" + entries[1]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# Images ----------------------------------------------------------------------------------


def text_page_pixels(width: int = 1200, height: int = 400, text: str = "HOSTILE 123") -> Any:
    """A white 8-bit page with one line of large dark text, as a Pillow image."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=height // 4)
    draw.text((width // 10, height // 3), text, fill=0, font=font)
    return image


def sixteen_bit_png(path: Path) -> Path:
    """A 16-bit grayscale scan (mode I;16) whose paper is at 50000 of 65535."""
    import numpy as np
    from PIL import Image

    page = np.asarray(text_page_pixels(), dtype=np.uint16)
    # Paper at ~76 % of full scale, ink at ~8 %: typical of a 16-bit scanner's output.
    wide = (page.astype(np.uint32) * 50000 // 255 + 5000).astype(np.uint16)
    Image.fromarray(wide).save(path)
    return path


def sixteen_bit_tiff(path: Path) -> Path:
    import numpy as np
    from PIL import Image

    page = np.asarray(text_page_pixels(), dtype=np.uint16)
    wide = (page.astype(np.uint32) * 50000 // 255 + 5000).astype(np.uint16)
    Image.fromarray(wide).save(path, format="TIFF")
    return path


def exif_oriented_jpeg(path: Path, orientation: int) -> Path:
    """A page stored so that applying EXIF ``orientation`` (1-8) shows it upright."""
    from PIL import Image

    upright = text_page_pixels()
    # The stored pixels are the upright page put through the inverse of the orientation.
    inverse = {
        1: None,
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }[orientation]
    stored = upright.transpose(inverse) if inverse is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, format="JPEG", quality=95, exif=exif.tobytes())
    return path


def extreme_aspect_png(path: Path, width: int, height: int) -> Path:
    """A width x height page with a dark band in its middle (30000x30, 30x30000)."""
    import numpy as np
    from PIL import Image

    pixels = np.full((height, width), 255, dtype=np.uint8)
    pixels[height // 3 : 2 * height // 3 + 1, width // 3 : 2 * width // 3 + 1] = 0
    Image.fromarray(pixels).save(path)
    return path


