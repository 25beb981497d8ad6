"""What the apps that import spreadsheets (intake's complaint registers, reporting's client
snapshots) share about an uploaded file."""

from __future__ import annotations

SPREADSHEET_FORMATS = ("csv", "xlsx")


def spreadsheet_format(name: str) -> str:
    """``csv`` or ``xlsx`` from the file's name (any case), or ``""`` for anything else."""
    lower = name.lower()
    return next((f for f in SPREADSHEET_FORMATS if lower.endswith(f".{f}")), "")


# A PDF file begins with this header (ISO 32000-1, 7.5.2); its name and declared type prove
# nothing, so an upload meant to be a PDF is judged by its first bytes.
PDF_MAGIC = b"%PDF-"


def pdf_problems(data: bytes, *, max_bytes: int) -> list[str]:
    """Why ``data`` is not an acceptable PDF upload: empty when it is one, within ``max_bytes``."""
    if not data:
        return ["The file is empty."]
    if len(data) > max_bytes:
        return [f"The file is {size_label(len(data))}; the limit is {size_label(max_bytes)}."]
    if not data.startswith(PDF_MAGIC):
        return ["This is not a PDF file (its content does not start with %PDF-)."]
    return []


def size_label(n: int) -> str:
    """A file size as people read it in a refusal: "1.2 MB", "40 KB"."""
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} KB"
