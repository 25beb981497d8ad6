"""Panels on the complaint page: the letters panel, and those the apps above add.

The one registry kept on purpose: remediation, the FOS tracker and the audit review sit above
the complaint page and add to it, so they register a panel in their ``AppConfig.ready()``; the
letters panel sits below and is listed here. The page renders every panel in ``order``. A panel's
``context`` callable gets ``(request, complaint)`` and returns the template context, or None to
hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from common.compiled import ANY_ID, Compiled
from common.dates import london_date
from complaints import access
from complaints.access import Perm
from complaints.models import Representative
from letters.views import complaint_panel_context as letters_panel_context

from .dpa_panel import panel_context as data_protection_panel_context
from .task_panel import panel_context as tasks_panel_context


@dataclass(frozen=True)
class ComplaintPanel:
    key: str
    title: str
    template: str
    order: int
    context: Callable[[Any, Any], dict | None]


LETTERS_PANEL = ComplaintPanel(
    key="letters",
    title="Letters",
    template="letters/panel.html",
    order=30,
    context=letters_panel_context,
)


# The panel's read, compiled once per process (issue 18): a complainant id no row has marks
# where each page binds its own.
_REPRESENTATIVES = Compiled(
    Representative.objects.filter(complainant_id=ANY_ID)
    .select_related("authority_checked_by")
    .order_by("ended_on", "-id"),
    ANY_ID,
)


def representatives_panel_context(request, complaint) -> dict:
    """Who acts for the complainant, and whether letters go to each of them today."""
    today = london_date(timezone.now())
    reps = _REPRESENTATIVES.objects(complaint.complainant_id)
    for rep in reps:
        rep.complainant = complaint.complainant  # as the related manager's rows know it
    rows = [(rep, rep.authority_problem(today)) for rep in reps]
    membership = getattr(request, "membership", None)  # set by the page's firm_required
    in_firm = membership is not None and membership.firm_id == complaint.firm_id
    can_handle = in_firm and access.has_perm(
        request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS
    )
    return {"complaint": complaint, "rows": rows, "can_handle": can_handle}


REPRESENTATIVES_PANEL = ComplaintPanel(
    key="representatives",
    title="Representatives",
    template="complaints/representatives_panel.html",
    order=25,
    context=representatives_panel_context,
)


# DPA 2018 s.164A complaints and subject access requests, with their own clocks.
DATA_PROTECTION_PANEL = ComplaintPanel(
    key="data-protection",
    title="Data protection",
    template="complaints/_data_protection_panel.html",
    order=35,
    context=data_protection_panel_context,
)
# Tasks and diary dates: chase, call back, review; overdue red, due today amber.
TASKS_PANEL = ComplaintPanel(
    key="tasks",
    title="Tasks and diary dates",
    template="complaints/_tasks_panel.html",
    order=20,
    context=tasks_panel_context,
)
_PANELS: dict[str, ComplaintPanel] = {
    panel.key: panel
    for panel in (TASKS_PANEL, REPRESENTATIVES_PANEL, LETTERS_PANEL, DATA_PROTECTION_PANEL)
}


def register_complaint_panel(panel: ComplaintPanel) -> None:
    _PANELS[panel.key] = panel


def complaint_panels(request, complaint) -> list[tuple[ComplaintPanel, dict]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, complaint)
        if ctx is not None:
            rendered.append((panel, ctx))
    return rendered


# --- the complainant page's panels ------------------------------------------------------------
# The same kind of registry for the page of one complainant: remediation, above this app, adds
# the redress items of every complaint of theirs. ``context`` gets ``(request, complainant,
# complaints)`` (their complaints as a queryset, already scoped to the user) and returns the
# template context, or None to hide the panel. The panels are read-only lists, rendered without
# the request (no forms).


@dataclass(frozen=True)
class ComplainantPanel:
    key: str
    title: str
    template: str
    order: int
    context: Callable[[Any, Any, Any], dict | None]


_COMPLAINANT_PANELS: dict[str, ComplainantPanel] = {}


def register_complainant_panel(panel: ComplainantPanel) -> None:
    _COMPLAINANT_PANELS[panel.key] = panel


def complainant_panels(request, complainant, complaints) -> list[tuple[ComplainantPanel, dict]]:
    rendered = []
    for panel in sorted(_COMPLAINANT_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, complainant, complaints)
        if ctx is not None:
            rendered.append((panel, ctx))
    return rendered
