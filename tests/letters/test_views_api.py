"""The letters workspace, letter page, template editor, complaint panel and API."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from complaints import services
from complaints.choices import Status
from complaints.panels import complaint_panels
from letters.choices import LetterStatus, LetterType
from letters.models import Letter, LetterTemplateVersion
from letters.services import letter_create_draft
from tests.confirming import confirm_letters
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=NOW, actor=handler)


@pytest.fixture
def other_firm_letter():
    other = FirmFactory()
    user = MembershipFactory(firm=other).user
    c = make_complaint(firm=other, received_at=NOW, actor=user)
    services.complaint_acknowledge(complaint_id=c.pk, actor=user, now=NOW)
    return Letter.objects.get(complaint=c)


def test_workspace_lists_letters_and_drafts_a_letter(client, handler, complaint):
    client.force_login(handler)
    url = reverse("letters:workspace", args=[complaint.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Draft a letter" in page.content.decode()
    response = client.post(
        reverse("letters:draft_create", args=[complaint.pk]),
        {"letter_type": LetterType.ACKNOWLEDGEMENT},
    )
    letter = Letter.objects.get(complaint=complaint)
    assert response.status_code == 302
    assert response.url == reverse("letters:letter", args=[letter.pk])
    page = client.get(response.url).content.decode()
    assert "Mandatory content" in page and "Send letter" in page


def test_workspace_shows_field_errors_and_saves_nothing(client, handler, complaint):
    client.force_login(handler)
    response = client.post(
        reverse("letters:draft_create", args=[complaint.pk]),
        {"letter_type": LetterType.FINAL_REJECTED, "outcome": "not_upheld", "reasons": ""},
    )
    assert response.status_code == 400
    assert "Give the reasons" in response.content.decode()
    assert not Letter.objects.exists()


def test_send_from_the_letter_page_moves_the_complaint(client, handler, complaint):
    client.force_login(handler)
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    url = reverse("letters:action", args=[draft.pk, "send"])
    response = confirm_letters(client, url, {"delivery": "post"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED
    pdf = client.get(reverse("letters:pdf", args=[draft.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        "We have received your complaint"
        in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    )


def test_refusal_is_shown_with_its_rule(client, handler, complaint, firm, admin_user):
    from letters.services import approval_policy_set

    approval_policy_set(
        firm_id=firm.pk, letter_type="acknowledgement", required=True, actor=admin_user, now=NOW
    )
    client.force_login(handler)
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    response = client.post(
        reverse("letters:action", args=[draft.pk, "send"]), {"delivery": "email"}, follow=False
    )
    assert response.status_code == 409
    assert "second person" in response.content.decode()


def test_another_firms_letter_is_a_404(client, handler, other_firm_letter):
    client.force_login(handler)
    for name in ("letters:letter", "letters:preview", "letters:pdf"):
        assert client.get(reverse(name, args=[other_firm_letter.pk])).status_code == 404
    assert (
        client.get(reverse("letters:workspace", args=[other_firm_letter.complaint_id])).status_code
        == 404
    )
    assert client.get(f"/api/letters/{other_firm_letter.pk}/").status_code == 404
    assert client.get(f"/api/letters/{other_firm_letter.pk}/pdf/").status_code == 404


def test_draft_preview_is_marked_draft_and_framable(client, handler, complaint):
    client.force_login(handler)
    draft = letter_create_draft(
        complaint_id=complaint.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    response = client.get(reverse("letters:preview", args=[draft.pk]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "DRAFT" in response.content.decode()


def test_template_editor_saves_a_version_and_previews_live(client, firm, admin_user, handler):
    client.force_login(admin_user)
    listing = client.get(reverse("letters:templates"))
    assert listing.status_code == 200 and "System default" in listing.content.decode()
    url = reverse("letters:template_edit", args=["acknowledgement"])
    page = client.get(url)
    assert page.status_code == 200 and "Live preview" in page.content.decode()
    preview = client.post(
        reverse("letters:template_preview", args=["acknowledgement"]),
        {"subject": "Hi", "body": "Dear {{ complainant_name }}", "fos_available": "on"},
        HTTP_HX_REQUEST="true",
    )
    body = preview.content.decode()
    assert "Jo Sample" in body
    assert (
        "Summary of the firm&#x27;s complaints procedure" in body or "complaints procedure" in body
    )
    assert 'class="fail"' in body
    response = client.post(
        url,
        {"subject": "Hi {{ reference }}", "body": "Dear {{ complainant_name }}", "note": "short"},
    )
    assert response.status_code == 302
    version = LetterTemplateVersion.objects.get(template__firm=firm)
    assert (version.number, version.note, version.created_by) == (1, "short", admin_user)
    client.force_login(handler)
    assert client.post(url, {"subject": "x", "body": "y"}).status_code == 403


def test_approval_policy_toggle(client, firm, admin_user):
    from letters.models import ApprovalPolicy

    client.force_login(admin_user)
    client.post(
        reverse("letters:approval_policy", args=["final_rejected"]), {"requires_approval": "on"}
    )
    assert ApprovalPolicy.objects.get(firm=firm, letter_type="final_rejected").requires_approval


def test_complaint_panel_lists_the_letters(rf, handler, complaint):
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    request = rf.get("/")
    request.user = handler
    panels = dict((p.key, (p, ctx)) for p, ctx in complaint_panels(request, complaint))
    panel, ctx = panels["letters"]
    from django.template.loader import render_to_string

    html = render_to_string(panel.template, ctx)
    assert "Acknowledgement" in html and "Open the letters workspace" in html


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_a_complaints_letters_in_constant_queries(
    client, handler, complaint, django_assert_max_num_queries
):
    client.force_login(handler)
    for _ in range(3):
        letter_create_draft(
            complaint_id=complaint.pk,
            letter_type=LetterType.ACKNOWLEDGEMENT,
            actor=handler,
            now=NOW,
        )
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/complaints/{complaint.pk}/letters/")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_api_draft_approve_send_and_pdf(client, firm, handler, approver, complaint, admin_user):
    from letters.services import approval_policy_set

    approval_policy_set(
        firm_id=firm.pk, letter_type="acknowledgement", required=True, actor=admin_user, now=NOW
    )
    client.force_login(handler)
    created = client.post(
        f"/api/complaints/{complaint.pk}/letters/",
        {"letter_type": "acknowledgement"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    letter_id = created.json()["id"]
    assert all(c["passed"] for c in created.json()["checks"])
    refused = client.post(f"/api/letters/{letter_id}/send/", {}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "approval_required"
    assert client.post(f"/api/letters/{letter_id}/approve/").status_code == 403
    preview = client.get(f"/api/letters/{letter_id}/preview/")
    assert "We have received your complaint" in preview.json()["html"]
    client.force_login(approver)
    approved = client.post(f"/api/letters/{letter_id}/approve/", {"note": "Fine"})
    assert approved.json()["status"] == LetterStatus.APPROVED
    client.force_login(handler)
    sent = client.post(
        f"/api/letters/{letter_id}/send/", {"delivery": "post"}, content_type="application/json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    pdf = client.get(f"/api/letters/{letter_id}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-SHA256"] == sent.json()["pdf_sha256"]


def test_api_bad_draft_names_the_field(client, handler, complaint):
    client.force_login(handler)
    response = client.post(
        f"/api/complaints/{complaint.pk}/letters/",
        {"letter_type": "holding_response", "reasons": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert {"reasons", "expected_final_response_on"} <= set(body["fields"])


def test_letters_workspace_issues_the_same_queries_at_2_and_6_letters(client, handler, complaint):
    """Issue 18: every page that lists rows is guarded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def drafts(n):
        for _ in range(n):
            letter_create_draft(
                complaint_id=complaint.pk,
                letter_type=LetterType.ACKNOWLEDGEMENT,
                actor=handler,
                now=NOW,
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("letters:workspace", args=[complaint.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    client.force_login(handler)
    drafts(2)
    client.get(reverse("letters:workspace", args=[complaint.pk]))  # warm the session
    small = queries()
    drafts(4)
    assert queries() == small
