"""Audit pages, CSV and PDF exports, and history read-only through the admin."""

import csv
import io

import pytest
import time_machine
from django.contrib import admin
from pypdf import PdfReader

from audit.views import audit_panel_context
from common.admin_mixins import ReadOnlyHistoryAdmin
from complaints import services
from complaints.models import Complaint
from letters.choices import LetterType
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(firm, handler, supervisor):
    with time_machine.travel(london(2026, 4, 6, 10), tick=False):
        c = make_complaint(firm=firm, received_at=london(2026, 4, 6, 9), actor=handler)
    with time_machine.travel(london(2026, 4, 7, 11), tick=False):
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=london(2026, 4, 7, 11))
    with time_machine.travel(london(2026, 4, 8, 12), tick=False):
        services.complaint_add_note(
            complaint_id=c.pk,
            actor=supervisor,
            now=london(2026, 4, 8, 12),
            body='=HYPERLINK("http://evil") ' + "long " * 400,
        )
    return Complaint.objects.get(pk=c.pk)


def test_supervisor_reviews_a_complaints_timeline_with_filters(client, supervisor, complaint):
    client.force_login(supervisor)
    page = client.get(f"/audit/complaints/{complaint.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Audit trail: {complaint.reference}" in html
    assert "Acknowledgement sent by" in html and "Received" in html and "Acknowledged" in html
    assert "complaint.acknowledge" not in html  # the use case in words, never its code
    assert "Full text" in html  # the long note is truncated with the full text on demand

    filtered = client.get(
        f"/audit/complaints/{complaint.pk}/", {"kind": "complaints.note", "actor": supervisor.pk}
    )
    body = filtered.content.decode()
    assert "1 entry" in body and "Internal note added by" in body and "Complaint logged" not in body
    # Export links carry the filters.
    assert "audit.csv?kind=complaints.note" in body

    bad = client.get(
        f"/audit/complaints/{complaint.pk}/", {"date_from": "2026-04-09", "date_to": "2026-04-01"}
    )
    assert "must not be before its start" in bad.content.decode()


def test_handlers_and_reporting_officers_cannot_review_the_audit(client, firm, complaint):
    for role in ("handler", "reporting_officer"):
        client.force_login(MembershipFactory(firm=firm, role=role).user)
        assert client.get(f"/audit/complaints/{complaint.pk}/").status_code == 403
        assert client.get(f"/audit/complaints/{complaint.pk}/audit.csv").status_code == 403
    client.force_login(MembershipFactory(firm=firm, role="admin").user)
    assert client.get(f"/audit/complaints/{complaint.pk}/").status_code == 200


def test_audit_pages_are_read_only(client, supervisor, complaint):
    client.force_login(supervisor)
    for url in (f"/audit/complaints/{complaint.pk}/", "/audit/", f"/audit/users/{supervisor.pk}/"):
        assert client.post(url).status_code == 405


def test_csv_export_has_one_row_per_field_change_and_neutralises_formulas(
    client, supervisor, handler, complaint
):
    client.force_login(supervisor)
    response = client.get(f"/audit/complaints/{complaint.pk}/audit.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="audit-{complaint.reference}-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    status = [r for r in rows if r["Field"] == "Status"]
    handler_name = handler.get_full_name()
    acknowledgement = LetterType.ACKNOWLEDGEMENT.label
    assert [(r["What happened"], r["Before"], r["After"]) for r in status] == [
        (
            f"Complaint logged by {handler_name}, received Mon 6 Apr 2026, 09:00 by email",
            "",
            "Received",
        ),
        (f"Acknowledgement sent by {handler_name}", "Received", "Acknowledged"),
        # The acknowledgement letter's own status, in the same trail.
        (f"Letter drafted by {handler_name}, {acknowledgement}", "", "Draft"),
        (
            f"Letter sent by {handler_name}, {acknowledgement}, delivery: Email (PDF attached)",
            "Draft",
            "Sent",
        ),
    ]
    body = next(r for r in rows if r["Field"] == "Body")
    assert body["After"].startswith("'=HYPERLINK")  # CSV injection neutralised
    assert len(body["After"]) > 1900  # full text, not the on-screen excerpt
    assert {r["Who"] for r in rows} == {supervisor.get_full_name(), handler.get_full_name()}


def test_pdf_export_for_an_auditor(client, supervisor, complaint):
    client.force_login(supervisor)
    response = client.get(f"/audit/complaints/{complaint.pk}/audit.pdf", {"kind": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Audit trail of complaint {complaint.reference}" in text
    assert complaint.firm.name in text
    assert f"by {supervisor.get_full_name()}" in text
    assert "Generated at" in text
    assert "Acknowledgement sent by" in text and "Acknowledged" in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_user_activity_page(client, firm, firm_b, supervisor, handler, complaint):
    client.force_login(supervisor)
    page = client.get(
        f"/audit/users/{handler.pk}/", {"date_from": "2026-04-01", "date_to": "2026-04-30"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Complaint logged by" in html and complaint.reference in html
    assert "Internal note added" not in html  # the supervisor wrote the note, not the handler
    backwards = client.get(
        f"/audit/users/{handler.pk}/", {"date_from": "2026-04-09", "date_to": "2026-04-01"}
    )
    assert "must not be before its start" in backwards.content.decode()
    outsider = MembershipFactory(firm=firm_b, role="handler").user
    assert client.get(f"/audit/users/{outsider.pk}/").status_code == 404


def test_index_finds_a_complaint_by_reference(client, supervisor, complaint):
    client.force_login(supervisor)
    found = client.get("/audit/", {"reference": complaint.reference.lower()})
    assert found.status_code == 302 and found["Location"] == f"/audit/complaints/{complaint.pk}/"
    assert (
        "No complaint with reference"
        in client.get("/audit/", {"reference": "NOPE-1"}).content.decode()
    )


def test_complaint_page_panel_links_to_the_audit_for_reviewers_only(
    rf, supervisor, handler, complaint
):
    request = rf.get("/")
    request.user = supervisor
    assert audit_panel_context(request, complaint) == {
        "audit_url": f"/audit/complaints/{complaint.pk}/"
    }
    request.user = handler
    assert audit_panel_context(request, complaint) is None


def test_history_is_read_only_in_the_admin(admin_client, complaint, settings):
    """No historical model is registered; every history admin is read-only; revert disabled."""
    from simple_history.models import HistoricalChanges

    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert not getattr(settings, "SIMPLE_HISTORY_EDIT", False)
    for model, model_admin in admin.site._registry.items():
        assert not issubclass(model, HistoricalChanges), model
        if hasattr(model, "history"):
            assert isinstance(model_admin, ReadOnlyHistoryAdmin), model
    history = complaint.history.earliest()
    url = f"/admin/complaints/complaint/{complaint.pk}/history/{history.history_id}/"
    page = admin_client.get(url)
    assert page.status_code == 200 and b"Revert" not in page.content
    # Posting the history form (a revert) is refused and changes nothing.
    admin_client.post(url, {"description": "reverted"})
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged" and complaint.description != "reverted"
