"""The register import judges rows in memory (intake/services/plan.py), not through the
services: for each rule it applies there, the lifecycle service refuses the facts and the import
refuses the same facts, on the column of the refused step, with the service's message and rule.
And a good row ends as the services would have left it."""

from datetime import date

import pytest

from common.errors import DomainError
from complaints import services
from complaints.models import Complaint
from intake.services import import_commit
from tests.factories import london, make_complaint

from .test_register_import import NOW, preview, row

pytestmark = pytest.mark.django_db
RECEIVED = london(2026, 4, 2, 16)
ACK = london(2026, 4, 3, 9)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def refused(call, **kwargs) -> str:
    """What the service says when it refuses: "<message> (<rule>)", as the import reports it."""
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return f"{caught.value.message} ({caught.value.rule})"


def import_refusal(firm, handler, **cells) -> dict[str, list[str]]:
    result = preview(firm, handler, [row("X-1", **cells)]).results[0]
    assert result["outcome"] == "error", result
    return result["errors"]


def acknowledged(firm, handler, **kwargs) -> Complaint:
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, **kwargs)
    return services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=ACK, sent_at=ACK)


def test_disp_1_5_1r_src_after_the_third_business_day_is_refused(firm, handler):
    late = london(2026, 4, 10, 10)
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    message = refused(
        services.complaint_resolve_summary,
        complaint_id=c.pk,
        actor=handler,
        now=late,
        sent_at=late,
        outcome="upheld",
    )
    assert "(DISP 1.5.1R)" in message
    errors = import_refusal(
        firm, handler, status="resolved_summary", src_sent_at="2026-04-10 10:00", outcome="upheld"
    )
    assert errors == {"src_sent_at": [message]}


def test_disp_1_6_2r_2_b_holding_response_before_eight_weeks_is_refused(firm, handler):
    early = london(2026, 4, 20, 12)
    c = acknowledged(firm, handler)
    services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=ACK)
    message = refused(
        services.complaint_send_holding_response,
        complaint_id=c.pk,
        actor=handler,
        now=early,
        sent_at=early,
        reasons="Waiting for the custodian.",
    )
    assert "DISP 2.8.1R(2)" in message
    errors = import_refusal(
        firm,
        handler,
        status="holding_response_sent",
        acknowledged_at="2026-04-03 09:00",
        holding_response_sent_at="2026-04-20",
    )
    assert errors == {"holding_response_sent_at": [message]}


def test_disp_1_6_2ar_2_psd_holding_response_after_15_business_days_is_refused(firm, handler):
    late = london(2026, 5, 20, 12)
    c = acknowledged(firm, handler, regime="psd_emd")
    services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=ACK)
    message = refused(
        services.complaint_send_holding_response,
        complaint_id=c.pk,
        actor=handler,
        now=late,
        sent_at=late,
        reasons="Waiting for the custodian.",
    )
    assert "(DISP 1.6.2AR(2))" in message
    errors = import_refusal(
        firm,
        handler,
        status="holding_response_sent",
        regime="psd_emd",
        acknowledged_at="2026-04-03 09:00",
        holding_response_sent_at="2026-05-20",
    )
    assert errors == {"holding_response_sent_at": [message]}


def test_disp_1_8_a_complaint_in_time_cannot_be_rejected_as_time_barred(firm, handler):
    sent = london(2026, 4, 5, 12)
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, event_date=date(2025, 1, 1))
    message = refused(
        services.complaint_reject_time_barred,
        complaint_id=c.pk,
        actor=handler,
        now=sent,
        sent_at=sent,
    )
    assert "DISP 1.8" in message
    errors = import_refusal(
        firm,
        handler,
        status="final_response_sent",
        event_date="2025-01-01",
        outcome="time_barred",
        final_response_sent_at="2026-04-05",
    )
    assert errors == {"final_response_sent_at": [message]}


def test_glossary_complaint_feedback_is_given_no_disp_response(firm, handler):
    sent = london(2026, 4, 3, 10)
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, alleged_financial_loss=False)
    assert not c.is_complaint
    message = refused(
        services.complaint_resolve_summary,
        complaint_id=c.pk,
        actor=handler,
        now=sent,
        sent_at=sent,
        outcome="upheld",
    )
    assert "(Glossary: complaint)" in message
    errors = import_refusal(
        firm,
        handler,
        alleged_financial_loss="no",
        status="resolved_summary",
        src_sent_at="2026-04-03 10:00",
        outcome="upheld",
    )
    assert errors == {"src_sent_at": [message]}


