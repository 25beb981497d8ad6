"""Pages of a PDF as PNG images, for previews on a page (a letter before it goes, evidence).

Browsers differ in whether and how they show a PDF inside a page (headless Chromium shows
nothing), and an embedded viewer needs a looser Content-Security-Policy; a picture of each page
needs neither. pypdfium2 ships PDFium in its wheel, so this works wherever the app installs.

Bounded: at most ``max_pages`` pages are rendered, each scaled to ``width`` pixels, and a file
PDFium cannot open gives :class:`PdfPreviewError` (the caller shows "no preview"), never a crash.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium

DEFAULT_WIDTH = 900
DEFAULT_MAX_PAGES = 10


class PdfPreviewError(ValueError):
    """The bytes are not a PDF PDFium can open (damaged, encrypted, or not a PDF)."""


def pdf_page_count(data: bytes) -> int:
    """How many pages the PDF has; :class:`PdfPreviewError` if it cannot be opened."""
    doc = _open(data)
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_page_png(data: bytes, page_number: int, *, width: int = DEFAULT_WIDTH) -> bytes:
    """Page ``page_number`` (1-based) as a PNG ``width`` pixels wide."""
    doc = _open(data)
    try:
        if not 1 <= page_number <= len(doc):
            raise PdfPreviewError(f"The PDF has no page {page_number}.")
        return _render(doc[page_number - 1], width)
    finally:
        doc.close()


def pdf_page_pngs(
    data: bytes, *, width: int = DEFAULT_WIDTH, max_pages: int = DEFAULT_MAX_PAGES
) -> list[bytes]:
    """The first ``max_pages`` pages as PNGs ``width`` pixels wide."""
    doc = _open(data)
    try:
        return [_render(doc[i], width) for i in range(min(len(doc), max_pages))]
    finally:
        doc.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfPreviewError(f"The file cannot be read as a PDF ({exc}).") from exc


def _render(page: pdfium.PdfPage, width: int) -> bytes:
    try:
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        page.close()
