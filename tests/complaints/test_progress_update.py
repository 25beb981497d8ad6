"""The progress update (DISP 1.6.1R(2)): keeping the complainant informed before the final
response, with no referral wording (the Ombudsman may consider the complaint only once eight
weeks have passed, DISP 2.8.1R(2)). A checked letter recorded as a communication; the complaint's
state and deadlines do not change. Worked example E16: received Mon 13 Apr 2026."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from common.errors import TransitionRefused, ValidationFailed
from complaints import services
from complaints.choices import CommunicationKind, Status
from complaints.errors import ErrorCode
from complaints.models import Complaint
from letters import defaults
from letters.checks.text import FOS_REFERRAL, MAY_NOW_REFER, has, html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_template_save
from tests.api.conftest import client_for
from tests.confirming import confirm_letters
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

E16_RECEIVED = london(2026, 4, 13, 10)
DAY_10 = london(2026, 4, 23, 11)
PROGRESS = "We have asked the custodian for its transaction report and expect it next week."


@pytest.fixture
def investigating(firm, handler):
    c = make_complaint(firm=firm, received_at=E16_RECEIVED, actor=handler, owner_id=handler.pk)
    at = london(2026, 4, 14, 9)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=at)
    return services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=at)


def _deadlines(c):
    return (c.final_response_due, c.fos_referral_open_from, c.fos_six_month_deadline, c.outcome)


def test_disp_1_6_1R_2_progress_update_is_recorded_and_changes_no_state(investigating, handler):
    """DISP 1.6.1R(2): a progress update on day 10 is sent as a checked letter and recorded as a
    communication; the status, outcome and every DISP date stay as they were."""
    before = Complaint.objects.get(pk=investigating.pk)
    after = services.complaint_send_progress_update(
        complaint_id=investigating.pk,
        actor=handler,
        now=DAY_10,
        progress=PROGRESS,
        expected_final_response_on=date(2026, 5, 29),
    )
    assert after.status == Status.INVESTIGATING
    assert _deadlines(after) == _deadlines(before)
    assert after.holding_response_sent_at is None
    assert after.version == before.version + 1
    comm = after.communications.get(kind=CommunicationKind.PROGRESS_UPDATE)
    assert comm.includes_fos_referral_right is False
    assert comm.summary == PROGRESS
    letter = Letter.objects.get(complaint=after, letter_type=LetterType.PROGRESS_UPDATE)
    assert letter.status == LetterStatus.SENT
    assert letter.communication_id == comm.pk
    text = normalise(html_to_text(letter.html))
    assert normalise(PROGRESS) in text
    assert "fri 29 may 2026" in text
    assert not has(FOS_REFERRAL, text) and not has(MAY_NOW_REFER, text)
    assert all(c["passed"] for c in letter.check_results)
    assert after.history.first().history_change_reason == "complaint.progress_update"


def test_disp_1_6_1R_2_progress_update_after_a_holding_response_keeps_the_state(
    investigating, handler
):
    services.complaint_send_holding_response(
        complaint_id=investigating.pk,
        actor=handler,
        now=london(2026, 6, 9, 9),
        reasons="Waiting for the custodian.",
        expected_final_response_on=date(2026, 6, 30),
    )
    after = services.complaint_send_progress_update(
        complaint_id=investigating.pk, actor=handler, now=london(2026, 6, 20, 9), progress=PROGRESS
    )
    assert after.status == Status.HOLDING_RESPONSE_SENT
    assert after.expected_final_response_on == date(2026, 6, 30)


def test_disp_1_6_1R_2_progress_update_needs_the_progress(investigating, handler):
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_send_progress_update(
            complaint_id=investigating.pk, actor=handler, now=DAY_10, progress="  "
        )
    assert exc.value.fields == {"progress": ["Required."]}
    assert exc.value.rule == "DISP 1.6.1R(2)"
    assert not investigating.communications.filter(kind="progress_update").exists()


@pytest.mark.parametrize(
    "wording",
    [
        "You may now refer your complaint to the Financial Ombudsman Service.",
        "If you are unhappy you can now take it to the ombudsman.",
        defaults.ANNEX_3R_NO_CONSENT,
    ],
)
def test_disp_2_8_1R_2_progress_update_with_referral_wording_is_refused(
    investigating, handler, firm, wording
):
    """DISP 2.8.1R(2) / DISP 1.6.2R(2)(b): a progress update that tells the complainant they may
    refer now (before eight weeks) is refused by its content checks; nothing is recorded."""
    admin = MembershipFactory(firm=firm, role="admin").user
    subject, body = defaults.default_template(LetterType.PROGRESS_UPDATE)
    letter_template_save(
        firm_id=firm.pk,
        letter_type=LetterType.PROGRESS_UPDATE,
        actor=admin,
        now=DAY_10,
        subject=subject,
        body=body + "\n\n" + wording,
    )
    before = Complaint.objects.get(pk=investigating.pk)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_progress_update(
            complaint_id=investigating.pk, actor=handler, now=DAY_10, progress=PROGRESS
        )
    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    failed = {c["key"] for c in exc.value.extra["failed_checks"]}
    # Its own check, and (for "now" wording) the one every letter shares: on day 10 the
    # Ombudsman cannot yet consider the complaint (DISP 2.8.1R).
    assert "no_referral_wording" in failed
    assert failed <= {"no_referral_wording", "no_referral_now"}
    assert "DISP 2.8.1R(2)" in exc.value.rule
    after = Complaint.objects.get(pk=investigating.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert not after.communications.filter(kind="progress_update").exists()
    assert not Letter.objects.filter(complaint=after, letter_type="progress_update").exists()


def test_disp_1_6_1R_2_api_progress_update(investigating, handler):
    api = client_for(handler)
    path = reverse("api-complaint-progress-update", args=[investigating.pk])
    with time_machine.travel(DAY_10, tick=False):
        missing = api.post(path, {}, format="json")
        assert missing.status_code == 400
        assert "progress" in missing.json()["fields"]
        response = api.post(path, {"progress": PROGRESS}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "investigating"
    assert investigating.communications.filter(kind="progress_update").count() == 1


def test_disp_1_6_1R_2_progress_update_from_the_page(client, investigating, handler):
    client.force_login(handler)
    with time_machine.travel(DAY_10, tick=False):
        page = client.get(reverse("complaints:detail", args=[investigating.pk]))
        action = next(a for a in page.context["actions"] if a.spec.name == "send_progress_update")
        assert action.enabled
        response = confirm_letters(
            client,
            reverse("complaints:act", args=[investigating.pk, "send_progress_update"]),
            {"expected_version": investigating.version, "method": "email", "progress": PROGRESS},
        )
    assert response.status_code == 302
    c = Complaint.objects.get(pk=investigating.pk)
    assert c.status == Status.INVESTIGATING
    assert c.communications.filter(kind="progress_update").count() == 1


def test_a_progress_update_is_not_for_feedback(firm, handler):
    c = make_complaint(
        firm=firm, received_at=E16_RECEIVED, actor=handler, alleged_financial_loss=False
    )
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=DAY_10)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_progress_update(
            complaint_id=c.pk, actor=handler, now=DAY_10, progress=PROGRESS
        )
    assert exc.value.code == ErrorCode.NOT_A_COMPLAINT
