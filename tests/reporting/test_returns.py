"""Return lifecycle: versions, four-eyes approval, the freeze, submission, query counts."""

from datetime import date

import pytest
from django_fsm import TransitionNotAllowed

from common.errors import NotFound, TransitionRefused, ValidationFailed
from complaints import services
from complaints.choices import Outcome
from reporting.choices import Metric, VersionStatus
from reporting.models import ReturnItem, ReturnVersion
from reporting.services import return_approve, return_compute, return_submit
from tests.factories import MembershipFactory, london, make_complaint
from tests.reporting.helpers import load_snapshot, position, uphold

pytestmark = pytest.mark.django_db

Q1 = date(2028, 3, 31)
NOW = london(2028, 4, 20, 9)


def refs(version, metric):
    return set(
        ReturnItem.objects.filter(version=version, metric=metric).values_list(
            "complaint_reference", flat=True
        )
    )


def test_approved_return_is_frozen_when_a_complaint_changes_and_a_recompute_shows_it(
    firm, officer, approver
):
    """An approved version's figures and the IDs behind them never change; recomputing makes
    a new version recording what changed."""
    a = make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    b = make_complaint(firm=firm, received_at=london(2028, 2, 2, 10))
    uphold(a, london(2028, 3, 1, 10))
    load_snapshot(firm, Q1, [position("A", "A1")])
    v1 = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    return_approve(return_id=v1.sup16_return_id, version=1, actor=approver, now=NOW)

    # Later b is upheld within Q1's dates and a's receipt is corrected into the quarter before,
    # via services (a receipt can move earlier, never after a letter already sent: DISP 1.6.1R).
    uphold(b, london(2028, 3, 20, 10))
    services.complaint_update_clock_inputs(
        complaint_id=a.pk,
        actor=None,
        now=london(2028, 4, 25, 9),
        reason="Receipt logged against the wrong date",
        received_at=london(2027, 12, 20, 10),
    )

    frozen = ReturnVersion.objects.get(pk=v1.pk)
    assert (frozen.complaints_received, frozen.complaints_upheld) == (2, 1)
    assert refs(frozen, Metric.RECEIVED) == {a.reference, b.reference}
    assert refs(frozen, Metric.UPHELD) == {a.reference}
    assert frozen.status == VersionStatus.APPROVED

    v2 = return_compute(firm=firm, period_end=Q1, actor=officer, now=london(2028, 4, 26, 9))
    assert v2.number == 2 and v2.status == VersionStatus.DRAFT
    assert (v2.complaints_received, v2.complaints_upheld) == (1, 2)
    assert v2.changes["figures"]["complaints_received"] == {"before": 2, "after": 1}
    assert v2.changes["items"][Metric.RECEIVED]["removed"] == [a.reference]
    assert v2.changes["items"][Metric.UPHELD]["added"] == [b.reference]
    assert ReturnVersion.objects.get(pk=v1.pk).complaints_received == 2
    assert v2.sup16_return.latest_version_id == v2.pk


def test_four_eyes_the_preparer_cannot_approve_their_own_return(firm, officer):
    load_snapshot(firm, Q1, [position("A", "A1")])
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="cannot also approve"):
        return_approve(return_id=v.sup16_return_id, version=1, actor=officer, now=NOW)


def test_only_approvers_of_the_firm_may_approve(firm, officer):
    load_snapshot(firm, Q1, [position("A", "A1")])
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    handler = MembershipFactory(firm=firm, role="handler").user
    outsider = MembershipFactory(role="supervisor").user
    for user in (handler, outsider):
        with pytest.raises(NotFound):
            return_approve(return_id=v.sup16_return_id, version=1, actor=user, now=NOW)


def test_approval_needs_the_snapshot_and_the_latest_version(firm, officer, approver):
    v1 = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="client position snapshot"):
        return_approve(return_id=v1.sup16_return_id, version=1, actor=approver, now=NOW)
    load_snapshot(firm, Q1, [position("A", "A1")])
    return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="superseded"):
        return_approve(return_id=v1.sup16_return_id, version=1, actor=approver, now=NOW)
    v2 = return_approve(return_id=v1.sup16_return_id, version=2, actor=approver, now=NOW)
    assert v2.status == VersionStatus.APPROVED and v2.approved_by == approver


