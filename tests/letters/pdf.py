"""What a sent letter's PDF says and declares, read by the Poppler tools a reader would use
(pdftotext, pdfinfo): the real PDF, not the HTML it was made from."""

from __future__ import annotations

import subprocess
import tempfile


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def pdfinfo(data: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, check=True)
    return dict(
        (k.strip(), v.strip())
        for k, v in (ln.split(":", 1) for ln in out.stdout.decode().splitlines())
    )
