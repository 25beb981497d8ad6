"""SUP 16.34.6R counting rules (CP26/4 Annex 6): E44–E48 and the cases around them."""

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from complaints import services
from complaints.choices import Activity, Outcome
from complaints.models import FirmActivity
from reporting import selectors
from reporting.choices import Metric
from reporting.models import ReturnItem
from reporting.services import return_compute
from tests.factories import ComplainantFactory, FirmFactory, london, make_complaint
from tests.reporting.helpers import load_snapshot, position, uphold

pytestmark = pytest.mark.django_db

Q1 = date(2028, 3, 31)
Q2 = date(2028, 6, 30)
AFTER_Q2 = london(2028, 7, 3, 9)


def compute(firm, period_end, actor=None, now=AFTER_Q2, **kw):
    return return_compute(firm=firm, period_end=period_end, actor=actor, now=now, **kw)


def items(version, metric):
    """What the drill-down lists behind a figure: stored items, or metric 3's active clients of
    the version's snapshot (``ActiveClient``, not copied per version)."""
    if metric == Metric.ACTIVE_CLIENTS:
        rows = selectors.active_clients_after(version, "", 10_000)
        return {(r.complaint_reference, r.client_id) for r in rows}
    return set(
        ReturnItem.objects.filter(version=version, metric=metric).values_list(
            "complaint_reference", "client_id"
        )
    )


@pytest.fixture
def dec_firm(db):
    return FirmFactory(accounting_reference_month=12, accounting_reference_day=31)


def test_sup_16_34_6r_e44_upheld_counts_in_the_period_it_was_upheld_cohort_beside_it(dec_firm):
    """E44/A9: received 30 Mar 2028, upheld 10 Apr 2028: metric 1 in Q1; metric 2 in Q2 under
    the rule text (default); the Annex 6 cohort reading would put it in Q1."""
    c = make_complaint(firm=dec_firm, received_at=london(2028, 3, 30, 11))
    uphold(c, london(2028, 4, 10, 15))

    q1 = compute(dec_firm, Q1)
    assert (q1.complaints_received, q1.complaints_upheld) == (1, 0)
    assert q1.complaints_upheld_cohort == 1
    assert q1.upheld_basis == "event"
    q2 = compute(dec_firm, Q2)
    assert (q2.complaints_received, q2.complaints_upheld, q2.complaints_upheld_cohort) == (0, 1, 0)
    assert items(q2, Metric.UPHELD) == {(c.reference, "")}

    with override_settings(SUP16_UPHELD_BASIS="cohort"):
        cohort = compute(dec_firm, Q1)
    assert (cohort.upheld_basis, cohort.complaints_upheld) == ("cohort", 1)


def test_annex_6_metric_1_e45_withdrawn_complaint_still_counted_as_received(firm):
    c = make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    services.complaint_withdraw(complaint_id=c.pk, actor=None, now=london(2028, 2, 20, 10))
    v = compute(firm, Q1)
    assert (v.complaints_received, v.complaints_upheld, v.complaints_upheld_cohort) == (1, 0, 0)


@pytest.mark.parametrize(
    ("outcome", "counted"),
    [
        (Outcome.UPHELD, 1),
        (Outcome.PARTIALLY_UPHELD, 1),
        (Outcome.GOODWILL, 1),
        (Outcome.NOT_UPHELD, 0),
    ],
)
def test_annex_6_metric_2_e46_partly_upheld_and_goodwill_count_as_upheld(firm, outcome, counted):
    c = make_complaint(firm=firm, received_at=london(2028, 1, 10, 10))
    uphold(c, london(2028, 2, 1, 10), outcome=outcome)
    v = compute(firm, Q1)
    assert v.complaints_upheld == counted
    assert v.complaints_upheld_cohort == counted


