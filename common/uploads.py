"""What the apps that import spreadsheets (intake's complaint registers, reporting's client
snapshots) share about an uploaded file."""

from __future__ import annotations

SPREADSHEET_FORMATS = ("csv", "xlsx")


def spreadsheet_format(name: str) -> str:
    """``csv`` or ``xlsx`` from the file's name (any case), or ``""`` for anything else."""
    lower = name.lower()
    return next((f for f in SPREADSHEET_FORMATS if lower.endswith(f".{f}")), "")