def test_submit_only_after_approval_and_history_records_each_step(firm, officer, approver):
    """SUP 16.34.2R: only an approved version is recorded as submitted to the FCA."""
    load_snapshot(firm, Q1, [position("A", "A1")])
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    rid = v.sup16_return_id
    with pytest.raises(TransitionRefused, match="Only an approved version"):
        return_submit(return_id=rid, version=1, actor=officer, now=NOW)
    return_approve(return_id=rid, version=1, actor=approver, now=NOW)
    with pytest.raises(ValidationFailed):
        return_submit(
            return_id=rid, version=1, actor=officer, now=NOW, submitted_at=london(2028, 5, 1)
        )
    done = return_submit(
        return_id=rid, version=1, actor=officer, now=NOW, submission_reference="RegData-123"
    )
    assert done.status == VersionStatus.SUBMITTED
    assert done.sup16_return.submitted_version_id == done.pk
    reasons = list(
        ReturnVersion.history.filter(id=v.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user_id")
    )
    assert reasons == [
        ("return.compute", officer.pk),
        ("return.approve", approver.pk),
        ("return.submit", officer.pk),
    ]


def test_return_version_status_is_protected_from_direct_assignment(firm, officer):
    """One write path: the status moves only through the version's transitions."""
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    with pytest.raises(AttributeError):
        v.status = VersionStatus.APPROVED
    with pytest.raises(AttributeError):
        ReturnVersion.objects.get(pk=v.pk).status = VersionStatus.SUBMITTED


def test_sup16_34_6r_a_frozen_version_is_never_approved_or_submitted_again(firm, officer, approver):
    """SUP 16.34.6R freezing: an approved version never changes; it only moves on to submitted,
    once. The services refuse the rest, and so does the state machine underneath them."""
    load_snapshot(firm, Q1, [position("A", "A1")])
    v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    rid = v.sup16_return_id
    return_approve(return_id=rid, version=1, actor=approver, now=NOW)
    with pytest.raises(TransitionRefused, match="already Approved") as refused:
        return_approve(return_id=rid, version=1, actor=approver, now=london(2028, 4, 21, 9))
    assert refused.value.code == "invalid_state"
    return_submit(return_id=rid, version=1, actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="already Submitted"):
        return_approve(return_id=rid, version=1, actor=approver, now=NOW)
    with pytest.raises(TransitionRefused, match="is submitted"):
        return_submit(return_id=rid, version=1, actor=officer, now=london(2028, 4, 22, 9))

    frozen = ReturnVersion.objects.get(pk=v.pk)
    assert (frozen.status, frozen.approved_at, frozen.submitted_at) == (
        VersionStatus.SUBMITTED,
        NOW,
        NOW,
    )
    with pytest.raises(TransitionNotAllowed):
        frozen.approve(by=approver, at=NOW)
    with pytest.raises(TransitionNotAllowed):
        frozen.submit(by=officer, at=NOW, reference="again")
    draft = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    with pytest.raises(TransitionNotAllowed):
        draft.submit(by=officer, at=NOW, reference="unapproved")
    assert ReturnVersion.history.filter(id=v.pk).count() == 3  # compute, approve, submit


def test_a_return_is_computed_in_a_constant_number_of_queries(
    firm, officer, django_assert_num_queries
):
    """The same query count for 3 complaints and 40 snapshot rows as for 30 and 400."""

    def build(n: int, as_at: date, start_day: int):
        for i in range(n):
            c = make_complaint(firm=firm, received_at=london(2028, 1 + i % 3, start_day, 10))
            if i % 2:
                uphold(c, london(2028, 3, 25, 10), outcome=Outcome.GOODWILL)
        load_snapshot(
            firm,
            as_at,
            [position(f"C{i // 2}", f"A{i}", vulnerable=i % 5 == 0) for i in range(n * 13)],
        )

    build(3, Q1, 5)
    return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    # 18, 2 giving the compute's bulk statements their settings and handing them back
    # (returns._bulk_settings), and 1 announcing that a draft awaits approval (one
    # outbox INSERT ... ON CONFLICT).
    with django_assert_num_queries(21):
        small = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)

    build(30, date(2028, 6, 30), 6)
    return_compute(firm=firm, period_end=date(2028, 6, 30), actor=officer, now=london(2028, 7, 5))
    with django_assert_num_queries(21):
        big = return_compute(
            firm=firm, period_end=date(2028, 6, 30), actor=officer, now=london(2028, 7, 5)
        )
    assert small.active_clients < big.active_clients


