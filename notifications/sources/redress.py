"""Accepted redress falling due or overdue, for the deadline watch."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from notifications.due import DueItem, WatchContext
from remediation.models import RedressItem, RedressStatus


def redress_payment_source(ctx: WatchContext) -> Iterable[DueItem]:
    """DISP 1.4.1R(5): comply promptly with accepted redress. Near within the warning window
    before the firm's payment target, breached after it (one query)."""
    if not ctx.firm_ids:
        return
    horizon = max(ctx.warn_by(firm_id) for firm_id in ctx.firm_ids)
    items = RedressItem.objects.filter(
        complaint__firm_id__in=ctx.firm_ids,
        status=RedressStatus.ACCEPTED,
        payment_due_on__isnull=False,
        payment_due_on__lte=horizon,
    ).select_related("complaint")
    if ctx.complaint_ids is not None:
        items = items.filter(complaint_id__in=ctx.complaint_ids)
    for item in items:
        complaint = item.complaint
        due = item.payment_due_on
        if due is None or due > ctx.warn_by(complaint.firm_id):  # the query excludes None
            continue
        yield DueItem(
            source="redress",
            object_key=f"redress:{item.pk}",
            kind="redress_payment",
            label=f"Pay accepted redress (£{item.amount_gbp})",
            rule="DISP 1.4.1R(5)",
            level=ctx.level_for(due),
            due=due,
            firm_id=complaint.firm_id,
            complaint_id=complaint.pk,
            reference=complaint.reference,
            owner_id=complaint.owner_id,
            link=reverse("complaints:detail", args=[complaint.pk]),
        )
