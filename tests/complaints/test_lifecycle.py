"""The complaint state machine and its DISP guards, through the services (the only write path)."""

from datetime import date, timedelta

import pytest

from common.errors import ConflictError, TransitionRefused, ValidationFailed
from complaints import services
from complaints.choices import Outcome, Regime, Status
from complaints.errors import ErrorCode
from complaints.models import Complainant, Complaint
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

E1_RECEIVED = london(2026, 4, 2, 16, 0)  # Thu 2 Apr 2026 16:00 (disp-rules E1)


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=E1_RECEIVED, actor=handler)


def _act(action, c, actor, now, **kwargs):
    fn = {
        "acknowledge": services.complaint_acknowledge,
        "start_investigation": services.complaint_start_investigation,
        "resolve_summary": lambda **kw: services.complaint_resolve_summary(
            outcome=Outcome.UPHELD, **kw
        ),
        "send_holding_response": lambda **kw: services.complaint_send_holding_response(
            reasons="Awaiting the custodian's reconciliation.", **kw
        ),
        "send_progress_update": lambda **kw: services.complaint_send_progress_update(
            progress="We have asked the custodian for its records.", **kw
        ),
        "send_final_response": lambda **kw: services.complaint_send_final_response(
            outcome=Outcome.NOT_UPHELD, **kw
        ),
        "reject_time_barred": services.complaint_reject_time_barred,
        "forward": lambda **kw: services.complaint_forward(
            to_firm="Other Exchange Ltd",
            to_contact="complaints@other.test",
            reason="The trade was executed by Other Exchange.",
            **kw,
        ),
        "withdraw": services.complaint_withdraw,
        "close": services.complaint_close,
        "reopen": lambda **kw: services.complaint_reopen(reason="New evidence", **kw),
    }[action]
    return fn(complaint_id=c.pk, actor=actor, now=now, **kwargs)


# Paths from 'received' to each state, all within the SRC window of E1.
PATHS = {
    Status.RECEIVED: [],
    Status.ACKNOWLEDGED: ["acknowledge"],
    Status.INVESTIGATING: ["acknowledge", "start_investigation"],
    Status.RESOLVED_SUMMARY: ["acknowledge", "resolve_summary"],
    Status.HOLDING_RESPONSE_SENT: ["acknowledge", "start_investigation", "send_holding_response"],
    Status.FINAL_RESPONSE_SENT: ["acknowledge", "start_investigation", "send_final_response"],
    Status.FORWARDED: ["forward"],
    Status.WITHDRAWN: ["withdraw"],
    Status.CLOSED: ["acknowledge", "resolve_summary", "close"],
}

# The state machine of design.md: for each state, the actions that succeed (with the E1
# complaint, inside its SRC window, not time-barred). The 8-week holding response waits for the
# eight weeks after arrival (DISP 1.6.2R(2)(b)), so it is taken, and its state acted on, later.
ALLOWED = {
    Status.RECEIVED: {"acknowledge", "resolve_summary", "forward", "withdraw"},
    Status.ACKNOWLEDGED: {
        "start_investigation",
        "resolve_summary",
        "send_progress_update",
        "send_final_response",
        "forward",
        "withdraw",
    },
    Status.INVESTIGATING: {
        "resolve_summary",
        "send_progress_update",
        "send_final_response",
        "forward",
        "withdraw",
    },
    Status.RESOLVED_SUMMARY: {"close", "reopen"},
    Status.HOLDING_RESPONSE_SENT: {
        "send_progress_update",
        "send_final_response",
        "forward",
        "withdraw",
    },
    Status.FINAL_RESPONSE_SENT: {"close", "reopen"},
    Status.FORWARDED: {"close"},
    Status.WITHDRAWN: {"close"},
    Status.CLOSED: {"reopen"},
}
ACTIONS = [
    "acknowledge",
    "start_investigation",
    "resolve_summary",
    "send_holding_response",
    "send_progress_update",
    "send_final_response",
    "reject_time_barred",
    "forward",
    "withdraw",
    "close",
    "reopen",
]
NOW = london(2026, 4, 3, 10, 0)  # inside the SRC window (deadline Thu 9 Apr 17:00)
DAY_57 = london(2026, 5, 29, 10, 0)  # E1 + 57 days: eight weeks have passed (DISP 2.8.1R(2))