def test_sup_16_34_6r_2_reopening_does_not_erase_an_uphold_from_an_earlier_period(dec_firm):
    """SUP 16.34.6R(2) reads the outcome history, not the current outcome: a complaint upheld in
    Q1, then reopened and answered "not upheld" in Q2, was still upheld by the firm during Q1
    (both A9 readings); Q2 does not count it. One upheld again after reopening counts in each
    period an uphold was given, once per period."""
    firm = dec_firm
    reversed_later = make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
    upheld_twice = make_complaint(firm=firm, received_at=london(2028, 2, 2, 10))
    for c in (reversed_later, upheld_twice):
        uphold(c, london(2028, 3, 1, 10))
        services.complaint_reopen(
            complaint_id=c.pk, actor=None, now=london(2028, 4, 10, 10), reason="New evidence"
        )
    for c, outcome in ((reversed_later, Outcome.NOT_UPHELD), (upheld_twice, Outcome.UPHELD)):
        services.complaint_send_final_response(
            complaint_id=c.pk,
            actor=None,
            now=london(2028, 5, 2, 10),
            outcome=outcome,
            sent_at=london(2028, 5, 2, 10),
            summary="Reconsidered with the new evidence; the fee point stands as before.",
        )
    q1 = compute(firm, Q1)
    both = {(reversed_later.reference, ""), (upheld_twice.reference, "")}
    assert (q1.complaints_upheld, q1.complaints_upheld_cohort) == (2, 2)
    assert items(q1, Metric.UPHELD) == both and items(q1, Metric.UPHELD_COHORT) == both
    q2 = compute(firm, Q2)
    assert items(q2, Metric.UPHELD) == {(upheld_twice.reference, "")}
    assert (q2.complaints_received, q2.complaints_upheld_cohort) == (0, 0)


def test_annex_6_summary_resolution_upheld_counts_like_a_final_response(firm):
    c = make_complaint(firm=firm, received_at=london(2028, 1, 10, 10))
    services.complaint_resolve_summary(
        complaint_id=c.pk, actor=None, now=london(2028, 1, 11, 10), outcome=Outcome.UPHELD
    )
    assert compute(firm, Q1).complaints_upheld == 1


def test_glossary_e47_feedback_and_queries_count_in_neither_metric(firm):
    make_complaint(
        firm=firm,
        received_at=london(2028, 1, 10, 10),
        alleged_financial_loss=False,
        description="Just letting you know the app layout changed.",
    )
    v = compute(firm, Q1)
    assert (v.complaints_received, v.complaints_upheld) == (0, 0)
    assert v.exclusions[Metric.EXCLUDED_FEEDBACK] == 1
    assert len(items(v, Metric.EXCLUDED_FEEDBACK)) == 1


def test_disp_1_10_1b_only_crypto_complaints_from_a_uk_establishment_are_counted(db):
    """DISP 1.10.1: only relevant complaints are counted.
    A11: non-crypto activity and an activity carried on from outside the UK are tagged and
    left out."""
    firm = FirmFactory(activities=[Activity.OPERATING_CATP])
    FirmActivity.objects.create(
        firm=firm, activity=Activity.LENDING_BORROWING, from_uk_establishment=False
    )
    at = london(2028, 2, 3, 10)
    counted = make_complaint(firm=firm, received_at=at, activity=Activity.OPERATING_CATP)
    make_complaint(firm=firm, received_at=at, activity=Activity.OTHER)
    make_complaint(firm=firm, received_at=at, activity=Activity.LENDING_BORROWING)
    v = compute(firm, Q1)
    assert v.complaints_received == 1
    assert items(v, Metric.RECEIVED) == {(counted.reference, "")}
    assert {k: n for k, n in v.exclusions.items() if n} == {
        Metric.EXCLUDED_NON_CRYPTO: 1,
        Metric.EXCLUDED_NON_UK: 1,
    }
    assert v.flags == {Metric.FLAG_UNLISTED_ACTIVITY: 0}


def test_sup_16_34_6r_1_unlisted_cryptoasset_activity_is_counted_and_flagged(db):
    """SUP 16.34.6R(1)-(2): a complaint about a cryptoasset activity the firm has not listed is
    still a complaint received (and upheld): it counts, as the letters treat it (FOS access is
    not denied by default), and is flagged for the reporting officer instead of dropping out."""
    firm = FirmFactory(activities=[Activity.OPERATING_CATP])
    listed = make_complaint(
        firm=firm, received_at=london(2028, 2, 3, 10), activity=Activity.OPERATING_CATP
    )
    unlisted = make_complaint(
        firm=firm, received_at=london(2028, 2, 4, 10), activity=Activity.STAKING
    )
    uphold(unlisted, london(2028, 3, 1, 10))
    v = compute(firm, Q1)
    assert (v.complaints_received, v.complaints_upheld, v.complaints_upheld_cohort) == (2, 1, 1)
    assert items(v, Metric.RECEIVED) == {(listed.reference, ""), (unlisted.reference, "")}
    assert v.flags == {Metric.FLAG_UNLISTED_ACTIVITY: 1}
    assert items(v, Metric.FLAG_UNLISTED_ACTIVITY) == {(unlisted.reference, "")}
    assert not any(v.exclusions.values())


