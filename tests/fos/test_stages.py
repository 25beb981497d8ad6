"""The FOS stage machine (disp-rules.md §4.1): every transition, allowed and refused."""

from datetime import date, timedelta

import pytest

from common.errors import ConflictError, TransitionRefused, ValidationFailed
from fos import services
from fos.choices import Stage
from fos.errors import FosErrorCode
from fos.guards import ACTIONS
from fos.models import Referral, ReferralStage
from tests.factories import london, make_complaint
from tests.fos.helpers import act, at, drive, log, responded_complaint

pytestmark = pytest.mark.django_db

REFERRED_ON = date(2028, 1, 10)

# Path from a fresh referral to each stage.
PATHS = {
    Stage.REFERRED: [],
    Stage.PRE_REGISTRATION: ["pre_register"],
    Stage.JURISDICTION_REVIEW: ["start_jurisdiction_review"],
    Stage.INVESTIGATION: ["start_investigation"],
    Stage.INVESTIGATOR_VIEW_ISSUED: ["start_investigation", "issue_view"],
    Stage.OMBUDSMAN_REVIEW: ["start_investigation", "issue_view", "dispute_view"],
    Stage.PROVISIONAL_DECISION: [
        "start_investigation",
        "issue_view",
        "dispute_view",
        "issue_provisional_decision",
    ],
    Stage.FINAL_DECISION: [
        "start_investigation",
        "issue_view",
        "dispute_view",
        "issue_final_decision",
    ],
    Stage.ACCEPTED: ["start_investigation", "issue_view", "accept_view"],
    Stage.REJECTED_OR_LAPSED: ["end"],
    Stage.COMPLIED: ["start_investigation", "issue_view", "accept_view", "record_compliance"],
}

# (action, from stage) -> to stage, for every edge of the machine.
ALLOWED = {
    ("pre_register", Stage.REFERRED): Stage.PRE_REGISTRATION,
    ("start_jurisdiction_review", Stage.REFERRED): Stage.JURISDICTION_REVIEW,
    ("start_jurisdiction_review", Stage.PRE_REGISTRATION): Stage.JURISDICTION_REVIEW,
    ("start_investigation", Stage.REFERRED): Stage.INVESTIGATION,
    ("start_investigation", Stage.PRE_REGISTRATION): Stage.INVESTIGATION,
    ("start_investigation", Stage.JURISDICTION_REVIEW): Stage.INVESTIGATION,
    ("issue_view", Stage.INVESTIGATION): Stage.INVESTIGATOR_VIEW_ISSUED,
    ("accept_view", Stage.INVESTIGATOR_VIEW_ISSUED): Stage.ACCEPTED,
    ("dispute_view", Stage.INVESTIGATOR_VIEW_ISSUED): Stage.OMBUDSMAN_REVIEW,
    ("issue_provisional_decision", Stage.OMBUDSMAN_REVIEW): Stage.PROVISIONAL_DECISION,
    ("issue_final_decision", Stage.OMBUDSMAN_REVIEW): Stage.FINAL_DECISION,
    ("issue_final_decision", Stage.PROVISIONAL_DECISION): Stage.FINAL_DECISION,
    ("accept_decision", Stage.FINAL_DECISION): Stage.ACCEPTED,
    ("record_compliance", Stage.ACCEPTED): Stage.COMPLIED,
    **{("end", s): Stage.REJECTED_OR_LAPSED for s in Stage.active()},
}
# refer_back / resume need a complaint the firm has not finished with: tested separately.
FSM_ACTIONS = [a for a in ACTIONS if a not in ("refer_back", "resume")]


@pytest.fixture
def complaint(firm, handler):
    return responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))


def _at_stage(complaint, handler, stage):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    return drive(referral, PATHS[stage], start=REFERRED_ON, actor=handler)


@pytest.mark.parametrize(("action", "source"), list(ALLOWED))
def test_allowed_transition_moves_stage_records_date_and_history(
    complaint, handler, action, source
):
    referral = _at_stage(complaint, handler, source)
    on = referral.stage_entered_on + timedelta(days=2)
    after = act(referral, action, on=on, actor=handler)
    assert after.stage == ALLOWED[(action, source)]
    assert after.stage_entered_on == on
    last = ReferralStage.objects.filter(referral=after).last()
    assert (last.stage, last.action, last.entered_on) == (after.stage, action, on)
    h = after.history.first()
    assert h.history_change_reason == f"fos.{action}"
    assert h.history_user == handler


@pytest.mark.parametrize(
    ("action", "source"),
    [(a, s) for a in FSM_ACTIONS for s in PATHS if (a, s) not in ALLOWED],
)
def test_refused_transition_is_a_conflict_and_changes_nothing(complaint, handler, action, source):
    referral = _at_stage(complaint, handler, source)
    version = referral.version
    with pytest.raises((ConflictError, TransitionRefused)) as exc:
        act(referral, action, on=referral.stage_entered_on + timedelta(days=1), actor=handler)
    assert exc.value.code in (FosErrorCode.INVALID_STAGE, FosErrorCode.NOTHING_TO_COMPLY_WITH)
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.stage, fresh.version) == (source, version)


