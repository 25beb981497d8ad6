"""The only write path for evidence: add (a file or a link), remove from the case, and purge
when DISP 1.9 retention ends the complaint's record.

A file is judged by its bytes as it streams past (type, SHA-256, size, under the size cap)
before anything is stored; then it is written through the ``evidence`` storage and its row
saved with history in one transaction, and the stored file is deleted again if the row cannot be
written. Refusals name the field (``file``, ``url``, ``kind``, ``title``) and the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from common.audit import Actor, delete_audited, history_user, save_audited, snapshot
from common.errors import ConflictError, ValidationFailed
from common.history_guard import allow_history_rewrite
from common.locking import check_version, lock_pk
from common.pdf_preview import PdfPreviewError, pdf_page_count
from common.uploads import size_label
from complaints.models import Complaint

from .choices import Kind, Source, State
from .errors import EvidenceErrorCode as Code
from .filetypes import (
    HEAD_BYTES,
    KIND_TYPES,
    FileType,
    TextCheck,
    allowed_labels,
    detect,
    extension_of,
)
from .models import Evidence
from .storage import evidence_storage

CHUNK = 64 * 1024
REASON_ADD = "evidence.add"
REASON_REMOVE = "evidence.remove"
REASON_PURGE = "retention.evidence"
REDACTED = "[Redacted: DISP 1.9 retention period ended]"


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 25_000_000))


def _refuse(code: Code, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        code, f"The evidence was not added: {message}", fields={field: [message]}
    )


@dataclass(frozen=True)
class Checked:
    file_type: FileType
    size: int
    sha256: str


def _chunks(source: File[bytes] | bytes) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), CHUNK):
            yield source[start : start + CHUNK]
        return
    source.seek(0)
    yield from source.chunks(CHUNK)


def check_file(source: File[bytes] | bytes, *, name: str, kind: str, limit: int) -> Checked:
    """Read the file once: its type from its first bytes, its SHA-256 and size, under ``limit``.

    Refused: empty, over the cap, a type this kind does not take, a name whose extension
    disagrees with what the bytes are, or "text" that is not UTF-8 text to its last byte."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    pending: list[bytes] = []  # what streamed past before the type was judged
    file_type: FileType | None = None
    text: TextCheck | None = None
    extension = extension_of(name)
    for chunk in _chunks(source):
        size += len(chunk)
        if size > limit:
            raise _refuse(
                Code.TOO_LARGE, "file", f"the file is larger than the limit of {size_label(limit)}."
            )
        digest.update(chunk)
        if file_type is None:
            head += chunk[: HEAD_BYTES - len(head)]
            pending.append(chunk)
            if len(head) >= HEAD_BYTES:
                file_type, text = _judged(head, extension, kind, pending)
                pending = []
        elif text is not None:
            text.feed(chunk)
    if size == 0:
        raise _refuse(Code.EMPTY, "file", "the file is empty.")
    if file_type is None:
        file_type, text = _judged(head, extension, kind, pending)
    if text is not None:
        text.feed(b"", final=True)
        if not text.ok:
            raise _refuse(
                Code.TYPE_NOT_ALLOWED,
                "file",
                f"it is named .{extension} but its content is not plain UTF-8 text.",
            )
    return Checked(file_type, size, digest.hexdigest())


def _judged(
    head: bytes, extension: str, kind: str, seen: list[bytes]
) -> tuple[FileType, TextCheck | None]:
    file_type = _judge(head, extension, kind)
    if not file_type.is_text:
        return file_type, None
    text = TextCheck()
    for chunk in seen:
        text.feed(chunk)
    return file_type, text


