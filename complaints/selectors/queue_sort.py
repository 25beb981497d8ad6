"""The work queue's orders: a whitelist of sort keys, each with a stable tie-break by id.

A key is a column name, ``-`` in front for descending. ``deadline`` (the default) is the queue's
own order: nearest DISP deadline first, none last, then oldest receipt. Anything not in ``SORTS``
is never passed to the database: the queue falls back to the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, OrderBy, QuerySet, Value, When

from ..choices import Status
from ..models import Complaint

SORT_DEFAULT = "deadline"

# Lifecycle order, as the status choices list it (not the alphabet of their codes).
_STATUS_RANK = Case(
    *[When(status=value, then=Value(rank)) for rank, value in enumerate(Status.values)],
    output_field=IntegerField(),
)

# column -> (heading, the ascending order's expressions before the id)
_COLUMNS: dict[str, tuple[str, list[F]]] = {
    "reference": ("Reference", [F("reference")]),
    "received": ("Received", [F("received_at")]),
    "complainant": ("Complainant", [F("complainant__name")]),
    "status": ("Status", [F("status_rank")]),
    "owner": ("Owner", [F("owner__first_name"), F("owner__last_name"), F("owner__username")]),
    "deadline": ("Next deadline", [F("next_deadline"), F("received_at")]),
}
SORTS: frozenset[str] = frozenset(key for column in _COLUMNS for key in (column, f"-{column}"))


def clean_sort(value: str) -> str:
    """``value`` if it is a whitelisted key, else the default."""
    return value if value in SORTS else SORT_DEFAULT


def ordered(qs: QuerySet[Complaint], sort: str, today: date) -> QuerySet[Complaint]:
    """``qs`` in the order ``sort`` names: nulls (no deadline, no owner) last either way,
    ties broken by id in the same direction, so every page is stable."""
    sort = clean_sort(sort)
    column, descending = sort.lstrip("-"), sort.startswith("-")
    terms: list[OrderBy] = [
        expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True)
        for expr in _COLUMNS[column][1]
    ]
    terms.append(F("id").desc() if descending else F("id").asc())
    qs = qs.with_next_deadline(today) if column == "deadline" else qs  # type: ignore[attr-defined]
    if column == "status":
        qs = qs.annotate(status_rank=_STATUS_RANK)
    return qs.order_by(*terms)


@dataclass(frozen=True)
class SortHeader:
    """A sortable column's heading: ``key`` is what its link asks for (the other direction when
    it is the current order), ``aria_sort`` its state for assistive technology."""

    column: str
    heading: str
    key: str
    aria_sort: str  # "ascending", "descending" or "none"

    @property
    def label(self) -> str:
        """The link's accessible name: what clicking it does."""
        direction = "descending" if self.key.startswith("-") else "ascending"
        return f"Sort by {self.heading.lower()}, {direction}"


def sort_headers(sort: str) -> dict[str, SortHeader]:
    """Every sortable column's heading for the current ``sort``, by column."""
    sort = clean_sort(sort)
    headers = {}
    for column, (heading, _terms) in _COLUMNS.items():
        if sort == column:
            aria, key = "ascending", f"-{column}"
        elif sort == f"-{column}":
            aria, key = "descending", column
        else:
            aria, key = "none", column
        headers[column] = SortHeader(column, heading, key, aria)
    return headers
