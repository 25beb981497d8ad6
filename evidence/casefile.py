"""Evidence in the FOS case file (fos.exports): every file on the case under ``evidence/``,
and ``evidence/manifest.csv`` listing each file and link with its SHA-256 as recorded at upload
and whether the bytes written still have it."""

from __future__ import annotations

import hashlib
import posixpath
import zipfile

from common import exports

from .selectors import case_file_items

MANIFEST = "evidence/manifest.csv"
COLUMNS = (
    exports.Column("file", "File in this case file"),
    exports.Column("title", "Title"),
    exports.Column("kind", "Kind"),
    exports.Column("original_name", "Name as uploaded"),
    exports.Column("content_type", "Type (from its content)"),
    exports.Column("size", "Size (bytes)"),
    exports.Column("sha256", "SHA-256 recorded at upload"),
    exports.Column("verified", "SHA-256 of the file in this case file matches"),
    exports.Column("added_by", "Added by"),
    exports.Column("added_at", "Added at (Europe/London)"),
    exports.Column("source", "Source"),
    exports.Column("link", "Link (not fetched)"),
)


def _member_name(evidence_id: int, name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/")).lstrip(".") or "file"
    return f"evidence/{evidence_id}-{base}"


def add_evidence(zf: zipfile.ZipFile, folder: str, complaint_id: int) -> list[str]:
    """Write the complaint's evidence into ``zf`` under ``folder``; the names written."""
    rows: list[list[object]] = []
    written: list[str] = []
    for item in case_file_items(complaint_id):
        e = item.evidence
        who = e.uploaded_by
        added_by = (who.get_full_name() or who.get_username()) if who else "system"
        if item.is_link:
            name, verified = "", ""
        else:
            name = _member_name(e.pk, e.download_name)
            digest = hashlib.sha256()
            with zf.open(f"{folder}/{name}", "w") as out:
                for chunk in item.chunks():
                    digest.update(chunk)
                    out.write(chunk)
            written.append(name)
            verified = "yes" if digest.hexdigest() == e.sha256 else "NO: changed since upload"
        rows.append(
            [
                name,
                e.title,
                e.get_kind_display(),
                e.original_name,
                e.content_type,
                e.size if e.size is not None else "",
                e.sha256,
                verified,
                added_by,
                e.uploaded_at,
                e.get_source_display(),
                e.url,
            ]
        )
    if rows:
        zf.writestr(
            f"{folder}/{MANIFEST}",
            exports.csv_bytes(exports.Table("Evidence", COLUMNS, rows)),
        )
        written.append(MANIFEST)
    return written
