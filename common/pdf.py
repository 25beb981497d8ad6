"""HTML to PDF by WeasyPrint, the one way every PDF the product makes is rendered (letters,
audit trails, FOS case files)."""

from __future__ import annotations

import functools
import ssl
from typing import Any


def html_document(html: str) -> Any:
    """WeasyPrint's document for ``html`` (no base URL), fetching through ``_https_context``.
    Imported here: WeasyPrint loads Pango, which only a PDF needs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(ssl_context=_https_context()))


@functools.cache
def _https_context() -> ssl.SSLContext:
    """The TLS context urllib's HTTPS handler makes, made once per process. WeasyPrint's default
    fetcher made one per document, reading the system's CA certificates each time: about a third
    of a letter's rendering CPU. The product's PDFs fetch nothing (no base URL, no external
    resources), so they are byte for byte the same; a fetch would verify exactly as before."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    context.post_handshake_auth = True
    return context