def _when(step):
    return DAY_57 if step == "send_holding_response" else NOW


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_table(firm, handler, state, action):
    """Every action from every state, including the DISP 1.4.1R(1) investigation step.
    Every (state, action) pair: allowed ones move the state, the rest are refused and change
    nothing (design.md state machine)."""
    c = make_complaint(firm=firm, received_at=E1_RECEIVED, actor=handler)
    for step in PATHS[state]:
        c = _act(step, c, handler, _when(step))
    assert c.status == state
    before = Complaint.objects.get(pk=c.pk)
    now = DAY_57 if state == Status.HOLDING_RESPONSE_SENT else NOW
    if action in ALLOWED[state]:
        after = _act(action, c, handler, now)
        # A progress update is a letter, not a transition: the state stays (DISP 1.6.1R(2)).
        assert after.status != state or action in ("reopen", "send_progress_update")
        assert after.version == before.version + 1
    else:
        with pytest.raises((ConflictError, TransitionRefused)):
            _act(action, c, handler, now)
        unchanged = Complaint.objects.get(pk=c.pk)
        assert (unchanged.status, unchanged.version) == (before.status, before.version)


def test_status_is_protected_from_direct_assignment(complaint):
    """One write path: the FSM field refuses direct assignment (django-fsm protected=True)."""
    with pytest.raises(AttributeError):
        complaint.status = Status.CLOSED


# --- DISP 1.5: summary resolution ---------------------------------------------------------


def test_disp_1_5_1r_src_allowed_at_close_of_business_on_third_business_day(complaint, handler):
    """E1: received Thu 2 Apr 2026 16:00 (England): SRC by close of business Thu 9 Apr."""
    deadline = london(2026, 4, 9, 17, 0)
    c = services.complaint_resolve_summary(
        complaint_id=complaint.pk, actor=handler, now=deadline, outcome=Outcome.UPHELD
    )
    assert c.status == Status.RESOLVED_SUMMARY
    assert c.src_sent_at == deadline


def test_disp_1_5_1r_src_after_deadline_is_refused(complaint, handler):
    late = london(2026, 4, 9, 17, 1)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_resolve_summary(
            complaint_id=complaint.pk, actor=handler, now=late, outcome=Outcome.UPHELD
        )
    assert exc.value.code == ErrorCode.SRC_DEADLINE_PASSED
    assert exc.value.rule == "DISP 1.5.1R"
    assert "Thu 9 Apr 2026" in exc.value.message
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


def test_disp_1_5_1r_acceptance_after_deadline_is_refused_even_if_sent_earlier(complaint, handler):
    """DISP 1.5.2AR: the complainant's acceptance must also fall within the SRC window."""
    with pytest.raises(TransitionRefused):
        services.complaint_resolve_summary(
            complaint_id=complaint.pk,
            actor=handler,
            now=london(2026, 4, 10, 9),
            sent_at=london(2026, 4, 9, 12),
            accepted_at=london(2026, 4, 10, 9),
            outcome=Outcome.UPHELD,
        )


def test_disp_1_5_src_needs_an_outcome(complaint, handler):
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_resolve_summary(
            complaint_id=complaint.pk, actor=handler, now=NOW, outcome=""
        )
    assert "outcome" in exc.value.fields


def test_disp_2_8_2r_src_starts_the_six_month_clock(complaint, handler):
    c = services.complaint_resolve_summary(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 4, 8, 11),
        outcome=Outcome.PARTIALLY_UPHELD,
    )
    assert c.fos_six_month_deadline == date(2026, 10, 8)
    assert c.six_month_wording_included is True


