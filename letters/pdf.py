"""Letters as PDF: the tagged A4 document WeasyPrint makes from a letter's HTML, and the print
pack a posted letter is printed from."""

from __future__ import annotations

import io

from common.pdf import html_document


def pdf_bytes(html: str, *, accessible: bool = False) -> bytes:
    """A4 PDF with embedded (subset) fonts, so the evidence renders the same anywhere. Every PDF
    is tagged (its headings, paragraphs and lists are a structure a screen reader follows) and
    carries the document's title and language; ``accessible`` also declares PDF/UA-1
    conformance (WeasyPrint's ``pdf/ua-1`` variant, which tags as well)."""
    document = html_document(html)
    if accessible:
        return document.write_pdf(pdf_variant="pdf/ua-1")
    return document.write_pdf(pdf_tags=True)


def print_pack(letter_pdf: bytes, enclosures: list[tuple[str, bytes, str]]) -> bytes:
    """What a posted letter is printed from: the letter's pages, then each enclosure's (the FOS
    leaflet, DISP 1.6.2R(1)(d)), in one PDF so nothing the letter encloses is left off."""
    from pypdf import PdfReader, PdfWriter  # imported here: only the print pack needs it

    writer = PdfWriter()
    for data in (letter_pdf, *(data for _, data, _ in enclosures)):
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
