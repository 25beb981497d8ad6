"""The data-protection deadline sources: an acknowledgement owed under DPA 2018 s.164A(3), and
a subject access request's answer under UK GDPR Art 12(3) (its stored date, none while the clock
is stopped or waits for identity). One query each, on the indexed due-date columns."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from complaints.dpa import clock
from complaints.models import DataProtectionComplaint, SubjectAccessRequest
from notifications.due import DueItem, WatchContext


def _link(complaint_id: int) -> str:
    return reverse("complaints:detail", args=[complaint_id]) + "#data-protection"


def dpa_acknowledgement_due(ctx: WatchContext) -> Iterable[DueItem]:
    """DPA 2018 s.164A(3): acknowledge within 30 days; near within the warning window."""
    horizon = ctx.horizon
    if horizon is None:
        return
    rows = DataProtectionComplaint.objects.filter(
        complaint__firm_id__in=ctx.firm_ids,
        acknowledgement__isnull=True,
        outcome__isnull=True,
        acknowledgement_due__lte=horizon,
    ).select_related("complaint")
    for record in ctx.watched(rows, "complaint_id"):
        if item := ctx.complaint_due(
            record.complaint,
            firm_id=record.complaint.firm_id,
            due=record.acknowledgement_due,
            source="dpa.acknowledgement",
            object_key=f"dpa:{record.pk}",
            kind="dpa_acknowledgement",
            label="Acknowledge the data-protection complaint",
            rule=clock.S164A_ACK,
            link=_link(record.complaint_id),
        ):
            yield item


def sar_response_due(ctx: WatchContext) -> Iterable[DueItem]:
    """UK GDPR Art 12(3): answer the subject access request by its (extended) date."""
    horizon = ctx.horizon
    if horizon is None:
        return
    rows = SubjectAccessRequest.objects.filter(
        complaint__firm_id__in=ctx.firm_ids,
        answered_on__isnull=True,
        response_due__lte=horizon,
    ).select_related("complaint")
    for record in ctx.watched(rows, "complaint_id"):
        if item := ctx.complaint_due(
            record.complaint,
            firm_id=record.complaint.firm_id,
            due=record.response_due,
            source="dpa.subject_access",
            object_key=f"sar:{record.pk}",
            kind="sar_response",
            label="Answer the subject access request",
            rule=clock.ART_12_3,
            link=_link(record.complaint_id),
        ):
            yield item