def _judge(head: bytes, extension: str, kind: str) -> FileType:
    found = detect(head, extension)
    if found is None:
        raise _refuse(
            Code.TYPE_NOT_ALLOWED,
            "file",
            f"its content is not a type evidence may be ({allowed_labels(kind)}), "
            "whatever its name says.",
        )
    if found.key not in KIND_TYPES[kind]:
        raise _refuse(
            Code.TYPE_NOT_ALLOWED,
            "file",
            f"it is a {found.label}; a {Kind(kind).label.lower()} may be {allowed_labels(kind)}.",
        )
    if extension and extension not in found.extensions:
        raise _refuse(
            Code.EXTENSION_MISMATCH,
            "file",
            f"it is named .{extension} but its content is a {found.label} "
            f"(.{found.extensions[0]}).",
        )
    return found


_HTTPS = URLValidator(schemes=["https"])


def check_link(url: str) -> str:
    """A chain-explorer link: an https address with a host and no user name or password in it.
    It is stored as text and shown as a link; the server never fetches it."""
    url = (url or "").strip()
    if not url:
        raise _refuse(Code.URL_INVALID, "url", "a chain-explorer link needs its address.")
    if len(url) > 2000:
        raise _refuse(Code.URL_INVALID, "url", "the address is longer than 2,000 characters.")
    try:
        _HTTPS(url)
    except ValidationError:
        raise _refuse(
            Code.URL_INVALID, "url", "the address must be a full https:// link."
        ) from None
    authority = url.split("://", 1)[1].split("/", 1)[0]
    if "@" in authority:
        raise _refuse(Code.URL_INVALID, "url", "the address must not carry a user name.")
    return url


