"""Real files for the evidence tests: a PNG drawn by Pillow, a PDF printed by WeasyPrint, a WAV
written by the standard library, and files that only pretend to be what their names say."""

from __future__ import annotations

import io
import random
import wave

import pytest
from PIL import Image

from tests.factories import london, make_complaint

RECEIVED = london(2026, 4, 6, 10)
NOW = london(2026, 4, 8, 11)


def png_bytes(colour: str = "red", size: tuple[int, int] = (4, 3), *, noise: bool = False) -> bytes:
    """A real PNG; with ``noise`` random pixels, so it does not compress below its area."""
    w, h = size
    image = (
        Image.frombytes("RGB", size, random.Random(7).randbytes(w * h * 3))
        if noise
        else Image.new("RGB", size, colour)
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return out.getvalue()


# A Windows program's first bytes (the MZ header), and a web page with a script.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(scope="session")
def weasy_pdf() -> bytes:
    """A two-page statement printed by WeasyPrint, as the letters are."""
    from weasyprint import HTML as Page

    html = (
        "<h1>Statement of Jo Bloggs</h1><p>I asked for my withdrawal on 1 April.</p>"
        "<p style='break-before: page'>Page two of the statement.</p>"
    )
    return Page(string=html).write_pdf()


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