# --- DISP 1.6: final and holding responses -----------------------------------------------


def _investigating(c, actor):
    c = services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=NOW)
    return services.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=NOW)


def test_disp_1_6_2r_final_response_needs_an_outcome(complaint, handler):
    c = _investigating(complaint, handler)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_send_final_response(
            complaint_id=c.pk, actor=handler, now=NOW, outcome=Outcome.TIME_BARRED
        )
    assert exc.value.code == ErrorCode.OUTCOME_REQUIRED
    assert Complaint.objects.get(pk=c.pk).status == Status.INVESTIGATING


def test_disp_2_8_2r_1_six_month_window_from_the_sent_date_e25(firm, handler):
    """E25: final response sent Wed 15 Apr 2026 with the six-month wording: last in-time
    referral Thu 15 Oct 2026."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), actor=handler)
    c = _investigating(c, handler)
    c = services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=handler,
        now=london(2026, 4, 15, 12),
        outcome=Outcome.NOT_UPHELD,
        six_month_wording=True,
    )
    assert c.fos_six_month_deadline == date(2026, 10, 15)


def test_disp_2_8_3g_no_six_month_wording_no_six_month_limit_e28(firm, handler):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 1, 9), actor=handler)
    c = _investigating(c, handler)
    c = services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=handler,
        now=london(2026, 4, 15, 12),
        outcome=Outcome.NOT_UPHELD,
        six_month_wording=False,
    )
    assert c.fos_six_month_deadline is None


def test_disp_1_6_2ar_psd_holding_response_after_15_business_days_is_refused(firm, handler):
    """E23: PSD complaint received Mon 13 Apr 2026: 15 business days end Tue 5 May 2026."""
    c = make_complaint(
        firm=firm, received_at=london(2026, 4, 13, 10), actor=handler, regime=Regime.PSD_EMD
    )
    assert c.final_response_due == date(2026, 5, 5)
    assert c.extended_final_response_due == date(2026, 6, 3)
    c = _investigating(c, handler)
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_send_holding_response(
            complaint_id=c.pk, actor=handler, now=london(2026, 5, 6, 9), reasons="Delay"
        )
    assert exc.value.rule == "DISP 1.6.2AR(2)"
    ok = services.complaint_send_holding_response(
        complaint_id=c.pk, actor=handler, now=london(2026, 5, 5, 16), reasons="Awaiting bank"
    )
    assert ok.status == Status.HOLDING_RESPONSE_SENT


def test_disp_1_6_2r_holding_response_needs_reasons(complaint, handler):
    c = _investigating(complaint, handler)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_send_holding_response(
            complaint_id=c.pk, actor=handler, now=NOW, reasons="  "
        )
    assert exc.value.rule == "DISP 1.6.2R(2)(a)"


# --- DISP 1.8: time-barred rejection -----------------------------------------------------


def test_disp_1_8_time_barred_rejection_needs_the_time_bar_test(firm, handler):
    """Event 1 Mar 2020, aware the same day: limit 1 Mar 2026 (6 years). Received 2 Apr 2026:
    outside, so it may be rejected; an event in 2021 may not."""
    barred = make_complaint(
        firm=firm,
        received_at=E1_RECEIVED,
        actor=handler,
        event_date=date(2020, 3, 1),
        awareness_date=date(2020, 3, 1),
    )
    assert barred.time_bar_date == date(2026, 3, 1)
    c = services.complaint_reject_time_barred(complaint_id=barred.pk, actor=handler, now=NOW)
    assert (c.status, c.outcome) == (Status.FINAL_RESPONSE_SENT, Outcome.TIME_BARRED)

    in_time = make_complaint(
        firm=firm,
        received_at=E1_RECEIVED,
        actor=handler,
        event_date=date(2021, 3, 1),
        awareness_date=date(2021, 3, 1),
    )
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_reject_time_barred(complaint_id=in_time.pk, actor=handler, now=NOW)
    assert exc.value.code == ErrorCode.NOT_TIME_BARRED


def test_disp_2_8_2r_2_three_years_from_awareness_can_save_an_old_event(firm, handler):
    """DISP 2.8.2R(2)(b): event 2019, but aware only in 2024: limit 2027, so not time-barred."""
    c = make_complaint(
        firm=firm,
        received_at=E1_RECEIVED,
        actor=handler,
        event_date=date(2019, 6, 1),
        awareness_date=date(2024, 6, 1),
    )
    assert c.time_bar_date == date(2027, 6, 1)
    with pytest.raises(TransitionRefused):
        services.complaint_reject_time_barred(complaint_id=c.pk, actor=handler, now=NOW)


def test_disp_1_8_no_time_barred_rejection_without_an_event_date(complaint, handler):
    with pytest.raises(TransitionRefused):
        services.complaint_reject_time_barred(complaint_id=complaint.pk, actor=handler, now=NOW)


# --- DISP 1.7: forwarding ----------------------------------------------------------------


def test_disp_1_5_1r_2_forwarding_is_refused_after_an_src(complaint, handler):
    c = services.complaint_resolve_summary(
        complaint_id=complaint.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD
    )
    with pytest.raises(ConflictError):
        _act("forward", c, handler, NOW)


def test_disp_1_7_forwarding_needs_the_other_firm_and_reason(complaint, handler):
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_forward(
            complaint_id=complaint.pk, actor=handler, now=NOW, to_firm="", to_contact="", reason=""
        )
    assert set(exc.value.fields) == {"to_firm", "to_contact", "reason"}


def test_disp_1_7_forward_records_notice_and_cover_letter(complaint, handler):
    c = _act("forward", complaint, handler, NOW)
    kinds = sorted(c.communications.values_list("kind", flat=True))
    assert kinds == ["forwarding_cover", "forwarding_notice"]
    assert c.forwarded_to_firm == "Other Exchange Ltd"


# --- closing, feedback, reopening --------------------------------------------------------


def test_a_complaint_cannot_close_while_a_disp_response_is_owed(complaint, handler):
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_close(complaint_id=complaint.pk, actor=handler, now=NOW)
    assert exc.value.code == ErrorCode.DISP_RESPONSE_OWED


def test_feedback_is_not_a_complaint_and_may_close_without_a_response(firm, handler):
    """Glossary: no alleged loss, distress or inconvenience means feedback or a query (E47)."""
    c = make_complaint(
        firm=firm, received_at=E1_RECEIVED, actor=handler, alleged_financial_loss=False
    )
    assert c.is_complaint is False
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_resolve_summary(
            complaint_id=c.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD
        )
    assert exc.value.code == ErrorCode.NOT_A_COMPLAINT
    closed = services.complaint_close(complaint_id=c.pk, actor=handler, now=NOW)
    assert closed.status == Status.CLOSED


def test_reopen_needs_a_reason_and_leaves_a_note(complaint, handler):
    c = services.complaint_resolve_summary(
        complaint_id=complaint.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD
    )
    with pytest.raises(ValidationFailed):
        services.complaint_reopen(complaint_id=c.pk, actor=handler, now=NOW, reason="")
    c = services.complaint_reopen(
        complaint_id=c.pk, actor=handler, now=NOW, reason="Complainant disputes the fix"
    )
    assert c.status == Status.INVESTIGATING
    assert c.notes.get().body == "Reopened: Complainant disputes the fix"


# --- intake ------------------------------------------------------------------------------


def test_register_computes_and_stores_every_deadline_with_its_rule(complaint):
    """E1/E17: SRC Thu 9 Apr 2026 close of business; 8 weeks Thu 28 May; FOS from Fri 29 May."""
    assert complaint.receipt_date == date(2026, 4, 2)
    assert complaint.src_deadline == date(2026, 4, 9)
    assert complaint.src_deadline_at == london(2026, 4, 9, 17, 0)
    assert complaint.final_response_due == date(2026, 5, 28)
    assert complaint.fos_referral_open_from == date(2026, 5, 29)
    assert complaint.extended_final_response_due is None
    assert complaint.deadline_rules["summary_resolution"]["rule"].startswith("DISP 1.5.1R")
    assert complaint.deadline_rules["final_response"]["rule"].startswith("DISP 1.6.2R")
    assert complaint.calendar_nation == "england"
    assert complaint.calendar_version


def test_register_uses_the_firms_nation_e2(scottish_firm):
    c = make_complaint(firm=scottish_firm, received_at=E1_RECEIVED)
    assert c.src_deadline == date(2026, 4, 8)


def test_references_are_sequential_per_firm_and_year(firm):
    a = make_complaint(firm=firm, received_at=E1_RECEIVED)
    b = make_complaint(firm=firm, received_at=E1_RECEIVED)
    assert a.reference.endswith("-2026-00001")
    assert b.reference.endswith("-2026-00002")


def test_bad_intake_names_every_field_and_saves_nothing(firm):
    with pytest.raises(ValidationFailed) as exc:
        make_complaint(
            firm=firm,
            received_at=E1_RECEIVED,
            now=E1_RECEIVED - timedelta(hours=1),
            activity="mining",
            event_date=date(2026, 3, 1),
            awareness_date=date(2026, 2, 1),
            description=" ",
        )
    assert set(exc.value.fields) == {"received_at", "activity", "awareness_date", "description"}
    assert Complaint.objects.count() == 0
    assert Complainant.objects.count() == 0


def test_owner_must_be_a_member_of_the_firm(firm, handler):
    from tests.factories import UserFactory

    outsider = UserFactory()
    with pytest.raises(ValidationFailed) as exc:
        make_complaint(firm=firm, received_at=E1_RECEIVED, owner_id=outsider.pk)
    assert exc.value.code == ErrorCode.OWNER_NOT_MEMBER
    c = make_complaint(firm=firm, received_at=E1_RECEIVED, owner_id=handler.pk)
    assert c.owner == handler


# --- audit and concurrency ---------------------------------------------------------------


def test_every_service_call_writes_history_with_actor_and_use_case(complaint, handler, supervisor):
    services.complaint_assign(
        complaint_id=complaint.pk, actor=supervisor, now=NOW, owner_id=handler.pk
    )
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
    services.complaint_start_investigation(complaint_id=complaint.pk, actor=handler, now=NOW)
    services.complaint_send_final_response(
        complaint_id=complaint.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD
    )
    services.complaint_close(complaint_id=complaint.pk, actor=supervisor, now=NOW)
    rows = list(
        Complaint.history.filter(id=complaint.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user_id", "status")
    )
    assert rows == [
        ("complaint.register", handler.pk, "received"),
        ("complaint.assign", supervisor.pk, "received"),
        ("complaint.acknowledge", handler.pk, "acknowledged"),
        ("complaint.start_investigation", handler.pk, "investigating"),
        ("complaint.final_response", handler.pk, "final_response_sent"),
        ("complaint.close", supervisor.pk, "closed"),
    ]


def test_a_stale_view_is_a_conflict_not_a_lost_update(complaint, handler):
    services.complaint_acknowledge(
        complaint_id=complaint.pk, actor=handler, now=NOW, expected_version=complaint.version
    )
    with pytest.raises(ConflictError) as exc:
        services.complaint_assign(
            complaint_id=complaint.pk,
            actor=handler,
            now=NOW,
            owner_id=handler.pk,
            expected_version=complaint.version,
        )
    assert exc.value.code == ErrorCode.STALE
    assert exc.value.extra["status"] == Status.ACKNOWLEDGED