def test_period_boundaries_use_europe_london_dates(firm):
    """00:30 BST on 1 Apr 2028 is still 31 Mar in UTC: it belongs to Q2, not Q1; 23:30 on 31 Mar
    (22:30 UTC) belongs to Q1."""
    make_complaint(firm=firm, received_at=london(2028, 4, 1, 0, 30))
    late = make_complaint(firm=firm, received_at=london(2028, 3, 31, 23, 30))
    q1 = compute(firm, Q1)
    assert items(q1, Metric.RECEIVED) == {(late.reference, "")}
    assert compute(firm, Q2).complaints_received == 1


def test_annex_6_metric_3_e48_active_clients_counted_once(firm):
    """E48: A has 3 funded arrangements; B holds only fiat pending withdrawal; C has a zero
    balance; D is a test account; E has only a pending closure with no assets: metric 3 = 2."""
    load_snapshot(
        firm,
        Q1,
        [
            position("A", "A1"),
            position("A", "A2", balance="0.5"),
            position("A", "A3", activity="safeguarding"),
            position("B", "B1", balance="250.00"),  # fiat pending withdrawal is still funds
            position("C", "C1", balance="0"),
            position("D", "D1", test=True),
            position("E", "E1", status="pending_closure", balance="0"),
        ],
    )
    v = compute(firm, Q1)
    assert v.active_clients == 2
    assert items(v, Metric.ACTIVE_CLIENTS) == {("", "A"), ("", "B")}


def test_annex_6_metric_3_pending_closure_closed_and_non_crypto_arrangements_never_active(firm):
    load_snapshot(
        firm,
        Q1,
        [
            position("P", "P1", status="pending_closure", balance="10"),
            position("X", "X1", status="closed", balance="5"),
            position("N", "N1", activity="other", balance="5"),
            position("M", "M1", status="pending_closure", balance="10"),
            position("M", "M2", balance="3.20"),
        ],
    )
    v = compute(firm, Q1)
    assert items(v, Metric.ACTIVE_CLIENTS) == {("", "M")}


def test_sup_16_34_6r_3_4_negative_balance_is_imported_but_not_active(firm):
    """SUP 16.34.6R(3)-(4), "as at the end of the reporting period": a negative balance (an
    overdrawn or debit position) is accepted at import and counted as not active, because
    Annex 6 leaves out clients with no funds or cryptoassets held with the firm at period end.
    A client with a negative and a funded arrangement is still active through the funded one."""
    snapshot = load_snapshot(
        firm,
        Q1,
        [
            position("D", "D1", balance="-3.20", vulnerable=True),
            position("F", "F1", balance="-1250.00"),
            position("F", "F2", balance="0.01"),
        ],
    )
    assert snapshot.row_count == 3
    v = compute(firm, Q1)
    assert items(v, Metric.ACTIVE_CLIENTS) == {("", "F")}
    assert (v.active_clients, v.vulnerable_active_retail_customers) == (1, 0)


def test_annex_6_metric_4_vulnerable_active_retail_from_ledger_or_linked_complainant(firm):
    ComplainantFactory(firm=firm, client_reference="L", vulnerable_health=True)
    ComplainantFactory(firm=firm, client_reference="NOTV")  # linked but not vulnerable
    other = FirmFactory()
    ComplainantFactory(firm=other, client_reference="O", vulnerable_capability=True)
    load_snapshot(
        firm,
        Q1,
        [
            position("V", "V1", vulnerable=True),
            position("V", "V2", vulnerable=True),  # counted once
            position("L", "L1"),  # vulnerable through the linked complainant
            position("NOTV", "N1"),
            position("O", "O1"),  # another firm's complainant does not count
            position("W", "W1", vulnerable=True, retail=False),  # not retail
            position("Z", "Z1", vulnerable=True, balance="0"),  # not active
            position("T", "T1", vulnerable=True, test=True),  # test account
            position("S", "S1"),
            position("S", "S2", vulnerable=True, status="closed", balance="0"),
        ],
    )
    v = compute(firm, Q1)
    assert items(v, Metric.VULNERABLE_CLIENTS) == {("", "V"), ("", "L"), ("", "S")}
    assert v.vulnerable_active_retail_customers == 3
    assert v.active_clients == 6  # V, L, NOTV, O, W, S


