"""The FOS referral's professional-representative flag comes from the representative who
brought the case: the FOS charges professional representatives (claims management companies and
legal professionals) from 1 April 2025, and a case they bring that is not upheld costs the firm
the reduced fee (disp-rules.md §4.2, E49; fos.fees)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from common.errors import ValidationFailed
from complaints.services import Authority, RepresentativeData, representative_add
from fos import services
from fos.fees import fee_for
from fos.models import Referral
from tests.factories import london, make_complaint
from tests.fos.helpers import act, at, log, responded_complaint

pytestmark = pytest.mark.django_db

LOA = Authority(document="Letter of authority", received_on=date(2025, 4, 8))


def _rep(complaint, actor, kind: str, reference: str = "FRN 830000"):
    return representative_add(
        complaint_id=complaint.pk,
        actor=actor,
        now=at(date(2025, 4, 9)),
        data=RepresentativeData(
            kind=kind,
            name="ClaimRight Ltd" if kind == "claims_manager" else "Sam Bloggs",
            email="cases@claimright.example",
            regulator_reference=reference,
            authority=LOA,
        ),
    )


def _fourth_case_not_upheld(firm, handler, kind: str) -> Referral:
    """Three free cases first, then one brought by a ``kind`` representative, not upheld."""
    for day in (date(2025, 5, 1), date(2025, 5, 2), date(2025, 5, 3)):
        c = responded_complaint(firm=firm, actor=handler, received=london(2025, 4, 7, 10))
        referral = log(c, handler, referred_on=date(2025, 5, 1))
        services.referral_set_chargeable_date(
            referral_id=referral.pk, actor=handler, now=at(day), chargeable_on=day, note="invoice"
        )
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 4, 7, 10))
    rep = _rep(c, handler, kind)
    referral = log(c, handler, referred_on=date(2025, 5, 1), representative_id=rep.pk)
    referral = act(referral, "start_investigation", on=date(2025, 5, 2), actor=handler)
    referral = act(referral, "issue_view", on=date(2025, 5, 3), actor=handler, outcome="not_upheld")
    return services.referral_set_chargeable_date(
        referral_id=referral.pk,
        actor=handler,
        now=at(date(2025, 6, 1)),
        chargeable_on=date(2025, 6, 1),
        note="invoice",
    )


def test_fos_fees_case_brought_by_a_claims_manager_is_a_professional_representative_case(
    firm, handler
):
    referral = _fourth_case_not_upheld(firm, handler, "claims_manager")
    assert referral.is_prof_rep and referral.representative_name == "ClaimRight Ltd"
    assert referral.representative is not None
    line = fee_for(referral)
    assert line is not None and line.fee == Decimal("475")
    assert line.basis == "Professional representative, not upheld: reduced fee"


def test_fos_fees_case_brought_by_a_trusted_person_is_not_a_professional_representative_case(
    firm, handler
):
    referral = _fourth_case_not_upheld(firm, handler, "trusted_person")
    assert not referral.is_prof_rep
    line = fee_for(referral)
    assert line is not None and line.fee == Decimal("650")


def test_fos_referral_refuses_another_complainants_representative(firm, handler):
    mine = responded_complaint(firm=firm, actor=handler, received=london(2025, 4, 7, 10))
    theirs = make_complaint(firm=firm, received_at=london(2025, 4, 7, 10), actor=handler)
    rep = _rep(theirs, handler, "claims_manager")
    with pytest.raises(ValidationFailed) as exc:
        log(mine, handler, referred_on=date(2025, 5, 1), representative_id=rep.pk)
    assert "representative_id" in exc.value.fields


def test_fos_log_page_takes_the_representative_who_brought_the_case(client, firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    rep = _rep(c, handler, "claims_manager")
    client.force_login(handler)
    url = reverse("fos:log", args=[c.pk])
    assert "ClaimRight Ltd (Claims management company)" in client.get(url).content.decode()
    client.post(
        url,
        {"referred_on": "2026-01-10", "referred_by": "complainant", "representative_id": rep.pk},
    )
    referral = Referral.objects.get()
    assert referral.is_prof_rep and referral.representative == rep
