"""/api/complaints/{id}/evidence/: list, upload (multipart) and links (JSON), refusals with a
code and the field, download with the detected type and SHA-256, firm isolation."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from evidence import services
from evidence.choices import Kind
from tests.evidence.conftest import HTML, NOW, png_bytes
from tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(handler):
    client = APIClient()
    client.force_authenticate(handler)
    return client


def _url(complaint, *rest) -> str:
    return f"/api/complaints/{complaint.pk}/evidence/" + "".join(f"{r}/" for r in rest)


def test_upload_list_and_download(api, complaint, handler):
    data = png_bytes()
    created = api.post(
        _url(complaint),
        {"kind": "screenshot", "title": "Wallet", "file": SimpleUploadedFile("w.png", data)},
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["content_type"], body["size"], body["uploaded_by"]) == (
        "image/png",
        len(data),
        handler.get_full_name(),
    )
    listed = api.get(_url(complaint)).json()
    assert [e["id"] for e in listed] == [body["id"]]
    download = api.get(body["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["X-Content-SHA256"] == body["sha256"]
    assert download["Content-Disposition"] == 'attachment; filename="w.png"'
    assert b"".join(download.streaming_content) == data


def test_a_link_by_json_and_refusals_name_code_and_field(api, complaint):
    link = api.post(
        _url(complaint),
        {"kind": "chain_explorer_link", "url": "https://mempool.space/tx/ab12"},
        format="json",
    )
    assert link.status_code == 201 and link.json()["download"] is None
    bad = api.post(
        _url(complaint), {"kind": "chain_explorer_link", "url": "http://x.test"}, format="json"
    )
    assert bad.status_code == 400
    assert (bad.json()["code"], list(bad.json()["fields"])) == ("evidence_url_invalid", ["url"])
    disguised = api.post(
        _url(complaint),
        {"kind": "statement", "file": SimpleUploadedFile("statement.pdf", HTML)},
        format="multipart",
    )
    assert disguised.status_code == 400
    assert disguised.json()["code"] == "evidence_type_not_allowed"
    assert list(disguised.json()["fields"]) == ["file"]
    # A link has no bytes to download.
    assert api.get(_url(complaint, link.json()["id"], "download")).status_code == 404


def test_another_firms_complaint_and_evidence_are_404(complaint, handler):
    row = services.evidence_add(
        complaint,
        user=handler,
        kind=Kind.SCREENSHOT,
        title="",
        content=png_bytes(),
        file_name="a.png",
        now=NOW,
    )
    outsider = APIClient()
    outsider.force_authenticate(MembershipFactory(firm=FirmFactory(), role="handler").user)
    assert outsider.get(_url(complaint)).status_code == 404
    assert outsider.get(_url(complaint, row.pk, "download")).status_code == 404
    upload = outsider.post(
        _url(complaint),
        {"kind": "screenshot", "file": SimpleUploadedFile("b.png", png_bytes("blue"))},
        format="multipart",
    )
    assert upload.status_code == 404
    # Evidence of one complaint is not reachable through another complaint of the same firm.
    from tests.evidence.conftest import RECEIVED
    from tests.factories import make_complaint

    other = make_complaint(firm=complaint.firm, received_at=RECEIVED, actor=handler)
    insider = APIClient()
    insider.force_authenticate(handler)
    assert insider.get(_url(other, row.pk, "download")).status_code == 404


def test_the_list_reads_in_constant_queries(api, complaint, handler, django_assert_max_num_queries):
    def add(colour):
        services.evidence_add(
            complaint,
            user=handler,
            kind=Kind.SCREENSHOT,
            title=colour,
            content=png_bytes(colour),
            file_name=f"{colour}.png",
            now=NOW,
        )

    add("red")
    with django_assert_max_num_queries(50) as one:
        api.get(_url(complaint))
    for colour in ("blue", "green", "white", "black"):
        add(colour)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(_url(complaint)).json()) == 5
