"""Root-cause MI (DISP 1.3.3R, DISP 1.9.2G): complaints received, upheld rate, breached
deadlines and redress paid, by month, activity, root cause, incident and vulnerability.

Basis (shown on the dashboard): the complaints *received* in the period that meet the Glossary
definition (feedback and queries never count). Each figure is one aggregate query per table,
whatever the number of complaints:

- upheld rate = outcomes counted as upheld (SUP 16.34 Annex 6: upheld, partly upheld, goodwill)
  / complaints with a decision (those three plus not upheld). Withdrawn, time-barred, forwarded
  and undecided complaints are outside the rate.
- breached = a final response sent (Europe/London date) after its due date, or still owed past
  it. The due date is the DISP 1.6.2R / 1.6.2AR(1) date, or the 35-business-day date once a
  PSD/EMD holding response was sent. An SRC is not a final response and never breaches.
- redress paid = GBP paid on those complaints' redress items.

A complaint with two root causes (or incidents) is counted under each, so those tables do not
add up to the total; the total row is counted once per complaint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from common import exports
from common.dates import LONDON
from complaints.choices import Activity, Outcome, Regime, Status
from complaints.models import VULNERABLE_Q, Complaint, ComplaintQuerySet
from complaints.models.vulnerability import DRIVER_FIELDS

from .models import RedressItem, RedressStatus

DIMENSIONS: dict[str, str] = {
    "month": "Month received",
    "activity": "Activity",
    "root_cause": "Root cause",
    "incident": "Incident",
    "vulnerability": "Vulnerability",
    "vulnerability_driver": "Vulnerability driver",
}
# Rows of the driver table: a complaint counts under each driver its complainant has now, so
# the rows overlap. Counts only: no complainant is named (docs/vulnerability.md).
DRIVER_ROWS: dict[str, tuple[str, Q]] = {
    **{name: (label, Q(**{f"complainant__{name}": True})) for name, label in DRIVER_FIELDS.items()},
    "support_needs_only": (
        "Support needs, no detail recorded",
        Q(complainant__vulnerability_support_needs=True)
        & ~Q(*(Q(**{f"complainant__{n}": True}) for n in DRIVER_FIELDS), _connector=Q.OR),
    ),
    "vulnerability_failure": (
        "Caused or worsened by a failure to respond to vulnerability",
        Q(vulnerability_failure=True),
    ),
}
ZERO = Decimal("0.00")


@dataclass
class Row:
    key: object
    label: str
    received: int = 0
    decided: int = 0
    upheld: int = 0
    breached: int = 0
    redress_paid: Decimal = ZERO

    @property
    def upheld_rate(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(self.upheld) * 100 / self.decided).quantize(Decimal("0.1"))


@dataclass
class Dashboard:
    date_from: date
    date_to: date
    total: Row
    tables: dict[str, list[Row]] = field(default_factory=dict)


def _start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time(), LONDON)


def mi_complaints(
    complaints: ComplaintQuerySet, *, date_from: date, date_to: date, today: date
) -> ComplaintQuerySet:
    """Countable complaints received in [date_from, date_to], annotated with 0/1 flags and the
    redress paid on each, ready to be grouped by any dimension."""
    paid = (
        RedressItem.objects.filter(complaint=OuterRef("pk"), status=RedressStatus.PAID)
        .order_by()
        .values("complaint")
        .annotate(total=Sum("amount_gbp"))
        .values("total")
    )
    due = Case(
        When(
            regime=Regime.PSD_EMD,
            holding_response_sent_at__isnull=False,
            extended_final_response_due__isnull=False,
            then=F("extended_final_response_due"),
        ),
        default=F("final_response_due"),
        output_field=DateField(),
    )
    return (
        complaints.countable()
        .filter(received_at__gte=_start(date_from), received_at__lt=_start(date_to + timedelta(1)))
        .alias(
            effective_due=due,
            final_sent_on=TruncDate("final_response_sent_at", tzinfo=LONDON),
        )
        .annotate(
            f_decided=Case(
                When(outcome__in=Outcome.decisions(), then=1),
                default=0,
                output_field=IntegerField(),
            ),
            f_upheld=Case(
                When(outcome__in=Outcome.counted_as_upheld(), then=1),
                default=0,
                output_field=IntegerField(),
            ),
            f_breached=Case(
                When(
                    Q(final_response_sent_at__isnull=False, final_sent_on__gt=F("effective_due"))
                    | Q(status__in=Status.open_states(), effective_due__lt=today),
                    then=1,
                ),
                default=0,
                output_field=IntegerField(),
            ),
            f_paid=Coalesce(
                Subquery(paid, output_field=DecimalField(max_digits=14, decimal_places=2)),
                Value(ZERO),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
    )


def _figures_of(q: Q | None = None) -> dict[str, Count | Sum]:
    """The figures of the complaints matching ``q`` (all, when None)."""
    return {
        "received": Count("pk", distinct=True, filter=q),
        "decided": Sum("f_decided", filter=q),
        "upheld": Sum("f_upheld", filter=q),
        "breached": Sum("f_breached", filter=q),
        "redress_paid": Sum("f_paid", filter=q),
    }


_FIGURES = _figures_of()


def _figures(groups: QuerySet[Complaint, Any]) -> QuerySet[Any, dict[str, Any]]:
    """The figures of each group of a ``values()`` query."""
    return groups.annotate(**_FIGURES)


def _row(key: object, label: str, values: Mapping[str, Any]) -> Row:
    return Row(
        key=key,
        label=label,
        received=values["received"] or 0,
        decided=values["decided"] or 0,
        upheld=values["upheld"] or 0,
        breached=values["breached"] or 0,
        # A sum of numeric(14,2) comes back with the database's scale ("1510.05000000000"):
        # money has two places on the page and in the CSV.
        redress_paid=(values["redress_paid"] or ZERO).quantize(ZERO),
    )


def _months(date_from: date, date_to: date) -> list[date]:
    months, d = [], date_from.replace(day=1)
    while d <= date_to:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return months


def _grouped(
    base: QuerySet[Complaint], dimension: str, date_from: date, date_to: date
) -> list[Row]:
    if dimension == "month":
        rows = _figures(
            base.annotate(k=TruncMonth("received_at", tzinfo=LONDON)).values("k")
        ).order_by("k")
        by_month = {r["k"].date() if hasattr(r["k"], "date") else r["k"]: r for r in rows}
        empty = dict.fromkeys(_FIGURES, 0)
        return [_row(m, f"{m:%b %Y}", by_month.get(m, empty)) for m in _months(date_from, date_to)]
    if dimension == "activity":
        labels = dict(Activity.choices)
        rows = _figures(base.values("activity")).order_by("-received", "activity")
        return [_row(r["activity"], labels.get(r["activity"], r["activity"]), r) for r in rows]
    if dimension == "root_cause":
        rows = _figures(
            base.values(
                k=F("root_cause_links__root_cause_id"),
                name=F("root_cause_links__root_cause__name"),
                parent=F("root_cause_links__root_cause__parent__name"),
            )
        ).order_by("-received", "name")
        return [
            _row(
                r["k"],
                (f"{r['parent']} › {r['name']}" if r["parent"] else r["name"])
                if r["k"]
                else "No root cause recorded",
                r,
            )
            for r in rows
        ]
    if dimension == "incident":
        rows = _figures(
            base.values(
                k=F("incident_links__incident_id"), name=F("incident_links__incident__name")
            )
        ).order_by("-received", "name")
        return [_row(r["k"], r["name"] or "Not linked to an incident", r) for r in rows]
    if dimension == "vulnerability":
        rows = _figures(
            base.annotate(
                k=Case(
                    When(VULNERABLE_Q, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            ).values("k")
        ).order_by("-k")
        found = {r["k"]: r for r in rows}
        empty = dict.fromkeys(_FIGURES, 0)
        return [
            _row(True, "Vulnerable complainant", found.get(True, empty)),
            _row(False, "No vulnerability recorded", found.get(False, empty)),
        ]
    if dimension == "vulnerability_driver":
        figures = base.aggregate(
            **{
                f"{key}__{figure}": aggregate
                for key, (_label, q) in DRIVER_ROWS.items()
                for figure, aggregate in _figures_of(q).items()
            }
        )
        return [
            _row(key, label, {f: figures[f"{key}__{f}"] for f in _FIGURES})
            for key, (label, _q) in DRIVER_ROWS.items()
        ]
    raise KeyError(dimension)


def dashboard(
    complaints: ComplaintQuerySet,
    *,
    date_from: date,
    date_to: date,
    today: date,
    dimensions: tuple[str, ...] = tuple(DIMENSIONS),
) -> Dashboard:
    """One aggregate query for the total and one per table."""
    base = mi_complaints(complaints, date_from=date_from, date_to=date_to, today=today)
    total = _row(None, "All complaints", base.aggregate(**_FIGURES))
    tables = {d: _grouped(base, d, date_from, date_to) for d in dimensions}
    return Dashboard(date_from=date_from, date_to=date_to, total=total, tables=tables)


# The dashboard's tiles and the complaints behind each: the filter is on the same annotated
# query the figure sums, so a tile's list has exactly its figure's complaints.
TILES: dict[str, tuple[str, Q]] = {
    "received": ("Complaints received", Q()),
    "decided": ("Decided complaints", Q(f_decided=1)),
    "upheld": ("Upheld complaints", Q(f_upheld=1)),
    "breached": ("Breached deadlines", Q(f_breached=1)),
    "redress_paid": ("Complaints with redress paid", Q(f_paid__gt=0)),
}


def tile_complaints(
    complaints: ComplaintQuerySet, tile: str, *, date_from: date, date_to: date, today: date
) -> ComplaintQuerySet:
    """The complaints behind one tile's figure, oldest received first."""
    base = mi_complaints(complaints, date_from=date_from, date_to=date_to, today=today)
    return base.filter(TILES[tile][1]).order_by("received_at", "pk")


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, whole months, ending today."""
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


FIGURE_COLUMNS = (
    exports.Column("complaints_received", "Complaints received"),
    exports.Column("decided", "Decided"),
    exports.Column("upheld", "Upheld"),
    exports.Column("upheld_rate_pct", "Upheld rate (%)"),
    exports.Column("breached_deadlines", "Breached deadlines"),
    exports.Column("redress_paid_gbp", "Redress paid (GBP)"),
)


def csv_table(dimension: str, rows: list[Row]) -> exports.Table:
    """One MI table (the total last) for the export writer; figures stay numbers."""
    return exports.Table(
        DIMENSIONS[dimension],
        (exports.Column("group", DIMENSIONS[dimension]), *FIGURE_COLUMNS),
        [
            [r.label, r.received, r.decided, r.upheld, r.upheld_rate, r.breached, r.redress_paid]
            for r in rows
        ],
    )
