"""Reads for the reporting app: the firm's calendar, returns falling due, drill-down pages.

Everything is scoped by the caller's firms (``complaints.access``); another firm's return or
snapshot is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from complaints import access
from complaints.access import Perm
from complaints.deadlines import calendar_for_nation
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complainant, Complaint, Firm

from .calendar import (
    MONTH_END,
    FirmReportingCalendar,
    ReportingPeriod,
    previous_reference_date,
)
from .choices import Metric, ReferenceDateConvention, UpheldBasis
from .models import (
    ActiveClient,
    ClientPositionRow,
    ClientPositionSnapshot,
    ImportRejection,
    ReturnItem,
    ReturnVersion,
    Sup16Return,
)

REPORTING_PERMS = (Perm.VIEW_RETURNS,)

# Whoever is asking: a signed-in user, or an anonymous one who sees no firm.
Viewer = AbstractBaseUser | AnonymousUser


def upheld_basis() -> str:
    """A9: SUP16_UPHELD_BASIS, "event" (rule text, default) or "cohort" (Annex 6 wording)."""
    value = getattr(settings, "SUP16_UPHELD_BASIS", UpheldBasis.EVENT)
    return value if value in UpheldBasis.values else UpheldBasis.EVENT


def reference_date_convention() -> str:
    """A7: SUP16_REFERENCE_DATE_CONVENTION, "month_end" (default) or "literal"."""
    value = getattr(settings, "SUP16_REFERENCE_DATE_CONVENTION", MONTH_END)
    return value if value in ReferenceDateConvention.values else MONTH_END


def submission_calendar() -> BusinessCalendar:
    """A3: returns are submitted to the FCA in London, so England's business days by default
    (SUP16_CALENDAR_NATION), including any bank holiday an administrator has added."""
    return calendar_for_nation(getattr(settings, "SUP16_CALENDAR_NATION", "england"))


def reporting_starts(firm: Firm) -> date:
    """A8: a firm reports from the regime's commencement or its authorisation, if later."""
    commencement = settings.CRYPTO_COMMENCEMENT_DATE
    if firm.authorised_on and firm.authorised_on > commencement:
        return firm.authorised_on
    return commencement


def firm_reporting_calendar(
    firm: Firm, business_calendar: BusinessCalendar | None = None
) -> FirmReportingCalendar:
    return FirmReportingCalendar(
        ard_month=firm.accounting_reference_month,
        ard_day=firm.accounting_reference_day,
        reporting_starts=reporting_starts(firm),
        business_calendar=business_calendar or submission_calendar(),
        convention=reference_date_convention(),
    )


# --- access ----------------------------------------------------------------------------------


def reporting_firm_ids(user: Viewer) -> list[int]:
    """Firms in which the user may see returns (those who prepare or approve them)."""
    return sorted({fid for perm in REPORTING_PERMS for fid in access.firm_ids(user, perm)})


def returns_for(user: Viewer) -> QuerySet[Sup16Return]:
    return Sup16Return.objects.filter(firm_id__in=reporting_firm_ids(user))


def get_return_or_404(user: Viewer, pk: int) -> Sup16Return:
    try:
        return (
            returns_for(user)
            .select_related("firm", "latest_version", "submitted_version")
            .get(pk=pk)
        )
    except Sup16Return.DoesNotExist:
        raise Http404("No such return.") from None


def get_version_or_404(filing: Sup16Return, number: int | None) -> ReturnVersion:
    qs = ReturnVersion.objects.select_related(
        "computed_by", "approved_by", "submitted_by", "snapshot__loaded_by"
    ).filter(sup16_return=filing)
    version = qs.filter(number=number).first() if number else qs.order_by("-number").first()
    if version is None:
        raise Http404("No such version.")
    return version


def snapshots_for(user: Viewer) -> QuerySet[ClientPositionSnapshot]:
    return ClientPositionSnapshot.objects.filter(firm_id__in=reporting_firm_ids(user))


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnDue:
    """A required return that is not yet submitted and is due within the window or overdue."""

    firm: Firm
    period: ReportingPeriod
    sup16_return: Sup16Return | None
    business_days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.business_days_left < 0

    @property
    def business_days_overdue(self) -> int:
        return max(0, -self.business_days_left)

    @property
    def status(self) -> str:
        version = self.sup16_return.latest_version if self.sup16_return else None
        return version.get_status_display() if version else "Not started"


