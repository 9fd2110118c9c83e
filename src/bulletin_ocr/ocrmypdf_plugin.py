"""An OCRmyPDF plugin that makes this project's recogniser OCRmyPDF's OCR engine.

``ocrmypdf --plugin bulletin_ocr.ocrmypdf_plugin in.pdf out.pdf`` (the optional extra
``bulletin-ocr[ocrmypdf]``): OCRmyPDF rasterises each page, hands the image to
``BulletinOcrEngine.generate_ocr``, which preprocesses and recognises it as ``bulletin-ocr
convert`` does (PP-OCR through onnxruntime), and returns one line element per recognised
line, boxed in the image's pixels; OCRmyPDF draws its own text layer from them and does the
rest (PDF/A, optimisation, sidecar, page selection). Tesseract is not needed.

Load it only in OCRmyPDF's process: importing ``ocrmypdf`` patches pdfminer's simple fonts
for the whole process (a font with neither ToUnicode nor Encoding reads as ``(cid:N)``),
which would change what ``bulletin-ocr`` reads from such text layers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.models.ocr_element import BoundingBox, OcrClass, OcrElement
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence

from bulletin_ocr.export.meta import SOFTWARE, software_version

# Languages OCRmyPDF may be asked for (its -l uses Tesseract's codes); the PP-OCR models
# read simplified and traditional Chinese with Latin letters and digits whatever is asked.
LANGUAGES = frozenset({"chi_sim", "chi_tra", "eng"})


class BulletinOcrEngine(OcrEngine):
    """bulletin-ocr's preprocessing and PP-OCR recognition, one page image at a time."""

    @staticmethod
    def version() -> str:
        return software_version()

    @staticmethod
    def creator_tag(options: Any) -> str:
        return f"{SOFTWARE} {software_version()}"

    def __str__(self) -> str:
        return f"{SOFTWARE} {software_version()}"

    @staticmethod
    def languages(options: Any) -> set[str]:
        return set(LANGUAGES)

    @staticmethod
    def get_orientation(input_file: Path, options: Any) -> OrientationConfidence:
        # Our preprocessing finds and undoes a quarter turn itself (see generate_ocr).
        return OrientationConfidence(angle=0, confidence=0.0)

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        return 0.0

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(
        input_file: Path, options: Any, page_number: int = 0
    ) -> tuple[OcrElement, str]:
        """The page's lines, boxed in ``input_file``'s pixels, and its text."""
        from bulletin_ocr.export.coords import page_geometry
        from bulletin_ocr.inputs.image import read_image_pages
        from bulletin_ocr.ocr import OcrOptions
        from bulletin_ocr.pipeline import ConvertOptions, ocr_page

        (image,) = read_image_pages(Path(input_file), pages=range(1, 2))
        height, width = image.pixels.shape[:2]
        convert_options = ConvertOptions(ocr=OcrOptions(threads=_threads(options)))
        page = ocr_page(
            image.pixels, image.dpi, page_number + 1, convert_options, source=str(input_file)
        )
        geometry = page_geometry(page)
        root = OcrElement(
            ocr_class=OcrClass.PAGE,
            bbox=BoundingBox(left=0, top=0, right=width, bottom=height),
            dpi=image.dpi,
            page_number=page_number,
        )
        texts = []
        for text, bbox, confidence in _placed_lines(page, geometry):
            word = OcrElement(ocr_class=OcrClass.WORD, bbox=bbox, text=text, confidence=confidence)
            root.children.append(
                OcrElement(ocr_class=OcrClass.LINE, bbox=bbox, children=[word])
            )
            texts.append(text)
        return root, "\n".join(texts) + "\n"

    @staticmethod
    def generate_hocr(
        input_file: Path, output_hocr: Path, output_text: Path, options: Any
    ) -> None:
        raise NotImplementedError(f"{SOFTWARE} gives OCRmyPDF its results by generate_ocr")

    @staticmethod
    def generate_pdf(
        input_file: Path, output_pdf: Path, output_text: Path, options: Any
    ) -> None:
        raise NotImplementedError(f"{SOFTWARE} gives OCRmyPDF its results by generate_ocr")


def _placed_lines(page: Any, geometry: Any) -> list[tuple[str, BoundingBox, float | None]]:
    """Each line's text and box in the image's pixels; lines side by side in one row (a
    masthead's issuer and date) get one top and bottom, so OCRmyPDF sets them on one baseline
    and poppler reads them as one line instead of the higher one first."""
    from bulletin_ocr.export.pdf_text_layer import side_by_side
    from bulletin_ocr.export.regions import line_text

    placed = []
    for line in page.lines + page.furniture:
        text = line_text(line)
        box = geometry.line_box(line) if geometry is not None else None
        if text.strip() and box is not None and box.width > 0 and box.height > 0:
            placed.append((line, text, box))
    tops = [box.top for _, _, box in placed]
    bottoms = [box.bottom for _, _, box in placed]
    for row in side_by_side([line for line, _, _ in placed]):
        top = sum(tops[index] for index in row) / len(row)
        bottom = sum(bottoms[index] for index in row) / len(row)
        for index in row:
            tops[index], bottoms[index] = top, bottom
    return [
        (text, BoundingBox(left=box.x0, top=top, right=box.x1, bottom=bottom), line.confidence)
        for (line, text, box), top, bottom in zip(placed, tops, bottoms, strict=True)
    ]


def _threads(options: Any) -> int:
    """onnxruntime threads per page: OCRmyPDF already runs ``--jobs`` pages at once, so the
    cores are shared among them rather than each page taking them all."""
    import os

    cores = os.cpu_count() or 1
    jobs = getattr(options, "jobs", None) or cores
    return max(1, cores // jobs)


@hookimpl
def get_ocr_engine(options: Any) -> OcrEngine:
    """This plugin's engine: loaded with --plugin, it replaces Tesseract."""
    return BulletinOcrEngine()
