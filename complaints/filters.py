"""Filters for the complaints API (django-filter). Dates are Europe/London calendar dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django_filters as filters
from django.db.models import F, QuerySet
from django_filters.rest_framework import DjangoFilterBackend

from .choices import Activity, Regime, Status
from .models import VULNERABLE_Q, Complaint

LONDON = ZoneInfo("Europe/London")

ORDERINGS = {
    "received_at": [F("received_at").asc(), F("id").asc()],
    "-received_at": [F("received_at").desc(), F("id").desc()],
    "next_deadline": [F("next_deadline").asc(nulls_last=True), F("id").asc()],
    "-next_deadline": [F("next_deadline").desc(nulls_last=True), F("id").desc()],
    "reference": [F("reference").asc(), F("id").asc()],
    "-reference": [F("reference").desc(), F("id").desc()],
}
DEFAULT_ORDERING = ORDERINGS["-received_at"]


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


class ComplaintFilter(filters.FilterSet):
    firm = filters.NumberFilter(field_name="firm_id", help_text="One of your firms (id).")
    status = filters.MultipleChoiceFilter(choices=Status.choices, help_text="Repeat for several.")
    activity = filters.MultipleChoiceFilter(choices=Activity.choices)
    regime = filters.ChoiceFilter(choices=Regime.choices)
    owner = filters.NumberFilter(field_name="owner_id", help_text="Owner's user id.")
    unassigned = filters.BooleanFilter(field_name="owner", lookup_expr="isnull")
    is_complaint = filters.BooleanFilter(
        help_text="false: feedback and queries (not complaints under the Glossary)."
    )
    vulnerable = filters.BooleanFilter(
        method="filter_vulnerable",
        help_text="The complainant was vulnerable at the time of the complaint (FG21/1).",
    )
    vulnerability_failure = filters.BooleanFilter(
        help_text="Caused or worsened by a failure to respond to vulnerability (FG21/1)."
    )
    external_reference = filters.CharFilter()
    received_from = filters.DateFilter(
        method="filter_received_from", help_text="Received on or after this date (London)."
    )
    received_to = filters.DateFilter(
        method="filter_received_to", help_text="Received on or before this date (London)."
    )
    deadline_before = filters.DateFilter(
        field_name="next_deadline",
        lookup_expr="lte",
        help_text="next_deadline on or before this date (see next_deadline). Complaints with "
        "no next deadline (a DISP response already sent) never match.",
    )
    deadline_after = filters.DateFilter(
        field_name="next_deadline",
        lookup_expr="gte",
        help_text="next_deadline on or after this date.",
    )
    ordering = filters.ChoiceFilter(
        choices=[(k, k) for k in ORDERINGS],
        method="filter_ordering",
        help_text="Default -received_at. Ties are broken by id, so pages are stable.",
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_vulnerable(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(VULNERABLE_Q) if value else qs.exclude(VULNERABLE_Q)

    def filter_received_from(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        return qs.filter(received_at__gte=_london_midnight(value))

    def filter_received_to(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        if value >= date.max:
            return qs
        return qs.filter(received_at__lt=_london_midnight(value + timedelta(days=1)))

    def filter_ordering(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.order_by(*ORDERINGS[value])


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that builds no filter form when the query string names none of the
    filters (a key equal to a filter's name or starting with it, as range widgets suffix
    theirs): every filter passes an absent value through, so the rows are the same, without
    building and validating the form on every unfiltered page (issue 18)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = filterset_class.base_filters if filterset_class else ()
        if filterset_class is not None and not any(
            key.startswith(name) for key in request.query_params for name in names
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
