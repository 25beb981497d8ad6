from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command

from fos.choices import Stage
from fos.fees import firm_ledger
from fos.models import FosAwardLimit, FosDeadline, FosFeeSchedule, Referral, ReferralStage

pytestmark = pytest.mark.django_db


def test_demo_has_referrals_at_several_stages_an_award_and_a_year_boundary():
    # Demo dates are relative to today: pin today so the year boundary is always inside.
    with time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=UTC), tick=False):
        call_command("load_demo_data", verbosity=0)
    stages = set(Referral.objects.values_list("stage", flat=True))
    assert {
        Stage.REFERRED,
        Stage.REFERRED_BACK_TO_FIRM,
        Stage.INVESTIGATION,
        Stage.INVESTIGATOR_VIEW_ISSUED,
        Stage.FINAL_DECISION,
        Stage.ACCEPTED,
        Stage.COMPLIED,
    } <= stages
    assert Referral.objects.filter(award_amount__isnull=False).exists()
    assert FosDeadline.objects.filter(done_at__isnull=True).exists()
    firm_id = Referral.objects.values_list("firm_id", flat=True).first()
    years = firm_ledger(firm_id)
    assert len(years) >= 2, "the demo ledger crosses a FOS financial-year boundary"
    assert any(not line.free for y in years for line in y.lines)
    count = Referral.objects.count()
    call_command("load_demo_data", verbosity=0)
    assert Referral.objects.count() == count


def test_admin_registers_fos_models_and_fee_schedules_are_editable(admin_client):
    for model in (FosFeeSchedule, FosAwardLimit, Referral, ReferralStage, FosDeadline):
        if model is not ReferralStage:
            assert model in admin.site._registry, model
    schedule = FosFeeSchedule.objects.get(financial_year=2026)
    url = f"/admin/fos/fosfeeschedule/{schedule.pk}/change/"
    response = admin_client.post(
        url,
        {
            "financial_year": 2026,
            "free_cases": 3,
            "standard_fee": "680.00",
            "prof_rep_not_upheld_fee": "490.00",
            "confirmed": "on",
            "note": "Confirmed by the FOS plan and budget 2026/27.",
        },
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.confirmed and schedule.history.first().history_change_reason == (
        "fos.fee_schedule_edit"
    )
    # Referrals change only through services.
    assert admin_client.post("/admin/fos/referral/add/", {}).status_code == 403
