"""evidence.services: what a file really is, its SHA-256, size cap, links, duplicates, the file
removed when the row cannot be written, and removal from the case."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import ConflictError, ValidationFailed
from evidence import services
from evidence.choices import Kind, Source, State
from evidence.models import Evidence
from evidence.storage import evidence_storage
from tests.evidence.conftest import EXE, HTML, NOW, png_bytes, wav_bytes

pytestmark = pytest.mark.django_db


def _add(complaint, user, **kwargs):
    kwargs.setdefault("kind", Kind.SCREENSHOT)
    kwargs.setdefault("title", "")
    return services.evidence_add(complaint, user=user, now=NOW, **kwargs)


def _refused(complaint, user, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as exc:
        _add(complaint, user, **kwargs)
    return exc.value


def _stored_files(complaint) -> list[str]:
    folder = os.path.join(evidence_storage.location, str(complaint.firm_id), str(complaint.pk))
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_an_upload_is_stored_with_its_detected_type_sha256_size_who_and_when(complaint, handler):
    data = png_bytes()
    upload = SimpleUploadedFile("wallet screen.PNG", data, content_type="text/html")
    row = _add(complaint, handler, upload=upload, title="Wallet screen")

    row.refresh_from_db()
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert (row.size, row.content_type, row.original_name) == (len(data), "image/png", upload.name)
    assert (row.uploaded_by, row.uploaded_at, row.source) == (handler, NOW, Source.UPLOAD)
    assert row.firm_id == complaint.firm_id and row.state == State.ON_FILE
    # Stored under a random name through the evidence storage, never the uploader's name.
    assert "wallet" not in row.file.name and row.file.name.endswith(".png")
    assert services.read_bytes(row) == data
    [created] = row.history.all()
    assert (created.history_change_reason, created.history_user) == ("evidence.add", handler)


def test_a_weasyprint_pdf_is_a_statement_with_its_pages_counted(complaint, handler, weasy_pdf):
    row = _add(complaint, handler, kind=Kind.STATEMENT, content=weasy_pdf, file_name="st.pdf")
    assert (row.content_type, row.page_count, row.title) == ("application/pdf", 2, "st.pdf")


def test_a_recording_and_text_files_are_judged_by_their_content(complaint, handler):
    wav = _add(complaint, handler, kind=Kind.RECORDING, content=wav_bytes(), file_name="call.wav")
    csv = _add(
        complaint,
        handler,
        kind=Kind.COMPLAINANT_DOCUMENT,
        content="date,amount\n2026-04-01,£120\n".encode(),
        file_name="ledger.csv",
    )
    eml = _add(
        complaint,
        handler,
        kind=Kind.CORRESPONDENCE,
        content=b"From: jo@example.test\r\nSubject: My withdrawal\r\n\r\nHello",
        file_name="message.eml",
    )
    assert [wav.content_type, csv.content_type, eml.content_type] == [
        "audio/wav",
        "text/csv",
        "message/rfc822",
    ]
    assert wav.preview == "audio" and csv.preview == ""


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("statement.pdf", EXE, "evidence_type_not_allowed"),  # a program renamed .pdf
        ("statement.pdf", HTML, "evidence_type_not_allowed"),  # a web page renamed .pdf
        ("notes.txt", HTML, "evidence_type_not_allowed"),  # a web page renamed .txt
        ("notes.txt", b"\x00\x01binary", "evidence_type_not_allowed"),
        ("notes.txt", b"caf\xe9 latin-1", "evidence_type_not_allowed"),
        ("screen.jpg", png_bytes(), "evidence_extension_mismatch"),  # a PNG named .jpg
        ("statement.docx", png_bytes(), "evidence_extension_mismatch"),
        ("empty.pdf", b"", "evidence_empty"),
    ],
)
def test_the_real_type_decides_not_the_name(complaint, handler, name, data, code):
    error = _refused(complaint, handler, kind=Kind.OTHER, content=data, file_name=name)
    assert error.code == code
    assert list(error.fields) == ["file"]
    assert _stored_files(complaint) == []


def test_text_is_checked_to_its_last_byte_not_only_its_first(complaint, handler):
    data = b"a" * 20_000 + b"\xff\xfe" + b"b" * 100
    error = _refused(complaint, handler, kind=Kind.OTHER, content=data, file_name="log.txt")
    assert error.code == "evidence_type_not_allowed" and "UTF-8" in error.fields["file"][0]


def test_each_kind_takes_only_its_types(complaint, handler):
    error = _refused(
        complaint, handler, kind=Kind.RECORDING, content=png_bytes(), file_name="call.png"
    )
    assert error.code == "evidence_type_not_allowed"
    assert "MP3 audio, WAV audio or M4A audio" in error.fields["file"][0]


def test_files_over_the_size_cap_are_refused_and_nothing_is_stored(complaint, handler, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    error = _refused(
        complaint,
        handler,
        upload=SimpleUploadedFile("big.png", png_bytes(size=(40, 40), noise=True)),
    )
    assert error.code == "evidence_too_large" and "1 KB" in error.fields["file"][0]
    assert not Evidence.objects.exists() and _stored_files(complaint) == []


def test_a_chain_explorer_link_is_https_and_never_a_file(complaint, handler):
    url = "https://etherscan.io/tx/0xabc123"
    row = _add(complaint, handler, kind=Kind.CHAIN_LINK, url=url)
    assert (row.url, row.title, row.is_link, row.sha256) == (url, url, True, "")
    for bad in ("http://etherscan.io/tx/1", "javascript:alert(1)", "https://u:p@evil.test/x", ""):
        error = _refused(complaint, handler, kind=Kind.CHAIN_LINK, url=bad)
        assert (error.code, list(error.fields)) == ("evidence_url_invalid", ["url"]), bad
    refused = _refused(
        complaint, handler, kind=Kind.CHAIN_LINK, url=url, content=png_bytes(), file_name="a.png"
    )
    assert list(refused.fields) == ["file"]
    assert list(_refused(complaint, handler, kind=Kind.SCREENSHOT, url=url).fields) == ["url"]


def test_the_same_file_twice_is_refused_but_an_emails_attachment_read_twice_is_not(
    complaint, handler
):
    first = _add(complaint, handler, content=png_bytes(), file_name="a.png")
    error = _refused(complaint, handler, content=png_bytes(), file_name="b.png")
    assert error.code == "evidence_duplicate" and error.extra == {"evidence_id": first.pk}
    again = _add(complaint, None, content=png_bytes(), file_name="b.png", source=Source.EMAIL)
    assert again.pk == first.pk and Evidence.objects.count() == 1


def test_the_stored_file_is_deleted_when_the_row_cannot_be_written(complaint, handler, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "save_audited", broken)
    with pytest.raises(RuntimeError):
        _add(complaint, handler, content=png_bytes(), file_name="a.png")
    assert _stored_files(complaint) == []


def test_removing_from_the_case_keeps_the_file_and_says_why(complaint, handler):
    row = _add(complaint, handler, content=png_bytes(), file_name="a.png")
    with pytest.raises(ValidationFailed) as no_reason:
        services.evidence_remove(evidence_id=row.pk, actor=handler, now=NOW, reason=" ")
    assert no_reason.value.fields == {"reason": ["Required."]}
    services.evidence_remove(
        evidence_id=row.pk, actor=handler, now=NOW, reason="Wrong complaint", expected_version=1
    )
    row.refresh_from_db()
    assert (row.state, row.removed_by, row.removed_reason) == (
        State.REMOVED,
        handler,
        "Wrong complaint",
    )
    assert services.read_bytes(row) == png_bytes()
    with pytest.raises(ConflictError):
        services.evidence_remove(evidence_id=row.pk, actor=handler, now=NOW, reason="Again")


def test_control_characters_never_reach_a_name_or_title(complaint, handler):
    row = _add(
        complaint, handler, content=png_bytes(), file_name="sta\x00te\r\nment.png", title="A\x00B"
    )
    assert (row.original_name, row.title) == ("statement.png", "AB")
