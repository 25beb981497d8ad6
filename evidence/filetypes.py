"""What a file really is, judged by its bytes (never its name), and which types each kind of
evidence accepts.

Binary formats are recognised by their signatures (the ``filetype`` library: PDF, PNG, JPEG,
GIF, WebP, MP3, WAV, M4A, DOCX, XLSX). Text has no signature: a file named .txt, .csv or .eml is
accepted as text only when every byte is UTF-8 with no NUL, it does not open like an HTML page,
and an .eml begins with a mail header. The name's extension must then agree with what the bytes
are: a program or a web page renamed ``statement.pdf`` is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import filetype

from .choices import Kind

HEAD_BYTES = 8192  # what filetype reads to recognise a signature


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]
    preview: str = ""  # "image", "pdf", "audio" or "" (download only)

    @property
    def is_text(self) -> bool:
        return self.mime.startswith("text/") or self.mime == "message/rfc822"


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", ("pdf",), "pdf"),
        FileType("png", "PNG image", "image/png", ("png",), "image"),
        FileType("jpeg", "JPEG image", "image/jpeg", ("jpg", "jpeg"), "image"),
        FileType("gif", "GIF image", "image/gif", ("gif",), "image"),
        FileType("webp", "WebP image", "image/webp", ("webp",), "image"),
        FileType("mp3", "MP3 audio", "audio/mpeg", ("mp3",), "audio"),
        FileType("wav", "WAV audio", "audio/wav", ("wav",), "audio"),
        FileType("m4a", "M4A audio", "audio/mp4", ("m4a",), "audio"),
        FileType(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileType(
            "xlsx",
            "Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileType("txt", "Plain text", "text/plain", ("txt",)),
        FileType("csv", "CSV", "text/csv", ("csv",)),
        FileType("eml", "E-mail message", "message/rfc822", ("eml",)),
    )
}

# What filetype's signatures map to here (anything else it recognises is not allowed).
_SIGNATURES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/apng": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/mp4": "m4a",
    TYPES["docx"].mime: "docx",
    TYPES["xlsx"].mime: "xlsx",
}
_TEXT_EXTENSIONS = frozenset({"txt", "csv", "eml"})

_DOCUMENTS = {"pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "txt", "csv"}
KIND_TYPES: dict[str, frozenset[str]] = {
    Kind.RECORDING: frozenset({"mp3", "wav", "m4a"}),
    Kind.SCREENSHOT: frozenset({"png", "jpeg", "gif", "webp"}),
    Kind.STATEMENT: frozenset({"pdf", "docx", "txt", "png", "jpeg"}),
    Kind.COMPLAINANT_DOCUMENT: frozenset(_DOCUMENTS),
    Kind.CORRESPONDENCE: frozenset(TYPES),
    Kind.CHAIN_LINK: frozenset(),  # a link, never a file
    Kind.OTHER: frozenset(TYPES),
}

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<svg|<\?xml)", re.I)
_MAIL_HEADER = re.compile(rb"^[A-Za-z0-9-]{1,76}:[ \t]")


def extension_of(name: str) -> str:
    """The extension of ``name`` in lower case without its dot ("" when it has none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot and stem else ""


def detect(head: bytes, extension: str) -> FileType | None:
    """The type ``head`` (a file's first HEAD_BYTES) shows, or None when it is not one we take.

    ``extension`` only chooses between the text types, which have no signature."""
    kind = filetype.guess(head)
    if kind is not None:
        key = _SIGNATURES.get(kind.mime)
        return TYPES[key] if key else None
    if not head or _HTML_START.match(head) or b"\x00" in head:
        return None
    if extension not in _TEXT_EXTENSIONS or not _utf8(head, final=False):
        return None
    if extension == "eml":
        return TYPES["eml"] if _MAIL_HEADER.match(head) else None
    return TYPES["csv"] if extension == "csv" else TYPES["txt"]


def _utf8(data: bytes, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


class TextCheck:
    """Checks a text file's bytes as they stream past: all UTF-8, never a NUL."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.ok = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.ok:
            return
        if b"\x00" in chunk:
            self.ok = False
            return
        try:
            self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.ok = False


def allowed_labels(kind: str) -> str:
    """The types ``kind`` accepts, for a refusal ("PDF, PNG image or Word document")."""
    labels = [TYPES[k].label for k in TYPES if k in KIND_TYPES.get(kind, frozenset())]
    return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else "".join(labels)
