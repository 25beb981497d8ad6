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
    if not ctx.firm_ids:
        return
    horizon = max(ctx.warn_by(firm_id) for firm_id in ctx.firm_ids)
    deadlines = FosDeadline.objects.filter(
        firm_id__in=ctx.firm_ids, done_at__isnull=True, due_on__lte=horizon
    ).select_related("referral__complaint")
    if ctx.complaint_ids is not None:
        deadlines = deadlines.filter(referral__complaint_id__in=ctx.complaint_ids)
    for d in deadlines:
        if d.due_on > ctx.warn_by(d.firm_id):
            continue
        complaint = d.referral.complaint
        yield DueItem(
            source="fos",
            object_key=f"fos_deadline:{d.pk}",
            kind="fos_response",
            label=f"FOS: {d.description}",
            rule="Set by the Financial Ombudsman Service",
            level=ctx.level_for(d.due_on),
            due=d.due_on,
            firm_id=d.firm_id,
            complaint_id=complaint.pk,
            reference=complaint.reference,
            owner_id=complaint.owner_id,
            link=reverse("fos:detail", args=[d.referral_id]),
        )
    awards = Referral.objects.filter(
        firm_id__in=ctx.firm_ids,
        stage=Stage.ACCEPTED,
        compliance_due_on__isnull=False,
        compliance_due_on__lte=horizon,
    ).select_related("complaint")
    if ctx.complaint_ids is not None:
        awards = awards.filter(complaint_id__in=ctx.complaint_ids)
    for r in awards:
        due = r.compliance_due_on
        if due is None or due > ctx.warn_by(r.firm_id):  # the query excludes None
            continue
        yield DueItem(
            source="fos",
            object_key=f"fos_referral:{r.pk}",
            kind="fos_award_compliance",
            label="Comply with the accepted FOS decision",
            rule="DISP 3.7 / FSMA s.229: comply promptly with an accepted award",
            level=ctx.level_for(due),
            due=due,
            firm_id=r.firm_id,
            complaint_id=r.complaint_id,
            reference=r.complaint.reference,
            owner_id=r.complaint.owner_id,
            link=reverse("fos:detail", args=[r.pk]),
        )


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
