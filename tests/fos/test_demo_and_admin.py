import pytest
from django.contrib import admin

from fos.models import FosAwardLimit, FosDeadline, FosFeeSchedule, Referral, ReferralStage

pytestmark = pytest.mark.django_db


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