def returns_due(
    firm_ids: list[int], today: date, within_business_days: int = 10
) -> list[ReturnDue]:
    """Returns falling due within ``within_business_days`` business days of ``today`` (on the
    submission calendar) and every overdue one, for required periods not yet submitted.

    Three queries whatever the number of firms and periods: firms, bank holidays, returns.
    Ordered most urgent first. Background reminder jobs call this.
    """
    firms = list(Firm.objects.filter(pk__in=firm_ids).order_by("name", "pk"))
    business = submission_calendar()
    candidates: list[tuple[Firm, ReportingPeriod]] = []
    for firm in firms:
        cal = firm_reporting_calendar(firm, business)
        if cal.reporting_starts >= today:
            continue
        last_closed = previous_reference_date(
            today, month=cal.ard_month, day=cal.ard_day, convention=cal.convention
        )
        for period in cal.periods_between(cal.reporting_starts, last_closed):
            left = business.business_days_between(today, period.due)
            if period.required and left <= within_business_days:
                candidates.append((firm, period))
    if not candidates:
        return []
    filings = {
        (r.firm_id, r.period_end): r
        for r in Sup16Return.objects.select_related("latest_version").filter(
            firm_id__in=[f.pk for f in firms],
            period_end__in={p.end for _, p in candidates},
        )
    }
    due = []
    for firm, period in candidates:
        filing = filings.get((firm.pk, period.end))
        if filing is not None and filing.submitted_version_id is not None:
            continue
        left = business.business_days_between(today, period.due)
        due.append(ReturnDue(firm, period, filing, left))
    return sorted(due, key=lambda d: (d.period.due, d.firm.name))


# --- dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    period: ReportingPeriod
    sup16_return: Sup16Return | None
    closed: bool


def calendar_rows(firm: Firm, today: date, before: int = 4, after: int = 2) -> list[CalendarRow]:
    """Recent and upcoming periods of one firm with their returns (two queries)."""
    cal = firm_reporting_calendar(firm)
    start = today - timedelta(days=92 * before)
    end = today + timedelta(days=92 * after)
    periods = list(cal.periods_between(start, end))
    if cal.reporting_starts > today:
        # Before go-live also show the first required (stub) period.
        first = cal.first_required_period()
        if first.end not in {p.end for p in periods}:
            periods.append(first)
    filings = {
        r.period_end: r
        for r in Sup16Return.objects.select_related("latest_version", "submitted_version").filter(
            firm=firm, period_end__in=[p.end for p in periods]
        )
    }
    return [
        CalendarRow(p, filings.get(p.end), p.end < today)
        for p in sorted(periods, key=lambda p: p.end, reverse=True)
    ]


def returns_of_firm(firm: Firm) -> QuerySet[Sup16Return]:
    return Sup16Return.objects.filter(firm=firm).select_related(
        "latest_version", "submitted_version"
    )


def snapshots_of_firm(firm: Firm) -> QuerySet[ClientPositionSnapshot]:
    return ClientPositionSnapshot.objects.filter(firm=firm).select_related("loaded_by")


# --- drill-down ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    item: ReturnItem
    complaint: Complaint | None  # the complaint as it is now (None if since deleted)
    linked_complainants: list[Complainant]


@dataclass(frozen=True)
class KeysetPage:
    """A page of metric 3's clients read by key: the clients after ``after``, in order. The
    total is the figure itself, so nothing is counted and a late page costs what the first does
    (no ``OFFSET``)."""

    object_list: list[ReturnItem]
    count: int
    after: str
    next_after: str | None

    @property
    def has_previous(self) -> bool:
        return bool(self.after)


def active_clients_after(version: ReturnVersion, after: str, limit: int) -> list[ReturnItem]:
    """Metric 3's clients after ``after`` in client order: the version's snapshot's
    ``ActiveClient`` rows (immutable, so as frozen as stored items), read by primary key, each
    shown as an (unsaved) item of the version."""
    if version.snapshot_id is None:
        return []
    clients = ActiveClient.objects.filter(
        snapshot_id=version.snapshot_id, client_id__gt=after
    ).order_by("client_id")
    return [
        ReturnItem(version=version, metric=Metric.ACTIVE_CLIENTS, client_id=client_id)
        for client_id in clients.values_list("client_id", flat=True)[:limit]
    ]


def active_clients_page(version: ReturnVersion, after: str, per_page: int) -> KeysetPage:
    rows = active_clients_after(version, after, per_page + 1)
    more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows, version.active_clients or 0, after, rows[-1].client_id if more else None
    )


def version_items(version: ReturnVersion, metric: str) -> QuerySet[ReturnItem]:
    """The items frozen with the version behind a complaint figure or metric 4, in drill-down
    order (written in reference / client order, so ``id`` order; index ``reporting_item_page``)."""
    return ReturnItem.objects.filter(version=version, metric=metric).order_by("pk")


