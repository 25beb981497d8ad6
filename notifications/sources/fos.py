"""FOS deadlines and awards for the deadline watch, and the DISP 1.9 retention hold for open
referrals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.urls import reverse

from fos.models import FosDeadline, Referral, Stage
from notifications.due import DueItem, WatchContext


def fos_deadline_source(ctx: WatchContext) -> Iterable[DueItem]:
    """Deadlines the FOS set the firm, and accepted awards not yet complied with (one query
    each). Near within the firm's warning window; breached once the date has passed."""
    horizon = ctx.horizon
    if horizon is None:
        return
    deadlines = FosDeadline.objects.filter(
        firm_id__in=ctx.firm_ids, done_at__isnull=True, due_on__lte=horizon
    ).select_related("referral__complaint")
    for d in ctx.watched(deadlines, "referral__complaint_id"):
        if item := ctx.complaint_due(
            d.referral.complaint,
            firm_id=d.firm_id,
            due=d.due_on,
            source="fos",
            object_key=f"fos_deadline:{d.pk}",
            kind="fos_response",
            label=f"FOS: {d.description}",
            rule="Set by the Financial Ombudsman Service",
            link=reverse("fos:detail", args=[d.referral_id]),
        ):
            yield item
    awards = Referral.objects.filter(
        firm_id__in=ctx.firm_ids,
        stage=Stage.ACCEPTED,
        compliance_due_on__isnull=False,
        compliance_due_on__lte=horizon,
    ).select_related("complaint")
    for r in ctx.watched(awards, "complaint_id"):
        if item := ctx.complaint_due(
            r.complaint,
            firm_id=r.firm_id,
            due=r.compliance_due_on,
            source="fos",
            object_key=f"fos_referral:{r.pk}",
            kind="fos_award_compliance",
            label="Comply with the accepted FOS decision",
            rule="DISP 3.7 / FSMA s.229: comply promptly with an accepted award",
            link=reverse("fos:detail", args=[r.pk]),
        ):
            yield item


def open_referral_hold(complaint_ids: list[int], today: date, buffer_days: int) -> dict[int, str]:
    """DISP 1.9 retention: keep a complaint while its FOS case is open, and for the policy
    buffer after the FOS's involvement ended (one query)."""
    cutoff = today - timedelta(days=buffer_days)
    held: dict[int, str] = {}
    rows = Referral.objects.filter(complaint_id__in=complaint_ids).values_list(
        "complaint_id", "closed_on"
    )
    for complaint_id, closed_on in rows:
        if closed_on is None:
            held[complaint_id] = "open FOS referral"
        elif closed_on > cutoff and complaint_id not in held:
            held[complaint_id] = f"FOS case closed on {closed_on}, within the retention buffer"
    return held