def evidence_add(
    complaint: Complaint,
    *,
    user: Actor,
    kind: str,
    title: str,
    upload: File[bytes] | None = None,
    content: bytes | None = None,
    file_name: str | None = None,
    url: str | None = None,
    source: str = Source.UPLOAD,
    now: datetime | None = None,
) -> Evidence:
    """Add a file (``upload``, or ``content`` with ``file_name``) or a chain-explorer link
    (``url``) to ``complaint``, recorded as added by ``user`` now.

    The same file (by SHA-256) already on the complaint is refused for an upload; an e-mail's
    attachment that is already there (the same message read twice) gives the existing row."""
    now = now or timezone.now()
    title = _printable(title or "")
    if kind not in Kind.values:
        raise _refuse(Code.VALIDATION, "kind", f"{kind!r} is not a kind of evidence.")
    if source not in Source.values:
        raise _refuse(Code.VALIDATION, "source", f"{source!r} is not a source of evidence.")
    if len(title) > 200:
        raise _refuse(Code.VALIDATION, "title", "the title is longer than 200 characters.")
    has_file = upload is not None or content is not None
    if kind == Kind.CHAIN_LINK:
        if has_file:
            raise _refuse(Code.VALIDATION, "file", "a chain-explorer link is a link, not a file.")
        link = check_link(url or "")
        row = _row(complaint, user, kind, title or link[:200], now, source)
        row.url = link
        save_audited(row, actor=user, reason=REASON_ADD)
        return row
    if url:
        raise _refuse(Code.VALIDATION, "url", "only a chain-explorer link is added by address.")
    if upload is not None and content is not None:
        raise _refuse(Code.VALIDATION, "file", "give the file once: an upload or its content.")
    if not has_file:
        raise _refuse(Code.VALIDATION, "file", "choose a file to upload.")
    name = _printable(file_name or getattr(upload, "name", "") or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    if not name:
        raise _refuse(Code.VALIDATION, "file", "the file needs a name.")
    data: File[bytes] | bytes = content if content is not None else cast("File[bytes]", upload)
    checked = check_file(data, name=name, kind=kind, limit=max_bytes())
    existing: Evidence | None = Evidence.objects.filter(
        complaint=complaint, sha256=checked.sha256, state=State.ON_FILE
    ).first()
    if existing is not None:
        if source == Source.EMAIL:
            return existing
        raise ValidationFailed(
            Code.DUPLICATE,
            f"The evidence was not added: this file is already on the complaint as "
            f"“{existing.title}”.",
            fields={"file": ["This file is already on the complaint."]},
            extra={"evidence_id": existing.pk},
        )
    row = _row(complaint, user, kind, title or name[:200], now, source)
    row.original_name = name
    row.content_type = checked.file_type.mime
    row.size = checked.size
    row.sha256 = checked.sha256
    if checked.file_type.key == "pdf":
        row.page_count = _pages(data)
    stored = ContentFile(data, name=name) if isinstance(data, bytes) else data
    stored.seek(0)
    with transaction.atomic():
        row.file.save(name, stored, save=False)
        try:
            with transaction.atomic():
                save_audited(row, actor=user, reason=REASON_ADD)
        except BaseException:
            evidence_storage.delete(row.file.name)
            raise
    return row


def _printable(text: str) -> str:
    """Text without control characters (a NUL cannot be stored; a newline breaks a header)."""
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f").strip()


def _row(
    complaint: Complaint, user: Actor, kind: str, title: str, now: datetime, source: str
) -> Evidence:
    return Evidence(
        firm_id=complaint.firm_id,
        complaint=complaint,
        kind=kind,
        title=title,
        source=source,
        uploaded_by=history_user(user),
        uploaded_at=now,
    )


def _pages(data: File[bytes] | bytes) -> int | None:
    if not isinstance(data, bytes):
        data.seek(0)
        data = b"".join(data.chunks(CHUNK))
    try:
        return pdf_page_count(data)
    except PdfPreviewError:
        return None  # a damaged PDF is still evidence; it is offered for download only


def evidence_remove(
    *,
    evidence_id: int,
    actor: Actor,
    now: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Evidence:
    """Take evidence off the case (added in error, or superseded): it stays stored, and listed
    as removed, until DISP 1.9 retention ends the complaint's record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            Code.VALIDATION,
            "The evidence was not removed: say why.",
            fields={"reason": ["Required."]},
        )
    with transaction.atomic():
        row = lock_pk(Evidence, evidence_id, code=Code.NOT_FOUND, what="Evidence")
        check_version(
            row,
            expected_version,
            code=Code.STALE,
            message="The evidence changed since you opened the page.",
        )
        if row.state != State.ON_FILE:
            raise ConflictError(Code.ALREADY_REMOVED, "This evidence was already removed.")
        before = snapshot(row)
        row.state = State.REMOVED
        row.removed_at = now
        row.removed_by = history_user(actor)
        row.removed_reason = reason[:300]
        row.version += 1
        save_audited(row, actor=actor, reason=REASON_REMOVE, before=before)
    return row


def evidence_purge(*, complaint_ids: list[int], actor: Actor) -> int:
    """DISP 1.9: the complaints' retention has ended (the caller has checked their holds under
    lock, in this transaction). Delete their evidence rows (with a history entry each), scrub the
    titles, names and links from the history, and delete the stored files once the transaction
    commits (a rollback keeps them). Returns how many files go."""
    if not complaint_ids:
        return 0
    rows = list(
        Evidence.objects.select_for_update().filter(complaint_id__in=complaint_ids).order_by("pk")
    )
    names = [r.file.name for r in rows if r.file and r.file.name]
    for row in rows:
        delete_audited(row, actor=actor, reason=REASON_PURGE)
    if rows:
        with allow_history_rewrite(reason="retention", actor=_who(actor)):
            Evidence.history.filter(complaint_id__in=complaint_ids).update(
                title=REDACTED, original_name="", url=""
            )
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return len(names)


def _who(actor: Actor) -> str:
    pk = getattr(actor, "pk", None)
    return f"{actor.get_username()} (user {pk})" if pk and actor is not None else "system"


def _delete_files(names: list[str]) -> None:
    for name in names:
        evidence_storage.delete(name)


def read_bytes(row: Evidence) -> bytes:
    """The stored file's bytes (previews of a PDF's pages need the whole file)."""
    with evidence_storage.open(row.file.name, "rb") as fh:
        data: bytes = fh.read()
    return data


__all__ = [
    "Checked",
    "check_file",
    "check_link",
    "evidence_add",
    "evidence_purge",
    "evidence_remove",
    "read_bytes",
]
