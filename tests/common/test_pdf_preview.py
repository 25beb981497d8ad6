"""Pages of a PDF as images: real PDFs from WeasyPrint, and what is not a PDF."""

import io

import pytest
from PIL import Image
from weasyprint import HTML

from common.pdf_preview import PdfPreviewError, pdf_page_count, pdf_page_png, pdf_page_pngs


@pytest.fixture(scope="module")
def two_pages() -> bytes:
    html = "<p>First page</p><p style='page-break-before: always'>Second page</p>"
    return HTML(string=html).write_pdf()


def test_each_page_becomes_a_png_of_the_asked_width(two_pages):
    pngs = pdf_page_pngs(two_pages, width=300)
    assert len(pngs) == 2
    for png in pngs:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.width == 300
        assert image.height > image.width  # A4 portrait


def test_pages_are_bounded_by_max_pages(two_pages):
    assert len(pdf_page_pngs(two_pages, width=100, max_pages=1)) == 1
    assert pdf_page_count(two_pages) == 2


def test_one_page_by_number_and_a_missing_page_is_refused(two_pages):
    assert Image.open(io.BytesIO(pdf_page_png(two_pages, 2, width=120))).width == 120
    with pytest.raises(PdfPreviewError, match="no page 3"):
        pdf_page_png(two_pages, 3)


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n garbage"])
def test_what_is_not_a_pdf_is_a_clear_error(data):
    with pytest.raises(PdfPreviewError):
        pdf_page_count(data)