def version_items_page(
    version: ReturnVersion,
    metric: str,
    page_number: int | str = 1,
    per_page: int = 50,
    *,
    after: str = "",
) -> tuple[Page[ReturnItem] | KeysetPage, list[ItemRow]]:
    """One page of the complaints or clients behind a figure, as frozen in the version, with
    the live complaint (or linked complainants) beside each. At most three queries per page;
    metric 3 pages by key (``after``), the others by number."""
    if metric not in Metric.values:
        raise Http404("No such figure.")
    page: Page[ReturnItem] | KeysetPage
    if metric == Metric.ACTIVE_CLIENTS:
        page = active_clients_page(version, after, per_page)
    else:
        page = Paginator(version_items(version, metric), per_page).get_page(page_number)
    rows = list(page.object_list)
    complaints: dict[Any, Complaint] = {}
    linked: dict[str, list[Complainant]] = {}
    if metric in Metric.client_metrics():
        for person in Complainant.objects.filter(
            firm_id=version.sup16_return.firm_id,
            client_reference__in=[r.client_id for r in rows],
        ).order_by("name", "pk"):
            linked.setdefault(person.client_reference, []).append(person)
    else:
        complaints = Complaint.objects.select_related("complainant").in_bulk(
            [r.complaint_id for r in rows if r.complaint_id]
        )
    return page, [
        ItemRow(r, complaints.get(r.complaint_id), linked.get(r.client_id, [])) for r in rows
    ]


def versions_of(filing: Sup16Return) -> list[ReturnVersion]:
    return list(
        ReturnVersion.objects.filter(sup16_return=filing)
        .select_related("computed_by", "approved_by", "submitted_by")
        .order_by("-number")
    )


def snapshot_rows_page(
    snapshot: ClientPositionSnapshot, page_number: int | str = 1, client: str = ""
) -> Page[ClientPositionRow]:
    rows = ClientPositionRow.objects.filter(snapshot=snapshot).order_by("client_id", "row_number")
    if client:
        rows = rows.filter(client_id=client.strip())
    return Paginator(rows, 50).get_page(page_number)


def frozen(version: ReturnVersion) -> bool:
    return version.is_frozen


def firms_for_reporting(user: Viewer) -> list[Firm]:
    return list(Firm.objects.filter(pk__in=reporting_firm_ids(user)).order_by("name"))


def rejections_of_firm(firm: Firm) -> QuerySet[ImportRejection]:
    return ImportRejection.objects.filter(firm=firm).select_related("rejected_by")


def snapshot_summary(snapshot: ClientPositionSnapshot) -> dict[str, int]:
    """Rows by status, test, zero- and negative-balance rows, and distinct clients: one
    aggregate query."""
    return ClientPositionRow.objects.filter(snapshot=snapshot).aggregate(
        rows=Count("pk"),
        clients=Count("client_id", distinct=True),
        open=Count("pk", filter=Q(status="open")),
        pending_closure=Count("pk", filter=Q(status="pending_closure")),
        closed=Count("pk", filter=Q(status="closed")),
        test=Count("pk", filter=Q(is_test=True)),
        zero_balance=Count("pk", filter=Q(balance_gbp=0)),
        negative_balance=Count("pk", filter=Q(balance_gbp__lt=0)),
        vulnerable=Count("pk", filter=Q(vulnerable=True)),
    )


FIGURE_LABELS = {
    "complaints_received": "Complaints received",
    "complaints_upheld": "Complaints upheld (reported basis)",
    "complaints_upheld_cohort": "Received in the period and upheld (A9 cohort)",
    "active_clients": "Active clients",
    "vulnerable_active_retail_customers": "Vulnerable active retail customers",
}


def describe_changes(version: ReturnVersion) -> dict[str, Any] | None:
    """The stored differences against the previous version, labelled for the page."""
    changes = version.changes or {}
    if not changes:
        return None
    return {
        "previous_version": changes.get("previous_version"),
        "figures": [
            {"label": FIGURE_LABELS.get(name, name), **values}
            for name, values in changes.get("figures", {}).items()
        ],
        "items": [
            {"metric": metric, "label": Metric(metric).label, **values}
            for metric, values in changes.get("items", {}).items()
        ],
        "snapshot": changes.get("snapshot"),
    }


def return_history(filing: Sup16Return) -> list[Any]:
    """The audit trail of the return and all its versions, newest first (two queries)."""
    entries = list(Sup16Return.history.filter(id=filing.pk).select_related("history_user")) + list(
        ReturnVersion.history.filter(sup16_return_id=filing.pk).select_related("history_user")
    )
    return sorted(entries, key=lambda h: h.history_date, reverse=True)


def london_today() -> date:
    from django.utils import timezone

    from common.dates import london_date

    return london_date(timezone.now())
