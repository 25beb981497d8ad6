"""Accepted redress falling due or overdue, for the deadline watch."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from notifications.due import DueItem, WatchContext
from remediation.models import RedressItem, RedressStatus


def redress_payment_source(ctx: WatchContext) -> Iterable[DueItem]:
    """DISP 1.4.1R(5): comply promptly with accepted redress. Near within the warning window
    before the firm's payment target, breached after it (one query)."""
    horizon = ctx.horizon
    if horizon is None:
        return
    items = RedressItem.objects.filter(
        complaint__firm_id__in=ctx.firm_ids,
        status=RedressStatus.ACCEPTED,
        payment_due_on__isnull=False,
        payment_due_on__lte=horizon,
    ).select_related("complaint")
    for redress in ctx.watched(items, "complaint_id"):
        complaint = redress.complaint
        if item := ctx.complaint_due(
            complaint,
            firm_id=complaint.firm_id,
            due=redress.payment_due_on,
            source="redress",
            object_key=f"redress:{redress.pk}",
            kind="redress_payment",
            label=f"Pay accepted redress (£{redress.amount_gbp})",
            rule="DISP 1.4.1R(5)",
            link=reverse("complaints:detail", args=[complaint.pk]),
        ):
            yield item
