"""DISP 2.8.2R(5) consent to waive the time limits, and DISP 2.8.2AR: it cannot be withdrawn."""

from datetime import date

import pytest

from common.errors import TransitionRefused, ValidationFailed
from complaints import services as complaint_services
from complaints.models import Complaint
from fos import services
from fos.errors import FosErrorCode
from tests.factories import london
from tests.fos.helpers import at, log, responded_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    # Final response sent 21 Nov 2027: last in-time day 21 May 2028.
    return log(c, handler, referred_on=date(2028, 6, 1))


def _lines(referral):
    return {line["key"]: line["result"] for line in referral.checklist}


def test_disp_2_8_2r_5_consent_lets_the_fos_consider_a_late_complaint(late_referral, handler):
    assert _lines(late_referral)["six_months"] == "fail"
    assert _lines(late_referral)["consent"] == "fail"
    referral = services.referral_record_time_limit_consent(
        referral_id=late_referral.pk, actor=handler, now=at(date(2028, 6, 3)), consents=True
    )
    assert _lines(referral)["six_months"] == "pass"
    assert _lines(referral)["consent"] == "pass"
    assert referral.jurisdiction_result == "pass"
    assert referral.time_limit_consent_on == date(2028, 6, 3)
    complaint = Complaint.objects.get(pk=referral.complaint_id)
    assert complaint.consents_to_waive_time_limits
    h = complaint.history.first()
    assert (h.history_change_reason, h.history_user) == (
        "fos.consent_to_waive_time_limits",
        handler,
    )


def test_disp_2_8_2ar_consent_cannot_be_withdrawn(late_referral, handler):
    services.referral_record_time_limit_consent(
        referral_id=late_referral.pk, actor=handler, now=at(date(2028, 6, 3)), consents=True
    )
    with pytest.raises(TransitionRefused) as exc:
        services.referral_record_time_limit_consent(
            referral_id=late_referral.pk, actor=handler, now=at(date(2028, 6, 4)), consents=False
        )
    assert exc.value.code == FosErrorCode.CONSENT_IRREVOCABLE
    assert exc.value.rule == "DISP 2.8.2AR"
    assert Complaint.objects.get(pk=late_referral.complaint_id).consents_to_waive_time_limits
    # Recomputing the checklist, or a later response without a waiver, keeps the consent.
    services.referral_recompute_checklist(
        referral_id=late_referral.pk, actor=handler, now=at(date(2028, 6, 5))
    )
    complaint_services.complaint_reopen(
        complaint_id=late_referral.complaint_id,
        actor=handler,
        now=at(date(2028, 6, 5)),
        reason="FOS asked us to look again",
    )
    complaint_services.complaint_send_final_response(
        complaint_id=late_referral.complaint_id,
        actor=handler,
        now=at(date(2028, 6, 6)),
        outcome="not_upheld",
        consents_to_waive=False,
    )
    assert Complaint.objects.get(pk=late_referral.complaint_id).consents_to_waive_time_limits
    # And no service in the FOS app can clear it.
    assert not [name for name in dir(services) if "withdraw" in name and "consent" in name]


def test_consents_false_without_consent_records_nothing(late_referral, handler):
    with pytest.raises(ValidationFailed) as exc:
        services.referral_record_time_limit_consent(
            referral_id=late_referral.pk, actor=handler, now=at(date(2028, 6, 3)), consents=False
        )
    assert "consents" in exc.value.fields
    assert not Complaint.objects.get(pk=late_referral.complaint_id).consents_to_waive_time_limits


def test_waiver_in_the_final_response_counts_as_consent(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    complaint_services.complaint_reopen(
        complaint_id=c.pk, actor=handler, now=at(date(2027, 11, 25)), reason="More evidence"
    )
    complaint_services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=handler,
        now=at(date(2027, 11, 26)),
        outcome="not_upheld",
        consents_to_waive=True,
    )
    referral = log(c, handler, referred_on=date(2028, 6, 1))
    assert _lines(referral)["consent"] == "pass"
