"""The redress ledger: offered → accepted or declined → paid, evidence, and the overdue flag."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from common.errors import ConflictError, TransitionRefused, ValidationFailed
from complaints import services as cs
from complaints.choices import Outcome
from complaints.models import Complaint
from remediation import selectors, services
from remediation.models import (
    InterestBasis,
    InterestPurpose,
    RedressItem,
    RedressKind,
    RedressStatus,
)
from tests.factories import london

from .conftest import RECEIVED, final, investigating

pytestmark = pytest.mark.django_db

OFFERED = london(2026, 4, 10, 11, 0)
ACCEPTED = london(2026, 4, 14, 9, 30)  # Tue 14 Apr 2026: due 28 days later, Tue 12 May


def data(**kw):
    kw.setdefault("kind", RedressKind.FINANCIAL_LOSS)
    kw.setdefault("amount_gbp", Decimal("1487.25"))
    return services.RedressData(**kw)


@pytest.fixture
def complaint(firm, handler):
    return investigating(firm, handler)


@pytest.fixture
def item(complaint, handler):
    return services.redress_offer(
        complaint_id=complaint.pk, actor=handler, now=OFFERED, data=data()
    )


def test_offer_accept_pay_each_step_is_audited_with_actor_and_reason(item, handler):
    services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    paid = services.redress_pay(
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
    accepted = services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    assert accepted.payment_due_on == date(2026, 5, 12)
    firm.redress_payment_target_days = 14
    firm.save()
    assert RedressItem.objects.get(pk=item.pk).payment_due_on == date(2026, 5, 12)


def test_firm_payment_target_setting_is_used(complaint, firm, handler):
    firm.redress_payment_target_days = 10
    firm.save()
    i = services.redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=data())
    assert services.redress_accept(item_id=i.pk, actor=handler, now=ACCEPTED).payment_due_on == (
        date(2026, 4, 24)
    )


def test_disp_1_4_1r_5_accepted_unpaid_redress_is_overdue_after_the_target(item, handler, firm):
    services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    complaints = Complaint.objects.filter(firm=firm)
    # On the due date itself it is not overdue; the day after, it is.
    assert not selectors.overdue_redress(complaints, date(2026, 5, 12)).exists()
    assert list(selectors.overdue_redress(complaints, date(2026, 5, 13))) == [item]
    services.redress_pay(
        item_id=item.pk, actor=handler, now=london(2026, 5, 14, 9), payment_reference="FPS-1"
    )
    assert not selectors.overdue_redress(complaints, date(2026, 5, 13)).exists()


def test_overdue_flag_is_visible_on_the_ledger_page(item, handler, supervisor, client):
    services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    client.force_login(supervisor)
    with time_machine.travel(london(2026, 5, 12, 12), tick=False):
        page = client.get("/remediation/redress/?overdue=1").content.decode()
        assert "Nothing here." in page
    with time_machine.travel(london(2026, 5, 13, 9), tick=False):
        page = client.get("/remediation/redress/?overdue=1").content.decode()
        assert "rem-flag--overdue" in page and item.complaint.reference in page
        panel = client.get(f"/remediation/complaints/{item.complaint_id}/").content.decode()
        assert "Payment overdue" in panel


def test_declined_redress_cannot_then_be_paid(item, handler):
    services.redress_decline(item_id=item.pk, actor=handler, now=ACCEPTED, reason="Too low")
    with pytest.raises(ConflictError) as exc:
        services.redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="x")
    assert exc.value.code == "invalid_state"


def test_offered_redress_cannot_be_paid_before_acceptance(item, handler):
    with pytest.raises(ConflictError):
        services.redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED, payment_reference="x")


def test_payment_needs_a_reference(item, handler):
    services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    with pytest.raises(ValidationFailed) as exc:
        services.redress_pay(item_id=item.pk, actor=handler, now=ACCEPTED)
    assert "payment_reference" in exc.value.fields
    assert RedressItem.objects.get(pk=item.pk).status == RedressStatus.ACCEPTED


def test_stale_version_is_refused(item, handler):
    services.redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED, expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.redress_pay(
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
        services.redress_offer(
            complaint_id=complaint.pk, actor=handler, now=OFFERED, data=data(**kw)
        )
    assert field in exc.value.fields
    assert not RedressItem.objects.exists()


def test_crypto_loss_keeps_its_valuation_evidence(complaint, handler):
    i = services.redress_offer(
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
        i = services.redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
        assert i.interest_basis == basis and i.interest_purpose == InterestPurpose.DEPRIVATION
    else:
        with pytest.raises(ValidationFailed) as exc:
            services.redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
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
        services.redress_offer(
            complaint_id=complaint.pk,
            actor=handler,
            now=OFFERED,
            data=data(interest_basis=InterestBasis.BOE_PLUS_1, **d),
        )
    services.redress_offer(
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
        services.redress_offer(complaint_id=complaint.pk, actor=handler, now=OFFERED, data=d)
    assert "interest_direction" in exc.value.fields


def test_no_new_redress_on_a_closed_complaint(complaint, handler):
    final(complaint, handler, Outcome.NOT_UPHELD)
    cs.complaint_close(complaint_id=complaint.pk, actor=handler, now=RECEIVED + timedelta(days=12))
    with pytest.raises(TransitionRefused) as exc:
        services.redress_offer(
            complaint_id=complaint.pk, actor=handler, now=RECEIVED + timedelta(days=13), data=data()
        )
    assert exc.value.code == "redress_on_closed_complaint"
