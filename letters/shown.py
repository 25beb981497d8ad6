"""A letter as a confirmation page shows it before it goes or is approved: its pages as pictures
of the PDF that will be sent, its text for screen readers, who it goes to and how, what goes with
it, and its mandatory-content checks in words (issue 16: every letter seen before it goes).

The pictures are PNG ``data:`` URIs (the CSP's img-src allows ``data:``): the letter is not
stored before it is confirmed, so there is nothing for an image URL to fetch, and no PDF viewer
(which headless browsers and a strict CSP both lack) is needed.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from common.pdf_preview import PdfPreviewError, pdf_page_pngs

from . import content
from .checks.text import html_to_text
from .choices import Delivery
from .lifecycle import Issued
from .models import FosLeaflet, Letter

PAGE_WIDTH = 800  # pixels: legible on a laptop, a few hundred kilobytes a page
MAX_PAGES = 6


@dataclass(frozen=True)
class ShownLetter:
    letter: Letter
    title: str
    recipient_name: str
    recipient_address: str
    recipient_email: str
    delivery: str  # its label; "" when the page does not choose one (approval)
    copy_email: str
    enclosed: str
    checks: list[dict]
    pages: list[str]  # data URIs, one per page
    text: str

    @property
    def failed_checks(self) -> list[dict]:
        return [c for c in self.checks if not c["passed"]]


def shown(
    letter: Letter,
    html: str,
    pdf: bytes,
    *,
    delivery: str = "",
    leaflet: FosLeaflet | None = None,
) -> ShownLetter:
    """``letter`` as rendered to ``html`` and ``pdf`` (its checks already run on ``html``)."""
    name, address, email = content.recipient_details(letter)
    emails = bool(delivery) and Delivery(delivery).emails
    try:
        pngs = pdf_page_pngs(pdf, width=PAGE_WIDTH, max_pages=MAX_PAGES)
    except PdfPreviewError:
        pngs = []  # the page says there is no picture; the text below still shows the letter
    return ShownLetter(
        letter=letter,
        title=letter.get_letter_type_display(),
        recipient_name=name,
        recipient_address=address,
        recipient_email=email if emails else "",
        delivery=Delivery(delivery).label if delivery else "",
        copy_email=content.copy_email_for(letter) if emails else "",
        enclosed=leaflet.describe() if leaflet else "",
        checks=list(letter.check_results or []),
        pages=[f"data:image/png;base64,{base64.b64encode(png).decode()}" for png in pngs],
        text=_readable(html_to_text(html)),
    )


def shown_issued(issued: Issued) -> ShownLetter:
    """A letter ``letters.lifecycle.prepare`` made ready to go, as its confirmation shows it."""
    return shown(
        issued.letter, issued.html, issued.pdf, delivery=issued.delivery, leaflet=issued.leaflet
    )


def _readable(text: str) -> str:
    """The letter's text with its layout's spacing removed: lines trimmed, one blank line
    between blocks."""
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