def test_stage_history_keeps_every_date(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.COMPLIED)
    rows = list(referral.stages.values_list("stage", "entered_on"))
    assert [s for s, _ in rows] == [
        Stage.REFERRED,
        Stage.INVESTIGATION,
        Stage.INVESTIGATOR_VIEW_ISSUED,
        Stage.ACCEPTED,
        Stage.COMPLIED,
    ]
    assert [d for _, d in rows] == sorted(d for _, d in rows)
    assert referral.investigation_on and referral.view_date and referral.accepted_on
    assert referral.complied_on == rows[-1][1]


def test_date_before_the_current_stage_is_refused(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.INVESTIGATION)
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "issue_view", on=REFERRED_ON, actor=handler)
    assert exc.value.code == FosErrorCode.DATE_OUT_OF_ORDER


def test_date_in_the_future_is_refused(complaint, handler):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    with pytest.raises(ValidationFailed) as exc:
        services.STAGE_SERVICES["start_investigation"](
            referral_id=referral.pk,
            actor=handler,
            now=at(REFERRED_ON),
            on=REFERRED_ON + timedelta(1),
        )
    assert "on" in exc.value.fields


def test_view_and_decisions_need_an_outcome(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.INVESTIGATION)
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "issue_view", on=date(2028, 2, 1), actor=handler, outcome="")
    assert exc.value.code == FosErrorCode.OUTCOME_REQUIRED


def test_fsma_s228_4_c_final_decision_needs_a_later_acceptance_deadline(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.OMBUDSMAN_REVIEW)
    on = referral.stage_entered_on + timedelta(days=1)
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "issue_final_decision", on=on, actor=handler, acceptance_deadline=on)
    assert exc.value.rule == "FSMA s.228(4)(c)"


def test_fsma_s228_6_acceptance_after_the_deadline_is_refused_and_it_lapses(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.FINAL_DECISION)
    late = referral.acceptance_deadline + timedelta(days=1)
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "accept_decision", on=late, actor=handler)
    assert exc.value.code == FosErrorCode.ACCEPTANCE_DEADLINE_PASSED
    # Nor can it lapse before the deadline...
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "end", on=referral.acceptance_deadline, actor=handler, kind="lapsed")
    assert exc.value.code == FosErrorCode.ACCEPTANCE_DEADLINE_NOT_PASSED
    # ...but it does after it.
    ended = act(referral, "end", on=late, actor=handler, kind="lapsed")
    assert (ended.stage, ended.end_kind, ended.closed_on) == (
        Stage.REJECTED_OR_LAPSED,
        "lapsed",
        late,
    )


def test_accepting_the_decision_on_the_deadline_day_is_in_time(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.FINAL_DECISION)
    accepted = act(referral, "accept_decision", on=referral.acceptance_deadline, actor=handler)
    assert accepted.stage == Stage.ACCEPTED


def test_only_a_final_decision_can_be_rejected(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.INVESTIGATOR_VIEW_ISSUED)
    with pytest.raises(ConflictError):
        act(referral, "end", on=date(2028, 3, 1), actor=handler, kind="rejected")
    final = drive(
        referral, ["dispute_view", "issue_final_decision"], start=date(2028, 3, 1), actor=handler
    )
    ended = act(final, "end", on=date(2028, 3, 20), actor=handler, kind="rejected")
    assert ended.end_kind == "rejected"


def test_not_upheld_accepted_view_has_nothing_to_comply_with(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.INVESTIGATION)
    referral = act(referral, "issue_view", on=date(2028, 2, 1), actor=handler, outcome="not_upheld")
    referral = act(referral, "accept_view", on=date(2028, 2, 10), actor=handler)
    assert referral.compliance_due_on is None
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "record_compliance", on=date(2028, 2, 11), actor=handler)
    assert exc.value.code == FosErrorCode.NOTHING_TO_COMPLY_WITH


def test_stale_version_is_a_conflict(complaint, handler):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    act(referral, "pre_register", on=REFERRED_ON, actor=handler)
    with pytest.raises(ConflictError) as exc:
        services.STAGE_SERVICES["start_jurisdiction_review"](
            referral_id=referral.pk,
            actor=handler,
            now=at(REFERRED_ON),
            on=REFERRED_ON,
            expected_version=referral.version,
        )
    assert exc.value.code == FosErrorCode.STALE


def test_stage_is_protected_from_direct_assignment(complaint, handler):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    with pytest.raises(AttributeError):
        referral.stage = Stage.COMPLIED


def test_start_investigation_defaults_the_chargeable_date(complaint, handler):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    assert referral.chargeable_on is None
    referral = act(referral, "start_investigation", on=date(2028, 1, 20), actor=handler)
    assert referral.chargeable_on == date(2028, 1, 20)
    assert "investigation" in referral.chargeable_note


