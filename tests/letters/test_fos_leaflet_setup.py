"""Keeping the FOS leaflet (DISP 1.6.2R(1)(d), (2)(c)): a firm administrator uploads it on the
firm's set-up page or through the API; the file is judged by its content; the set-up page and
the system check letters.W001 say when a firm has none."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import PermissionDeniedError, ValidationFailed
from letters import leaflets
from letters.errors import LetterErrorCode
from letters.models import FosLeaflet
from tests.factories import FirmFactory, london, tiny_pdf

pytestmark = pytest.mark.django_db

NOW = london(2026, 12, 1, 10)
LEAFLET = tiny_pdf("Leaflet")


def _upload(firm, actor, **overrides):
    values = {
        "file_name": "leaflet.pdf",
        "data": LEAFLET,
        "label": "2026 edition",
        "checked_on": date(2026, 12, 1),
    }
    return leaflets.leaflet_upload(firm_id=firm.pk, actor=actor, now=NOW, **{**values, **overrides})


def _pdf_file(data=LEAFLET, name="leaflet.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"data": b"Not a PDF at all", "file_name": "leaflet.pdf"}, "file", "not a PDF"),
        ({"data": b""}, "file", "empty"),
        ({"data": LEAFLET + b" " * 2000}, "file", "the limit is"),
        ({"checked_on": date(2026, 12, 2)}, "checked_on", "future"),
        ({"checked_on": None}, "checked_on", "Required"),
        ({"label": "  "}, "label", "Required"),
    ],
)
def test_disp_1_6_2r_1_d_leaflet_upload_refuses_bad_input_naming_the_field(
    settings, new_firm, new_firm_admin, overrides, field, reason
):
    """The file is a PDF by its content (%PDF-), not by its name, and within the size limit."""
    settings.LETTERS_FOS_LEAFLET_MAX_BYTES = len(LEAFLET) + 1000
    with pytest.raises(ValidationFailed) as exc:
        _upload(new_firm, new_firm_admin, **overrides)
    assert exc.value.code == LetterErrorCode.FOS_LEAFLET_INVALID
    assert reason in " ".join(exc.value.fields[field])
    assert not FosLeaflet.objects.filter(firm=new_firm).exists()


def test_only_a_firm_administrator_uploads_the_leaflet(new_firm, new_firm_owner):
    with pytest.raises(PermissionDeniedError):
        _upload(new_firm, new_firm_owner)


def test_uploads_are_versioned_and_stored_through_the_storage_api(new_firm, new_firm_admin):
    first = _upload(new_firm, new_firm_admin)
    second = _upload(new_firm, new_firm_admin, data=tiny_pdf("Second"), label="2027 edition")
    assert (first.version, second.version) == (1, 2)
    assert FosLeaflet.objects.current_for(new_firm.pk) == second
    assert first.read() == LEAFLET and first.file.storage.exists(first.file.name)
    assert second.uploaded_by == new_firm_admin and second.size == len(second.read())
    assert second.describe() == "FOS leaflet v2 (2027 edition), checked Tue 1 Dec 2026"


def test_disp_1_6_2r_1_d_system_check_names_firms_without_a_leaflet(new_firm, new_firm_admin):
    """letters.W001 (run by migrate and ``manage.py check --database default``)."""

    def warnings():
        found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        return [w for w in found if w.id == "letters.W001"]

    (warning,) = warnings()
    assert "Fresh Start Crypto Ltd" in warning.msg
    assert isinstance(warning, checks.Warning)
    # A plain ``check`` (no database named) does not query the database.
    assert all(w.id != "letters.W001" for w in checks.run_checks())
    _upload(new_firm, new_firm_admin)
    assert all("Fresh Start Crypto Ltd" not in w.msg for w in warnings())


def test_disp_1_6_2r_1_d_set_up_page_shows_the_leaflet_missing_then_uploaded(
    client, new_firm, new_firm_admin, new_firm_owner
):
    client.force_login(new_firm_admin)
    templates = client.get("/letters/templates/").content.decode()
    assert 'id="leaflet-missing"' in templates and "Upload the leaflet" in templates
    page = client.get("/letters/fos-leaflet/")
    assert page.status_code == 200 and "Missing: no FOS leaflet is on file" in page.content.decode()

    bad = client.post(
        "/letters/fos-leaflet/",
        {"file": _pdf_file(b"GIF89a", "x.pdf"), "label": "2026", "checked_on": "2026-12-01"},
    )
    assert bad.status_code == 400
    assert "This is not a PDF file" in bad.content.decode()

    done = client.post(
        "/letters/fos-leaflet/",
        {"file": _pdf_file(), "label": "2026 edition", "checked_on": "2026-11-30"},
    )
    assert done.status_code == 302
    page = client.get("/letters/fos-leaflet/").content.decode()
    assert "FOS leaflet v1 (2026 edition), checked Mon 30 Nov 2026" in page
    assert "leaflet-missing" not in client.get("/letters/templates/").content.decode()
    pdf = client.get("/letters/fos-leaflet/v1/")
    assert pdf.status_code == 200 and pdf.content == LEAFLET

    client.force_login(new_firm_owner)  # a handler reads the versions but cannot upload
    assert client.get("/letters/fos-leaflet/").status_code == 200
    refused = client.post(
        "/letters/fos-leaflet/",
        {"file": _pdf_file(), "label": "x", "checked_on": "2026-11-30"},
    )
    assert refused.status_code == 403


def test_api_uploads_and_lists_leaflet_versions(client, new_firm, new_firm_admin, new_firm_owner):
    url = f"/api/firms/{new_firm.pk}/fos-leaflets/"
    client.force_login(new_firm_owner)
    assert client.get(url).json() == []
    denied = client.post(url, {"file": _pdf_file(), "label": "x", "checked_on": "2026-12-01"})
    assert denied.status_code == 403

    client.force_login(new_firm_admin)
    bad = client.post(
        url, {"file": _pdf_file(b"PK\x03\x04"), "label": "x", "checked_on": "2026-12-01"}
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == LetterErrorCode.FOS_LEAFLET_INVALID
    assert "file" in bad.json()["fields"]
    made = client.post(
        url, {"file": _pdf_file(), "label": "2026 edition", "checked_on": "2026-12-01"}
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["version"], body["size"], body["uploaded_by"]) == (
        1,
        len(LEAFLET),
        new_firm_admin.username,
    )
    assert [v["version"] for v in client.get(url).json()] == [1]
    other = FirmFactory()
    assert client.get(f"/api/firms/{other.pk}/fos-leaflets/").status_code == 404


def test_disp_1_6_2r_1_d_letter_page_refuses_sending_and_says_to_upload_the_leaflet(
    client, new_firm, new_firm_owner
):
    from complaints import services
    from complaints.choices import Outcome
    from letters.choices import LetterType
    from letters.services import letter_create_draft
    from tests.factories import make_complaint

    from .scenarios import REASONS

    c = make_complaint(firm=new_firm, received_at=london(2026, 11, 2, 9), actor=new_firm_owner)
    services.complaint_acknowledge(complaint_id=c.pk, actor=new_firm_owner, now=NOW, method="post")
    services.complaint_start_investigation(complaint_id=c.pk, actor=new_firm_owner, now=NOW)
    draft = letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=new_firm_owner,
        now=NOW,
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )
    client.force_login(new_firm_owner)
    page = client.get(f"/letters/{draft.pk}/").content.decode()
    assert "no FOS leaflet is on file" in page  # the failing check says what to do
    refused = client.post(f"/letters/{draft.pk}/send/", {"delivery": "post"})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "uploads the FOS&#x27;s current leaflet" in text and "DISP 1.6.2R(1)(d)" in text


def test_disp_1_6_2r_1_d_template_preview_checks_the_firms_leaflet(
    client, new_firm, new_firm_admin
):
    """The editor's preview runs the fos_leaflet check against the firm's leaflet on file."""
    from letters import defaults

    def preview():
        return client.post(
            "/letters/templates/final_rejected/preview/",
            {
                "subject": defaults.SUBJECTS["final_rejected"],
                "body": defaults.BODIES["final_rejected"],
                "fos_available": "on",
                "outcome_code": "not_upheld",
            },
            HTTP_HX_REQUEST="true",
        ).content.decode()

    client.force_login(new_firm_admin)
    assert "no FOS leaflet is on file" in preview()
    _upload(new_firm, new_firm_admin)
    assert "no FOS leaflet is on file" not in preview()
