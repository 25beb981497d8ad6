"""The evidence panel and its views: upload and refusals flashed, previews served with the
detected type, nosniff and a disposition, PDF pages as images, firm isolation and roles."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import services
from evidence.choices import Kind, State
from evidence.models import Evidence
from tests.evidence.conftest import EXE, NOW, png_bytes, wav_bytes
from tests.factories import FirmFactory, MembershipFactory, tiny_pdf

pytestmark = pytest.mark.django_db


def _page(client, complaint):
    return client.get(reverse("complaints:detail", args=[complaint.pk]))


def _add(complaint, user, data, name, kind=Kind.OTHER):
    return services.evidence_add(
        complaint, user=user, kind=kind, title=name, content=data, file_name=name, now=NOW
    )


def test_a_handler_uploads_on_the_complaint_page_and_sees_who_when_and_the_sha256(
    client, complaint, handler
):
    client.force_login(handler)
    data = png_bytes()
    response = client.post(
        reverse("evidence:upload", args=[complaint.pk]),
        {"kind": Kind.SCREENSHOT, "title": "Wallet", "file": SimpleUploadedFile("w.png", data)},
        follow=True,
    )
    assert response.status_code == 200
    row = Evidence.objects.get()
    body = response.content.decode()
    assert "Evidence added: Wallet." in body
    assert hashlib.sha256(data).hexdigest() in body
    assert reverse("evidence:file", args=[row.pk]) in body  # the image preview
    assert 'alt="Preview of Wallet"' in body


def test_a_refusal_is_flashed_naming_the_field_and_reason(client, complaint, handler):
    client.force_login(handler)
    response = client.post(
        reverse("evidence:upload", args=[complaint.pk]),
        {"kind": Kind.STATEMENT, "file": SimpleUploadedFile("statement.pdf", EXE)},
        follow=True,
    )
    body = response.content.decode()
    assert "not a type evidence may be" in body and "whatever its name says" in body
    assert not Evidence.objects.exists()


def test_images_and_recordings_are_served_inline_with_their_type_and_nosniff(
    client, complaint, handler
):
    png = _add(complaint, handler, png_bytes(), "screen.png")
    wav = _add(complaint, handler, wav_bytes(), "call.wav", Kind.RECORDING)
    client.force_login(handler)
    for row, mime in ((png, "image/png"), (wav, "audio/wav")):
        response = client.get(reverse("evidence:file", args=[row.pk]))
        assert response["Content-Type"] == mime
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["X-Content-SHA256"] == row.sha256
        assert b"".join(response.streaming_content) == services.read_bytes(row)
    assert "<audio controls" in _page(client, complaint).content.decode()


def test_downloads_are_attachments_under_the_uploaders_name(client, complaint, handler):
    row = _add(complaint, handler, b"date,amount\n", "ledger.csv")
    client.force_login(handler)
    response = client.get(reverse("evidence:file", args=[row.pk]))  # not previewable: saved
    assert response["Content-Disposition"] == 'attachment; filename="ledger.csv"'
    assert response["Content-Type"] == "text/csv"
    download = client.get(reverse("evidence:download", args=[row.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="ledger.csv"'


def test_a_pdf_is_previewed_as_page_images(client, complaint, handler, weasy_pdf):
    row = _add(complaint, handler, weasy_pdf, "statement.pdf", Kind.STATEMENT)
    client.force_login(handler)
    body = _page(client, complaint).content.decode()
    assert reverse("evidence:pdf_page", args=[row.pk, 2]) in body
    assert "statement.pdf, page 2 of 2" in body
    page = client.get(reverse("evidence:pdf_page", args=[row.pk, 1]))
    assert page["Content-Type"] == "image/png" and page.content.startswith(b"\x89PNG")
    assert page["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("evidence:pdf_page", args=[row.pk, 3])).status_code == 404


def test_removing_flashes_and_lists_it_as_removed(client, complaint, handler):
    row = _add(complaint, handler, png_bytes(), "screen.png")
    client.force_login(handler)
    response = client.post(
        reverse("evidence:remove", args=[row.pk]),
        {"reason": "Another customer's screenshot", "expected_version": 1},
        follow=True,
    )
    assert "Removed from the case: screen.png." in response.content.decode()
    assert Evidence.objects.get().state == State.REMOVED


def test_another_firm_gets_404_and_a_reporting_officer_cannot_upload(client, complaint, handler):
    row = _add(complaint, handler, png_bytes(), "screen.png")
    outsider = MembershipFactory(firm=FirmFactory(), role="supervisor").user
    client.force_login(outsider)
    for name in ("evidence:file", "evidence:download"):
        assert client.get(reverse(name, args=[row.pk])).status_code == 404
    upload = client.post(
        reverse("evidence:upload", args=[complaint.pk]),
        {"kind": Kind.SCREENSHOT, "file": SimpleUploadedFile("a.png", png_bytes("blue"))},
    )
    assert upload.status_code == 404
    officer = MembershipFactory(firm=complaint.firm, role="reporting_officer").user
    client.force_login(officer)
    assert client.get(reverse("evidence:download", args=[row.pk])).status_code == 200
    denied = client.post(
        reverse("evidence:upload", args=[complaint.pk]),
        {"kind": Kind.SCREENSHOT, "file": SimpleUploadedFile("a.png", png_bytes("blue"))},
    )
    assert denied.status_code == 403
    assert 'action="' + reverse("evidence:upload", args=[complaint.pk]) not in (
        _page(client, complaint).content.decode()
    )
    assert Evidence.objects.count() == 1


def test_the_panel_reads_in_constant_queries(
    client, complaint, handler, django_assert_max_num_queries
):
    client.force_login(handler)
    _page(client, complaint)  # warm the session and caches
    _add(complaint, handler, png_bytes("red"), "one.png")
    with django_assert_max_num_queries(200) as one:
        _page(client, complaint)
    for i, colour in enumerate(("blue", "green", "white", "black", "yellow")):
        _add(complaint, handler, png_bytes(colour), f"{i}.png")
    _add(complaint, handler, tiny_pdf("Statement"), "s.pdf")
    with django_assert_max_num_queries(len(one.captured_queries)):
        _page(client, complaint)