@pytest.mark.parametrize(
    ("outcome", "rule"), [("upheld", "DISP 1.4.1R(3)"), ("goodwill", "DISP 1.6.2R(1)(b)")]
)
def test_disp_1_4_1r_3_an_upheld_response_needs_a_redress_decision_where_enforced(
    firm, handler, settings, outcome, rule
):
    settings.REMEDIATION_ENFORCE_REDRESS_DECISION = True
    sent = london(2026, 5, 20, 11)
    c = acknowledged(firm, handler)
    message = refused(
        services.complaint_send_final_response,
        complaint_id=c.pk,
        actor=handler,
        now=sent,
        sent_at=sent,
        outcome=outcome,
    )
    assert f"({rule})" in message
    errors = import_refusal(
        firm,
        handler,
        status="final_response_sent",
        acknowledged_at="2026-04-03 09:00",
        final_response_sent_at="2026-05-20 11:00",
        outcome=outcome,
    )
    assert errors == {"final_response_sent_at": [message]}


def test_disp_1_6_2r_1_a_final_response_needs_an_outcome(firm, handler):
    sent = london(2026, 5, 20, 11)
    c = acknowledged(firm, handler)
    message = refused(
        services.complaint_send_final_response,
        complaint_id=c.pk,
        actor=handler,
        now=sent,
        sent_at=sent,
        outcome="",
    )
    assert "(DISP 1.6.2R(1))" in message
    errors = import_refusal(
        firm,
        handler,
        status="closed",
        acknowledged_at="2026-04-03 09:00",
        final_response_sent_at="2026-05-20 11:00",
        closed_at="2026-05-21",
    )
    assert errors == {"final_response_sent_at": [message]}


def test_disp_1_7_a_forward_names_the_other_firm_its_contact_and_the_reason(firm, handler):
    sent = london(2026, 4, 3, 10)
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler)
    message = refused(
        services.complaint_forward,
        complaint_id=c.pk,
        actor=handler,
        now=sent,
        sent_at=sent,
        to_firm="",
        to_contact="",
        reason="",
    )
    assert "(DISP 1.7)" in message
    errors = import_refusal(
        firm, handler, status="closed", forwarded_at="2026-04-03 10:00", closed_at="2026-04-04"
    )
    assert errors == {"forwarded_at": [message]}


COMPARED = [
    "status",
    "version",
    "is_complaint",
    "outcome",
    "outcome_at",
    "receipt_date",
    "src_deadline",
    "src_deadline_at",
    "final_response_due",
    "extended_final_response_due",
    "fos_referral_open_from",
    "time_bar_date",
    "fos_six_month_deadline",
    "response_deadline",
    "deadline_rules",
    "calendar_version",
    "acknowledged_at",
    "holding_response_sent_at",
    "expected_final_response_on",
    "final_response_sent_at",
    "six_month_wording_included",
    "closed_at",
    "event_date_unknown",
]


def test_an_imported_row_ends_as_the_lifecycle_services_leave_it(firm, handler):
    """The deadlines (DISP 1.5.1R, 1.6.2R, 1.6.2AR, 2.8.2R(1)), state, outcome and version a
    row is stored with are those the services give the same history, step by step."""
    final = london(2026, 5, 20, 11)
    closed = london(2026, 5, 21, 12)
    holding = london(2026, 4, 20, 12)
    a = acknowledged(firm, handler, external_reference="S-1")
    services.complaint_send_final_response(
        complaint_id=a.pk,
        actor=handler,
        now=final,
        sent_at=final,
        outcome="partially_upheld",
        summary="We refund the fee but not the price movement.",
    )
    services.complaint_close(complaint_id=a.pk, actor=handler, now=closed)
    b = acknowledged(firm, handler, regime="psd_emd", external_reference="S-2")
    services.complaint_start_investigation(complaint_id=b.pk, actor=handler, now=ACK)
    services.complaint_send_holding_response(
        complaint_id=b.pk, actor=handler, now=holding, sent_at=holding, reasons="Waiting."
    )
    common = {"acknowledged_at": "2026-04-03 09:00"}
    rows = [
        row(
            "I-1",
            status="closed",
            final_response_sent_at="2026-05-20 11:00",
            outcome="partially_upheld",
            closed_at="2026-05-21",
            **common,
        ),
        row(
            "I-2",
            status="holding_response_sent",
            regime="psd_emd",
            holding_response_sent_at="2026-04-20",
            **common,
        ),
    ]
    batch = import_commit(
        batch_id=preview(firm, handler, rows).pk, actor=handler, now=NOW, all_or_nothing=True
    )
    assert batch.rows_ok == 2, batch.results
    for service_ref, import_ref in (("S-1", "I-1"), ("S-2", "I-2")):
        by_service = Complaint.objects.values(*COMPARED).get(external_reference=service_ref)
        by_import = Complaint.objects.values(*COMPARED).get(external_reference=import_ref)
        assert by_import == by_service
        steps = [
            list(
                Complaint.history.filter(external_reference=ref)
                .order_by("history_id")
                .values_list("history_change_reason", "status", "version")
            )
            for ref in (service_ref, import_ref)
        ]
        assert steps[1][1:] == steps[0][1:]
        assert steps[1][0][0] == "imported"
