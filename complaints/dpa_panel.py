"""The data-protection panel on the complaint page: DPA 2018 s.164A complaints and subject
access requests, each with its own clock, and the forms for the next steps of each (posted to
``complaints.views.dataprotection``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from common.dates import london_date

from . import access
from .access import Perm
from .dpa_inputs import DPA_ACTIONS, DpaRecordForm, SarRecordForm
from .models import Complaint
from .page_reads import firm_calendar_once
from .selectors.dataprotection import DpaView, SarView, data_protection_summary


def panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """Context of the data-protection panel (complaints.panels)."""
    if not access.has_perm(request.user, complaint.firm_id, Perm.VIEW_COMPLAINTS):
        return None
    calendar = firm_calendar_once(request, complaint.firm)
    summary = data_protection_summary(complaint, london_date(timezone.now()), calendar)
    can_handle = _can_handle(request, complaint)
    channel = complaint.complainant.letter_channel
    return {
        "complaint": complaint,
        "dp": summary,
        "dpa_rows": [(v, _dpa_steps(v, channel) if can_handle else []) for v in summary.complaints],
        "sar_rows": [(v, _sar_steps(v, channel) if can_handle else []) for v in summary.requests],
        "can_handle": can_handle,
        "forms": {
            "record_complaint": DpaRecordForm(auto_id="id_dpa_%s"),
            "record_sar": SarRecordForm(auto_id="id_sar_%s"),
        },
    }


def _step(path: str, key: str, pk: int, channel: str) -> tuple[str, str, forms.Form]:
    """One step's form; a letter goes the complainant's way (never e-mail without an address)."""
    action = DPA_ACTIONS[path]
    form = action.form(initial={key: pk, "method": channel}, auto_id=f"id_{path}_{pk}_%s")
    return path, action.summary, form


def _dpa_steps(view: DpaView, channel: str) -> list[tuple[str, str, forms.Form]]:
    if view.outcome_on is not None:
        return []
    paths = ["progress", "outcome"]
    if view.acknowledged_on is None:
        paths.insert(0, "acknowledge")
    return [_step(p, "dpa_id", view.record.pk, channel) for p in paths]


def _sar_steps(view: SarView, channel: str) -> list[tuple[str, str, forms.Form]]:
    record = view.record
    if record.answered_on is not None:
        paths: list[str] = []
    elif view.clock.starts_on is None:
        paths = ["sar-identity"]
    elif view.clock.stopped:
        paths = ["sar-clarified"]
    else:
        paths = ["sar-clarify", *([] if record.extended else ["sar-extend"]), "sar-answer"]
    return [_step(p, "sar_id", record.pk, channel) for p in paths]


def _can_handle(request: HttpRequest, complaint: Complaint) -> bool:
    membership = getattr(request, "membership", None)
    return (
        membership is not None
        and membership.firm_id == complaint.firm_id
        and access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    )
