from django.contrib import admin

from common.admin_mixins import ReadOnlyHistoryAdmin, ReadOnlyTabularInline, ServiceOnlyAdmin
from common.audit import save_audited

from .models import FosAwardLimit, FosDeadline, FosFeeSchedule, Referral, ReferralStage


@admin.register(FosFeeSchedule)
class FosFeeScheduleAdmin(ReadOnlyHistoryAdmin):
    """Fee figures are data the FOS changes each year: editable, with history."""

    list_display = (
        "label",
        "free_cases",
        "standard_fee",
        "prof_rep_not_upheld_fee",
        "confirmed",
    )
    list_filter = ("confirmed",)

    def save_model(self, request, obj, form, change):
        save_audited(obj, actor=request.user, reason="fos.fee_schedule_edit")


@admin.register(FosAwardLimit)
class FosAwardLimitAdmin(ReadOnlyHistoryAdmin):
    list_display = ("effective_from", "limit_post_2019_acts", "limit_pre_2019_acts", "verified")
    list_filter = ("verified",)

    def save_model(self, request, obj, form, change):
        save_audited(obj, actor=request.user, reason="fos.award_limit_edit")


class ReferralStageInline(ReadOnlyTabularInline):
    model = ReferralStage
    fields = ("entered_on", "stage", "action", "recorded_by", "note")


@admin.register(Referral)
class ReferralAdmin(ServiceOnlyAdmin):
    list_display = (
        "__str__",
        "firm",
        "complaint",
        "referred_on",
        "stage",
        "jurisdiction_result",
        "chargeable_on",
    )
    list_filter = ("firm", "stage", "referred_by", "jurisdiction_result")
    search_fields = ("fos_reference", "complaint__reference", "representative_name")
    list_select_related = ("firm", "complaint")
    inlines = [ReferralStageInline]


@admin.register(FosDeadline)
class FosDeadlineAdmin(ServiceOnlyAdmin):
    list_display = ("description", "referral", "due_on", "done_at")
    list_filter = ("firm",)
    list_select_related = ("referral",)