def test_sup_16_34_6r_3_4_nil_declaration_lets_a_firm_with_no_clients_approve_and_submit(
    firm, officer, approver, django_assert_num_queries
):
    """SUP 16.34.6R(3)-(4): a firm with no client arrangements at the period end records an
    explicit, audited nil declaration (no file, no fake row); metrics 3 and 4 are 0 and the
    return can be approved and submitted. Refused without confirmation or before the period
    has ended, with nothing saved; declaring again while it is the latest changes nothing.
    The declaration follows the nil return of the FCA's complaints return (DISP 1 Annex 1R)."""
    from reporting.models import ClientPositionRow, ClientPositionSnapshot
    from reporting.services import snapshot_declare_nil

    def declare(**kw):
        args = {"firm": firm, "as_at": Q1, "confirm": True, "actor": officer, "now": NOW}
        return snapshot_declare_nil(**(args | kw))

    with pytest.raises(ValidationFailed) as refused:
        declare(confirm=False)
    assert set(refused.value.fields) == {"confirm"}
    with pytest.raises(ValidationFailed) as early:
        declare(as_at=date(2028, 6, 30))
    assert set(early.value.fields) == {"as_at"}
    assert not ClientPositionSnapshot.objects.exists()

    # Access, calendar, lock, latest, insert, history (and the savepoint): whatever the firm.
    with django_assert_num_queries(7):
        nil = declare(note="Checked against the ledger by Finance.")
    assert nil.created and nil.snapshot.is_nil and nil.snapshot.row_count == 0
    assert nil.snapshot.nil_statement.endswith("Checked against the ledger by Finance.")
    assert "no client with a qualifying cryptoasset activity arrangement" in (
        nil.snapshot.nil_statement
    )
    assert not ClientPositionRow.objects.exists()
    assert list(nil.snapshot.history.values_list("history_change_reason", "history_user_id")) == [
        ("snapshot.declare_nil", officer.pk)
    ]
    again = declare(now=london(2028, 4, 21, 9))
    assert not again.created and again.snapshot.pk == nil.snapshot.pk

    # As for a loaded file: a first version (the return is created with it) in a fixed count
    # (1 of them announces that the draft awaits approval; 2 give the compute's bulk statements
    # their settings and hand them back, returns._bulk_settings).
    with django_assert_num_queries(22):
        v = return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW)
    assert (v.active_clients, v.vulnerable_active_retail_customers) == (0, 0)
    assert v.snapshot_id == nil.snapshot.pk
    return_approve(return_id=v.sup16_return_id, version=1, actor=approver, now=NOW)
    done = return_submit(return_id=v.sup16_return_id, version=1, actor=approver, now=NOW)
    assert done.status == VersionStatus.SUBMITTED

    # A file loaded later for the same date replaces the declaration; declaring again after it
    # is a new declaration (the latest wins, as with files).
    load_snapshot(firm, Q1, [position("A", "A1")], now=london(2028, 4, 22, 9))
    assert return_compute(firm=firm, period_end=Q1, actor=officer, now=NOW).active_clients == 1
    renewed = declare(now=london(2028, 4, 23, 9))
    assert renewed.created and renewed.snapshot.pk != nil.snapshot.pk
