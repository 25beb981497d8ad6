"""Reads: referral lists, the open FOS deadlines for the handler's queue, compliance and MI.

Every read is scoped by firm ids from ``complaints.access``; each runs a fixed number of
queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.urls import reverse

from common.compiled import ANY_ID, Compiled, CompiledByIds
from common.dates import uk_date
from complaints import access

from .choices import Stage
from .fees import LedgerYear, build_ledger
from .models import FosDeadline, FosFeeSchedule, Referral

DEFAULT_SOON_DAYS = 5


def referrals_for(
    user: AbstractBaseUser | AnonymousUser, perm: access.Perm = access.Perm.VIEW_COMPLAINTS
) -> QuerySet[Referral]:
    return Referral.objects.for_firms(access.firm_ids(user, perm))


def referral_list(firm_ids: list[int], *, stage: str | None = None) -> QuerySet[Referral]:
    """Referrals with the complaint and the next open FOS deadline, in one query."""
    next_due = (
        FosDeadline.objects.filter(referral=OuterRef("pk"), done_at__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    qs = (
        Referral.objects.for_firms(firm_ids)
        .select_related("firm", "complaint", "complaint__complainant")
        .annotate(next_fos_deadline=Subquery(next_due))
        .order_by("-referred_on", "-id")
    )
    if stage:
        qs = qs.filter(stage=stage)
    return qs


def _soon_days() -> int:
    return int(getattr(settings, "FOS_DEADLINE_SOON_DAYS", DEFAULT_SOON_DAYS))


def deadline_state(due: date | None, today: date) -> str:
    """The CSS state the DISP queue uses: breached, soon, later (or none)."""
    if due is None:
        return "none"
    if due < today:
        return "breached"
    if due <= today + timedelta(days=_soon_days()):
        return "soon"
    return "later"


@dataclass(frozen=True)
class FosDeadlineRow:
    """One open FOS deadline, shaped like a DISP deadline row in the handler's queue."""

    deadline_id: int
    referral_id: int
    complaint_id: int
    complaint_reference: str
    complainant_name: str
    fos_reference: str
    kind: str
    label: str
    due: date
    due_display: str
    days_left: int
    state: str
    rule: str
    url: str


# Compiled once per number of firms in each process (issue 18): the queue reads it every page.
_OPEN_DEADLINES = CompiledByIds(
    lambda _, firm_ids: FosDeadline.objects.filter(firm_id__in=firm_ids, done_at__isnull=True)
    .select_related("referral", "referral__complaint", "referral__complaint__complainant")
    # What a row shows, not the referral's, complaint's and complainant's every column.
    .only(
        "description",
        "due_on",
        "referral__fos_reference",
        "referral__complaint__reference",
        "referral__complaint__complainant__name",
    )
    .order_by("due_on", "id")
)


def open_fos_deadlines(firm_ids: list[int], today: date) -> list[FosDeadlineRow]:
    """Every deadline the FOS set that the firm has not yet met, nearest first (one query)."""
    rows = _OPEN_DEADLINES.objects(None, firm_ids)
    return [
        FosDeadlineRow(
            deadline_id=d.pk,
            referral_id=d.referral_id,
            complaint_id=d.referral.complaint_id,
            complaint_reference=d.referral.complaint.reference,
            complainant_name=d.referral.complaint.complainant.name,
            fos_reference=d.referral.fos_reference,
            kind="fos",
            label=f"FOS: {d.description}",
            due=d.due_on,
            due_display=uk_date(d.due_on),
            days_left=(d.due_on - today).days,
            state=deadline_state(d.due_on, today),
            rule="Set by the FOS",
            url=reverse("fos:detail", args=[d.referral_id]),
        )
        for d in rows
    ]


def overdue_compliance(firm_ids: list[int], today: date) -> QuerySet[Referral]:
    """Accepted outcomes the firm has not complied with within its target (flagged)."""
    return (
        Referral.objects.for_firms(firm_ids)
        .filter(stage=Stage.ACCEPTED, compliance_due_on__lt=today)
        .select_related("complaint")
        .order_by("compliance_due_on", "id")
    )


@dataclass(frozen=True)
class FosMI:
    by_stage: list[tuple[str, str, int]]
    total: int
    closed: int
    average_days_at_fos: float | None
    decided: int
    overturned: int
    overturn_rate: float | None
    fees_by_year: list[LedgerYear]
    overdue_compliance: int


def fos_mi(firm_ids: list[int], today: date) -> FosMI:
    """Referrals by stage, average time at the FOS (referred to closure), overturn rate and
    fees by financial year, in a constant number of queries."""
    counts = dict(
        Referral.objects.for_firms(firm_ids).values_list("stage").annotate(n=Count("id")).order_by()
    )
    duration = ExpressionWrapper(F("closed_on") - F("referred_on"), output_field=DurationField())
    agg = Referral.objects.for_firms(firm_ids).aggregate(
        closed=Count("id", filter=Q(closed_on__isnull=False)),
        avg_at_fos=Avg(duration, filter=Q(closed_on__isnull=False)),
        decided=Count("id", filter=Q(overturned__isnull=False)),
        overturned=Count("id", filter=Q(overturned=True)),
        overdue=Count("id", filter=Q(stage=Stage.ACCEPTED, compliance_due_on__lt=today)),
    )
    avg = agg["avg_at_fos"]
    referrals = list(
        Referral.objects.for_firms(firm_ids)
        .filter(chargeable_on__isnull=False)
        .select_related("complaint")
    )
    schedules = list(FosFeeSchedule.objects.order_by("financial_year"))
    fees: list[LedgerYear] = []
    # The free allowance is per firm: build each firm's ledger, then add the years up.
    by_firm: dict[int, list[Referral]] = {}
    for r in referrals:
        by_firm.setdefault(r.firm_id, []).append(r)
    merged: dict[int, LedgerYear] = {}
    for firm_referrals in by_firm.values():
        for year in build_ledger(firm_referrals, schedules):
            target = merged.setdefault(
                year.financial_year,
                LedgerYear(year.financial_year, year.schedule, year.schedule_note),
            )
            target.lines.extend(year.lines)
    fees = [merged[y] for y in sorted(merged)]
    decided = agg["decided"]
    return FosMI(
        by_stage=[(s.value, s.label, counts.get(s.value, 0)) for s in Stage],
        total=sum(counts.values()),
        closed=agg["closed"],
        average_days_at_fos=round(avg.total_seconds() / 86400, 1) if avg is not None else None,
        decided=decided,
        overturned=agg["overturned"],
        overturn_rate=round(100 * agg["overturned"] / decided, 1) if decided else None,
        fees_by_year=fees,
        overdue_compliance=agg["overdue"],
    )


# A complaint's referrals, compiled once per process (issue 18): a complaint id no row has
# marks where each page binds its own.
_REFERRALS = Compiled(
    Referral.objects.filter(complaint_id=ANY_ID).order_by("-referred_on", "-id"), ANY_ID
)


def complaint_referrals(complaint_id: int) -> list[Referral]:
    """A complaint's referrals with their open deadlines (``open_deadlines``), two queries."""
    referrals = _REFERRALS.objects(complaint_id)
    prefetch_related_objects(
        referrals,
        Prefetch(
            "deadlines",
            queryset=FosDeadline.objects.filter(done_at__isnull=True).order_by("due_on"),
            to_attr="open_deadlines",
        ),
    )
    return referrals