def test_sup_16_34_6r_4_vulnerability_first_recorded_after_the_period_end_does_not_count(firm):
    """SUP 16.34.6R(4), as at the end of the reporting period: a linked complainant counts as
    identified vulnerable only if that was recorded by the period end (the complainant's audited
    history, not the record today). Recorded after: not counted for that period (it counts for
    the next). Recorded before and removed after: still counted for that period."""
    from common.audit import save_audited, snapshot
    from complaints.services import ComplainantData, complainant_create

    def create(ref: str, at, **flags):
        with time_machine.travel(at, tick=False):
            return complainant_create(
                firm=firm,
                actor=None,
                data=ComplainantData(
                    name=ref, client_reference=ref, vulnerability_consent=True, **flags
                ),
            )

    def edit(person, at, **flags):
        with time_machine.travel(at, tick=False):
            before = snapshot(person)
            for name, value in flags.items():
                setattr(person, name, value)
            save_audited(person, actor=None, reason="complainant.update", before=before)

    create("BEFORE", london(2028, 3, 31, 23, 30), vulnerable_health=True)
    create("LOGGED_LATER", london(2028, 4, 1, 0, 30), vulnerable_life_events=True)
    edit(
        create("ADDED_LATER", london(2028, 2, 1, 9)),
        london(2028, 4, 2, 9),
        vulnerable_resilience=True,
    )
    edit(
        create("REMOVED_LATER", london(2028, 2, 1, 9), vulnerable_capability=True),
        london(2028, 4, 2, 9),
        vulnerable_capability=False,
        vulnerability_support_needs=False,
    )
    refs = ["BEFORE", "LOGGED_LATER", "ADDED_LATER", "REMOVED_LATER"]
    rows = [position(ref, f"{ref}-1") for ref in refs]
    load_snapshot(firm, Q1, rows)
    load_snapshot(firm, Q2, rows)
    q1 = compute(firm, Q1)
    assert items(q1, Metric.VULNERABLE_CLIENTS) == {("", "BEFORE"), ("", "REMOVED_LATER")}
    assert q1.vulnerable_active_retail_customers == 2
    q2 = compute(firm, Q2)
    assert items(q2, Metric.VULNERABLE_CLIENTS) == {
        ("", "BEFORE"),
        ("", "LOGGED_LATER"),
        ("", "ADDED_LATER"),
    }


def test_sup_16_34_6r_3_4_a12_stablecoin_only_issuer_reports_no_client_figures(db):
    firm = FirmFactory(stablecoin_issuer_only=True, activities=[Activity.ISSUING_STABLECOIN])
    make_complaint(firm=firm, received_at=london(2028, 1, 5, 10), activity="issuing_stablecoin")
    load_snapshot(firm, Q1, [position("A", "A1", activity="issuing_stablecoin")])
    v = compute(firm, Q1)
    assert v.complaints_received == 1
    assert v.active_clients is None and v.vulnerable_active_retail_customers is None
    assert v.exempt_client_metrics and v.snapshot_id is None


def test_client_figures_are_null_until_a_snapshot_is_loaded_and_use_the_latest_one(firm):
    assert compute(firm, Q1).active_clients is None
    load_snapshot(firm, Q1, [position("A", "A1")])
    load_snapshot(firm, Q1, [position("A", "A1"), position("B", "B1")], now=london(2028, 7, 2, 10))
    assert compute(firm, Q1).active_clients == 2


def test_a_return_needs_a_reference_date_that_has_passed(firm):
    from common.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="not a reporting reference date"):
        compute(firm, date(2028, 3, 30))
    with pytest.raises(ValidationFailed, match="has not ended"):
        compute(firm, Q2, now=london(2028, 6, 30, 18))
