"""The MI dashboard: complaint figures by month, activity, root cause, incident and
vulnerability, each as an SVG chart, a table and a CSV download."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common import exports
from common.dates import london_date
from common.display import gbp
from complaints.access import FirmRequest, Perm, require_perm
from complaints.models import Complaint

from .. import charts, mi
from ..forms import PeriodForm


def _period(request: HttpRequest, today: date) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    start, end = mi.default_period(today)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    if end < start:
        start, end = end, start
    return form, start, end


def _mi(
    request: FirmRequest, dimensions: tuple[str, ...] = tuple(mi.DIMENSIONS)
) -> tuple[PeriodForm, mi.Dashboard]:
    firm_id = request.firm_id
    today = london_date(timezone.now())
    form, start, end = _period(request, today)
    data = mi.dashboard(
        Complaint.objects.filter(firm_id=firm_id),
        date_from=start,
        date_to=end,
        today=today,
        dimensions=dimensions,
    )
    return form, data


@require_perm({"read": Perm.VIEW_MI})
def dashboard(request: FirmRequest) -> HttpResponse:
    form, data = _mi(request)
    period = f"{data.date_from:%-d %b %Y} to {data.date_to:%-d %b %Y}"
    sections = []
    for key, title in mi.DIMENSIONS.items():
        rows = data.tables[key]
        desc = "; ".join(
            f"{r.label}: {r.received} received, {r.upheld} upheld, {r.breached} breached"
            for r in rows
        )
        maker = charts.column_chart if key == "month" else charts.bar_chart
        sections.append(
            {
                "key": key,
                "title": f"By {title.lower()}",
                "rows": rows,
                "chart": maker(
                    chart_id=f"chart-{key}",
                    title=f"Complaints by {title.lower()}, {period}",
                    desc=desc or "No complaints in the period.",
                    rows=rows,
                ),
            }
        )
    paid = charts.column_chart(
        chart_id="chart-paid",
        title=f"Redress paid (GBP) by month received, {period}",
        desc="; ".join(f"{r.label}: {gbp(r.redress_paid)}" for r in data.tables["month"]),
        rows=data.tables["month"],
        series=(charts.Series("redress_paid", "Redress paid (GBP)", "#1e5b36"),),
    )
    return render(
        request,
        "remediation/dashboard.html",
        {
            "form": form,
            "data": data,
            "sections": sections,
            "paid_chart": paid,
            "query": request.GET.urlencode(),
        },
    )


@require_perm({"read": Perm.VIEW_MI})
def dashboard_csv(request: FirmRequest, table: str) -> HttpResponse:
    if table not in mi.DIMENSIONS:
        raise Http404("No such table.")
    _, data = _mi(request, dimensions=(table,))
    mi_table = mi.csv_table(table, [*data.tables[table], data.total])
    response = HttpResponse(exports.csv_bytes(mi_table), content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-mi-{table}-{data.date_from}-{data.date_to}.csv"'
    )
    return response


TILE_PAGE_SIZE = 50


@require_perm({"read": Perm.VIEW_MI})
def tile(request: FirmRequest, tile: str) -> HttpResponse:
    """The complaints behind one of the dashboard's tiles, for the same period."""
    if tile not in mi.TILES:
        raise Http404("No such figure.")
    today = london_date(timezone.now())
    form, start, end = _period(request, today)
    complaints = mi.tile_complaints(
        Complaint.objects.filter(firm_id=request.firm_id).select_related("owner"),
        tile,
        date_from=start,
        date_to=end,
        today=today,
    )
    page = Paginator(complaints, TILE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "remediation/mi_complaints.html",
        {
            "title": mi.TILES[tile][0],
            "tile": tile,
            "form": form,
            "date_from": start,
            "date_to": end,
            "page": page,
            "query": query.urlencode(),
        },
    )
