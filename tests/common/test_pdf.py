"""common/pdf.py: no PDF the product makes (letters through letters/pdf.py; audit trails and FOS
case files through html_document) reads the system's CA certificates again for each document
(WeasyPrint's default fetcher made a TLS context per document, a third of a letter's CPU)."""

import ssl

from common.pdf import html_document
from letters.pdf import pdf_bytes

HTML = '<!doctype html><html lang="en-GB"><title>t</title><p>We have received your complaint.'


def test_each_pdf_reuses_one_tls_context(monkeypatch):
    first = pdf_bytes(HTML)
    loads: list[object] = []
    original = ssl.SSLContext.load_default_certs
    monkeypatch.setattr(
        ssl.SSLContext,
        "load_default_certs",
        lambda self, *args: loads.append(args) or original(self, *args),
    )
    assert pdf_bytes(HTML) == first
    assert pdf_bytes(HTML, accessible=True).startswith(b"%PDF")
    assert html_document(HTML).write_pdf().startswith(b"%PDF")
    assert loads == []