# --- DISP 3.2.2R: referred back to the firm -----------------------------------------------


def test_disp_3_2_2r_refer_back_when_firm_has_not_had_its_eight_weeks(firm, handler):
    c = make_complaint(
        firm=firm, received_at=london(2027, 11, 1, 10), event_date=date(2027, 10, 30)
    )
    referral = log(c, handler, referred_on=date(2027, 11, 20))
    assert {line["key"]: line["result"] for line in referral.checklist}[
        "firm_had_its_time"
    ] == "fail"
    referral = act(referral, "refer_back", on=date(2027, 11, 22), actor=handler)
    assert referral.stage == Stage.REFERRED_BACK_TO_FIRM
    assert referral.referred_back_on == date(2027, 11, 22)
    # It cannot come back before the eight weeks (D+56: 27 Dec 2027; open from 28 Dec)...
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "resume", on=date(2027, 12, 27), actor=handler)
    assert exc.value.code == FosErrorCode.FIRM_HAS_NOT_HAD_ITS_TIME
    # ...and can once they have elapsed.
    resumed = act(referral, "resume", on=date(2027, 12, 28), actor=handler)
    assert resumed.stage == Stage.REFERRED


def test_disp_3_2_2r_no_refer_back_after_a_final_response(complaint, handler):
    referral = log(complaint, handler, referred_on=REFERRED_ON)
    with pytest.raises(TransitionRefused) as exc:
        act(referral, "refer_back", on=REFERRED_ON, actor=handler)
    assert exc.value.rule == "DISP 3.2.2R"


# --- logging ----------------------------------------------------------------------------


def test_log_validates_fields_and_saves_nothing(complaint, handler):
    with pytest.raises(ValidationFailed) as exc:
        log(complaint, handler, referred_on=REFERRED_ON, referred_by="professional_representative")
    assert "representative_name" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        log(complaint, handler, referred_on=date(2027, 10, 1))
    assert "referred_on" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.referral_log(
            complaint_id=complaint.pk,
            actor=handler,
            now=at(REFERRED_ON),
            referred_on=REFERRED_ON + timedelta(days=1),
        )
    assert "referred_on" in exc.value.fields
    assert not Referral.objects.exists()


def test_log_records_who_referred_and_the_firms_outcome(complaint, handler):
    referral = log(
        complaint,
        handler,
        referred_on=REFERRED_ON,
        referred_by="professional_representative",
        representative_name="ClaimRight Ltd",
        fos_reference="PNX-1",
    )
    assert referral.is_prof_rep and referral.representative_name == "ClaimRight Ltd"
    assert referral.firm_outcome == "not_upheld"
    assert referral.stages.get().action == "log"
    assert referral.history.get().history_change_reason == "fos.log"


def test_one_open_referral_per_complaint_and_unique_fos_reference(complaint, firm, handler):
    log(complaint, handler, referred_on=REFERRED_ON, fos_reference="PNX-1")
    with pytest.raises(ConflictError) as exc:
        log(complaint, handler, referred_on=REFERRED_ON)
    assert exc.value.code == FosErrorCode.ALREADY_REFERRED
    other = responded_complaint(firm=firm, actor=handler)
    with pytest.raises(ValidationFailed) as exc:
        log(other, handler, referred_on=REFERRED_ON, fos_reference="PNX-1")
    assert "fos_reference" in exc.value.fields


def test_feedback_cannot_be_referred(firm, handler):
    feedback = make_complaint(
        firm=firm, received_at=london(2027, 11, 1, 10), alleged_financial_loss=False
    )
    with pytest.raises(TransitionRefused) as exc:
        log(feedback, handler, referred_on=date(2028, 1, 10))
    assert exc.value.code == FosErrorCode.NOT_A_COMPLAINT


def test_overturned_compares_with_the_firms_outcome(complaint, handler):
    referral = _at_stage(complaint, handler, Stage.INVESTIGATOR_VIEW_ISSUED)
    assert (referral.fos_outcome, referral.overturned) == ("upheld", True)
    referral = drive(referral, ["dispute_view"], start=date(2028, 2, 1), actor=handler)
    referral = act(
        referral,
        "issue_final_decision",
        on=date(2028, 2, 20),
        actor=handler,
        outcome="not_upheld",
        acceptance_deadline=date(2028, 3, 20),
    )
    assert (referral.fos_outcome, referral.overturned) == ("not_upheld", False)


@pytest.mark.parametrize(
    ("firm_outcome", "fos_outcome", "expected"),
    [
        ("not_upheld", "upheld", True),
        ("not_upheld", "partly_upheld", True),
        ("partially_upheld", "upheld", True),
        ("partially_upheld", "partly_upheld", False),
        ("upheld", "upheld", False),
        ("goodwill", "partly_upheld", True),
        ("", "upheld", None),
    ],
)
def test_overturns_ranking(firm_outcome, fos_outcome, expected):
    from fos.models import overturns

    assert overturns(firm_outcome, fos_outcome) is expected
