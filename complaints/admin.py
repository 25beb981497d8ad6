from dataclasses import replace

from django.contrib import admin
from django.utils import timezone
from simple_history.template_utils import HistoricalRecordContextHelper

from common.admin_mixins import ReadOnlyHistoryAdmin, ReadOnlyTabularInline, ServiceOnlyAdmin

from .models import (
    BankHoliday,
    Communication,
    Complainant,
    Complaint,
    DataProtectionComplaint,
    Firm,
    FirmActivity,
    ForwardedPart,
    Membership,
    Note,
    Representative,
    SarPause,
    SavedFilter,
    SubjectAccessRequest,
    Task,
)
from .selectors.timeline import HIDDEN_DETAIL
from .services import bank_holiday_proclaim


class FirmActivityInline(admin.TabularInline):
    model = FirmActivity
    extra = 0


@admin.register(Firm)
class FirmAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "frn", "nation", "close_of_business", "stablecoin_issuer_only")
    search_fields = ("name", "frn")
    inlines = [FirmActivityInline]


@admin.register(FirmActivity)
class FirmActivityAdmin(ReadOnlyHistoryAdmin):
    list_display = ("firm", "activity", "from_uk_establishment")
    list_filter = ("activity", "from_uk_establishment")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ("user", "firm", "role", "team")
    list_filter = ("firm", "role")
    search_fields = ("user__username", "user__email")


@admin.register(BankHoliday)
class BankHolidayAdmin(ReadOnlyHistoryAdmin):
    list_display = ("date", "replaces", "nation", "name", "created_by")
    list_filter = ("nation",)
    readonly_fields = ("created_by",)

    def has_change_permission(self, request, obj=None):
        # A recorded proclamation is never edited: that would hide which deadlines changed. A
        # new one goes through the service (as on the bank holidays page) so open complaints
        # and returns are recomputed.
        return False

    def save_model(self, request, obj, form, change):
        created = bank_holiday_proclaim(
            region=obj.nation,
            day=obj.date,
            replaces=obj.replaces,
            name=obj.name,
            actor=request.user,
            now=timezone.now(),
        ).holiday
        obj.pk = created.pk


class _WithoutVulnerabilityDetail(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta):
        shown = [c for c in delta.changes if c.field not in HIDDEN_DETAIL]
        return super().context_for_delta_changes(replace(delta, changes=shown))


@admin.register(Complainant)
class ComplainantAdmin(ServiceOnlyAdmin):
    """FG21/1 vulnerability detail is never shown here (superusers hold no firm role, so not
    ``view_vulnerability_detail``): only that support needs are recorded and the review date."""

    list_display = ("name", "firm", "complainant_type", "is_retail", "client_reference")
    list_filter = ("firm", "complainant_type", "is_retail")
    search_fields = ("name", "client_reference", "email")
    exclude = tuple(HIDDEN_DETAIL)

    def get_historical_record_context_helper(self, request, historical_record):
        return _WithoutVulnerabilityDetail(self.model, historical_record)


class CommunicationInline(ReadOnlyTabularInline):
    model = Communication
    fields = ("kind", "method", "sent_at", "sent_by", "includes_six_month_wording")


@admin.register(Complaint)
class ComplaintAdmin(ServiceOnlyAdmin):
    list_display = (
        "reference",
        "firm",
        "status",
        "activity",
        "received_at",
        "src_deadline",
        "final_response_due",
        "owner",
    )
    list_filter = ("firm", "status", "activity", "regime", "is_complaint")
    search_fields = ("reference", "complainant__name", "description")
    date_hierarchy = "received_at"
    list_select_related = ("firm", "owner")
    inlines = [CommunicationInline]


@admin.register(Communication)
class CommunicationAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "kind", "method", "sent_at", "includes_six_month_wording")
    list_filter = ("kind", "method")


@admin.register(ForwardedPart)
class ForwardedPartAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "to_firm", "notice")
    list_select_related = ("complaint", "notice")


@admin.register(Note)
class NoteAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "author", "created_at")


# Data-protection records change only through their services (docs/data-protection.md).
@admin.register(DataProtectionComplaint)
class DataProtectionComplaintAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "received_on", "acknowledgement_due", "acknowledgement", "outcome")
    list_select_related = ("complaint", "acknowledgement", "outcome")


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "received_on", "response_due", "answered_on")
    list_select_related = ("complaint",)


@admin.register(SarPause)
class SarPauseAdmin(ServiceOnlyAdmin):
    list_display = ("request", "asked_on", "answered_on")
    list_select_related = ("request__complaint",)


@admin.register(Representative)
class RepresentativeAdmin(ServiceOnlyAdmin):
    list_display = (
        "display_name",
        "kind",
        "complainant",
        "firm",
        "authority_received_on",
        "authority_expires_on",
        "ended_on",
    )
    list_filter = ("firm", "kind")
    search_fields = ("name", "organisation", "regulator_reference", "complainant__name")
    list_select_related = ("complainant", "firm")


# Tasks and saved queue views change only through their services and pages.
@admin.register(Task)
class TaskAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "kind", "due_on", "assignee", "completed_at", "cancelled_at")
    list_filter = ("kind",)
    list_select_related = ("complaint", "assignee")


@admin.register(SavedFilter)
class SavedFilterAdmin(ServiceOnlyAdmin):
    list_display = ("name", "owner", "firm", "shared")
    list_select_related = ("owner", "firm")
