"""The redress ledger: offered → accepted or declined → paid, evidence, and the overdue flag."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from common.errors import ConflictError, TransitionRefused, ValidationFailed
from complaints import services as cs
from complaints.choices import Outcome
from complaints.models import Complaint
from remediation import selectors
from remediation.models import (
    InterestBasis,
    InterestPurpose,
    RedressItem,
    RedressKind,
    RedressStatus,
)
from remediation.services.redress import (
    RedressData,
    redress_accept,
    redress_decline,
    redress_offer,
    redress_pay,
)
from tests.factories import london

from ..conftest import ACCEPTED, OFFERED, RECEIVED, final

pytestmark = pytest.mark.django_db


def data(**kw):
    kw.setdefault("kind", RedressKind.FINANCIAL_LOSS)
    kw.setdefault("amount_gbp", Decimal("1487.25"))
    return RedressData(**kw)


def test_offer_accept_pay_each_step_is_audited_with_actor_and_reason(item, handler):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    paid = redress_pay(
        item_id=item.pk, actor=handler, now=ACCEPTED + timedelta(days=3), payment_reference="FPS-9"
    )
    assert paid.status == RedressStatus.PAID and paid.paid_at == ACCEPTED + timedelta(days=3)
    reasons = list(
        RedressItem.history.filter(id=item.pk)
        .order_by("history_date")
        .values_list("history_change_reason", "status", "history_user_id")
    )
    assert reasons == [
        ("redress.offer", "offered", handler.pk),
        ("redress.accept", "accepted", handler.pk),
        ("redress.pay", "paid", handler.pk),
    ]


def test_disp_1_4_1r_5_payment_due_is_fixed_at_acceptance_from_the_firm_target(item, firm, handler):
    accepted = redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    assert accepted.payment_due_on == date(2026, 5, 12)
    firm.redress_payment_target_days = 14
    firm.save()
    assert RedressItem.objects.get(pk=item.pk).payment_due_on == date(2026, 5, 12)


def test_firm_payment_target_setting_is_used(complaint, firm, handler):
    firm.redress_payment_target_days = 10
    firm.save()
    i = redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=data())
    assert redress_accept(item_id=i.pk, actor=handler, now=ACCEPTED).payment_due_on == (
        date(2026, 4, 24)
    )


def test_disp_1_4_1r_5_accepted_unpaid_redress_is_overdue_after_the_target(item, handler, firm):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    complaints = Complaint.objects.filter(firm=firm)
    # On the due date itself it is not overdue; the day after, it is.
    assert not selectors.overdue_redress(complaints, date(2026, 5, 12)).exists()
    assert list(selectors.overdue_redress(complaints, date(2026, 5, 13))) == [item]
    redress_pay(
        item_id=item.pk, actor=handler, now=london(2026, 5, 14, 9), payment_reference="FPS-1"
    )
    assert not selectors.overdue_redress(complaints, date(2026, 5, 13)).exists()


def test_declined_redress_cannot_then_be_paid(item, handler):
    redress_decline(item_id=item.pk, actor=handler, now=ACCEPTED, reason="Too low")
    with pytest.raises(ConflictError) as exc:
        redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="x")
    assert exc.value.code == "invalid_state"


def test_offered_redress_cannot_be_paid_before_acceptance(item, handler):
    with pytest.raises(ConflictError):
        redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="x")


def test_payment_needs_a_reference(item, handler):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    with pytest.raises(ValidationFailed) as exc:
        redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED)
    assert "payment_reference" in exc.value.fields
    assert RedressItem.objects.get(pk=item.pk).status == RedressStatus.ACCEPTED


def test_stale_version_is_refused(item, handler):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED, expected_version=1)
    with pytest.raises(ConflictError) as exc:
        redress_pay(
            item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="x", expected_version=1
        )
    assert exc.value.code == "stale_version"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount_gbp": None}, "amount_gbp"),
        ({"amount_gbp": Decimal("-1")}, "amount_gbp"),
        ({"amount_gbp": Decimal("1.234")}, "amount_gbp"),
        ({"kind": RedressKind.REMEDIAL_ACTION, "amount_gbp": None}, "description"),
        ({"asset": "BTC"}, "quantity"),
        (
            {"asset": "BTC", "quantity": Decimal("0.1"), "valuation_date": date(2026, 4, 1)},
            "price_source",
        ),
        ({"kind": RedressKind.INTEREST}, "interest_basis"),
        ({"kind": "refund"}, "kind"),
    ],
)
def test_bad_redress_input_names_the_field_and_saves_nothing(complaint, handler, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=data(**kw))
    assert field in exc.value.fields
    assert not RedressItem.objects.exists()


def test_crypto_loss_keeps_its_valuation_evidence(complaint, handler):
    i = redress_offer(
        complaint_id=complaint.pk,
        actor=handler,
        now=OFFERED,
        data=data(
            asset="btc",
            quantity=Decimal("0.05"),
            valuation_date=date(2026, 3, 14),
            unit_price_gbp=Decimal("68250"),
            price_source="Firm order book mid, 14 Mar 2026 18:00",
            amount_gbp=Decimal("3412.50"),
        ),
    )
    i.refresh_from_db()
    assert (i.asset, i.quantity, i.valuation_date) == ("BTC", Decimal("0.05"), date(2026, 3, 14))
    assert i.crypto_value_gbp == Decimal("3412.50")


@pytest.mark.parametrize(
    ("referred", "basis", "ok"),
    [
        # disp-rules E51: referral 20 Dec 2025 → 8% simple; 5 Jan 2026 → BoE base + 1%.
        (date(2025, 12, 20), InterestBasis.SIMPLE_8, True),
        (date(2025, 12, 20), InterestBasis.BOE_PLUS_1, False),
        (date(2026, 1, 5), InterestBasis.BOE_PLUS_1, True),
        (date(2026, 1, 5), InterestBasis.SIMPLE_8, False),
    ],
)
def test_e51_interest_basis_follows_the_fos_referral_date(complaint, handler, referred, basis, ok):
    d = data(
        kind=RedressKind.INTEREST,
        amount_gbp=Decimal("41.20"),
        interest_basis=basis,
        interest_from=date(2025, 11, 1),
        interest_to=date(2026, 4, 1),
        fos_referred_on=referred,
    )
    if ok:
        i = redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
        assert i.interest_basis == basis and i.interest_purpose == InterestPurpose.DEPRIVATION
    else:
        with pytest.raises(ValidationFailed) as exc:
            redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
        assert "interest_basis" in exc.value.fields


def test_e51_late_payment_of_an_award_is_8pc_simple(complaint, handler):
    d = dict(
        kind=RedressKind.INTEREST,
        amount_gbp=Decimal("12.00"),
        interest_purpose=InterestPurpose.LATE_PAYMENT,
        interest_from=date(2026, 2, 1),
        fos_referred_on=date(2026, 1, 5),
    )
    with pytest.raises(ValidationFailed):
        redress_offer(
            complaint_id=complaint.pk,
            actor=handler,
            now=OFFERED,
            data=data(interest_basis=InterestBasis.BOE_PLUS_1, **d),
        )
    redress_offer(
        complaint_id=complaint.pk,
        actor=handler,
        now=OFFERED,
        data=data(interest_basis=InterestBasis.SIMPLE_8, **d),
    )


def test_as_directed_interest_needs_the_direction(complaint, handler):
    d = data(
        kind=RedressKind.INTEREST,
        interest_basis=InterestBasis.AS_DIRECTED,
        interest_from=date(2026, 2, 1),
    )
    with pytest.raises(ValidationFailed) as exc:
        redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
    assert "interest_direction" in exc.value.fields


def test_no_new_redress_on_a_closed_complaint(complaint, handler):
    final(complaint, handler, Outcome.NOT_UPHELD)
    cs.complaint_close(complaint_id=complaint.pk, actor=handler, now=RECEIVED + timedelta(days=12))
    with pytest.raises(TransitionRefused) as exc:
        redress_offer(
            complaint_id=complaint.pk, actor=handler, now=RECEIVED + timedelta(days=13), data=data()
        )
    assert exc.value.code == "redress_on_closed_complaint"


def _bring_to(item, handler, status):
    """Move the offered ``item`` to ``status`` through the services."""
    if status in (RedressStatus.ACCEPTED, RedressStatus.PAID):
        redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    if status == RedressStatus.PAID:
        redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="FPS-1")
    if status == RedressStatus.DECLINED:
        redress_decline(item_id=item.pk, actor=handler, now=ACCEPTED)


def _step(step, item, handler):
    kwargs = {"item_id": item.pk, "actor": handler, "now": ACCEPTED}
    if step == "accept":
        return redress_accept(**kwargs)
    if step == "decline":
        return redress_decline(**kwargs)
    return redress_pay(payment_reference="FPS-2", **kwargs)


ALLOWED_STEPS = {
    RedressStatus.OFFERED: {"accept", "decline"},
    RedressStatus.ACCEPTED: {"pay"},
    RedressStatus.DECLINED: set(),
    RedressStatus.PAID: set(),
}


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (s, step)
        for s in RedressStatus.values
        for step in ("accept", "decline", "pay")
        if step not in ALLOWED_STEPS[s]
    ],
)
def test_each_step_outside_the_ledger_table_is_refused_and_changes_nothing(
    item, handler, status, step
):
    _bring_to(item, handler, status)
    before = RedressItem.objects.get(pk=item.pk)
    entries = RedressItem.history.filter(id=item.pk).count()
    with pytest.raises(ConflictError) as exc:
        _step(step, item, handler)
    assert exc.value.code == "invalid_state" and exc.value.extra["status"] == status
    after = RedressItem.objects.get(pk=item.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert RedressItem.history.filter(id=item.pk).count() == entries


def test_disp_1_4_1r_5_accepted_redress_cannot_be_declined(item, handler):
    """Once accepted, the offer must be complied with (paid), not turned down after all."""
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    with pytest.raises(ConflictError) as exc:
        redress_decline(item_id=item.pk, actor=handler, now=ACCEPTED)
    assert exc.value.message == "This redress is accepted, not offered."


def test_disp_1_4_1r_5_paid_redress_cannot_be_paid_again(item, handler):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="FPS-1")
    with pytest.raises(ConflictError) as exc:
        redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="FPS-1")
    assert exc.value.message == "This redress is paid / completed, not accepted."
    assert RedressItem.objects.get(pk=item.pk).payment_reference == "FPS-1"
