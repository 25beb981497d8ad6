"""The complaint page: complainant, deadlines, actions, assignment, notes, panels, timeline.

Every action posts the ``expected_version`` the page was rendered with; the service refuses a
stale one with a ConflictError, and the page is shown again with the fresh state and a banner.
Irreversible actions (``ActionSpec.irreversible``) ask for confirmation first; an action that
sends a letter shows the letter first (``_confirm_letters``) and sends only the letter shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, partial
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from common.compiled import ANY_ID, Compiled
from common.dates import london_date
from common.display import display_value
from common.errors import ConflictError, DomainError, TransitionRefused, ValidationFailed
from common.pageactions import ActionPage, PageAction, apply_service_errors, perform
from complaints import access, selectors, services
from complaints.access import Perm, require_perm
from complaints.actions import INTERFACES
from complaints.errors import ErrorCode
from complaints.forms import AssignForm, NoteForm
from complaints.guards import ACTIONS, Availability, available_actions
from complaints.models import Complaint, ForwardedPart
from complaints.page_reads import firm_calendar_once, firm_members_once
from complaints.panels import complaint_panels
from complaints.selectors.intake import IMPORTED_FROM, imported_from
from letters.shown import shown_issued

from .base import firm_required

# Each action's permission (reopening is a supervisor's call) declares complaints:act per URL
# action and enables the buttons on the page.
ACTION_PERMS = {name: spec.perm for name, spec in ACTIONS.items()}
_COMPLAINT = Complaint.objects.select_related("firm", "complainant", "owner")
# The access check's read of the page's complaint, compiled once per process (issue 18); the
# check then requires its firm to be one of the user's. An imported complaint's provenance
# comes in the same row (``IMPORTED_FROM``).
_COMPLAINT_ROW = Compiled(
    _COMPLAINT.annotate(**IMPORTED_FROM).filter(pk=ANY_ID), ANY_ID, prepared=True
)


def _fetch_complaint(pk: int) -> Complaint | None:
    return next(iter(_COMPLAINT_ROW.objects(pk)), None)


@dataclass
class ActionView:
    spec: Availability
    permitted: bool
    complaint: Complaint
    posted: forms.Form | None = None
    is_open: bool = False
    confirming: bool = False
    confirm_summary: list[tuple[str, str]] | None = None

    @cached_property
    def form(self) -> forms.Form:
        """The posted form, else a fresh one; built when read (the page shows the form of an
        enabled action only)."""
        return (
            self.posted if self.posted is not None else _action_form(self.spec.name, self.complaint)
        )

    @property
    def enabled(self) -> bool:
        return self.spec.allowed and self.permitted

    @property
    def confirm_label(self) -> str:
        return confirm_label(self.spec.name)

    @property
    def asks_first(self) -> bool:
        """Its form continues to a confirmation: it is irreversible or it sends a letter."""
        spec = ACTIONS[self.spec.name]
        return spec.irreversible or spec.communication is not None


def confirm_label(action: str) -> str:
    spec = ACTIONS[action]
    return spec.confirm or f"Yes, {spec.label.lower()}"


def _action_form(name: str, complaint: Complaint, data=None) -> forms.Form:
    # Unprefixed names (every action posts ``expected_version``) with ids unique on the page.
    # A letter goes the complainant's preferred way unless the handler chooses otherwise.
    return INTERFACES[name].form(
        data,
        initial={
            "expected_version": complaint.version,
            "method": complaint.complainant.letter_channel,
        },
        auto_id=f"id_{name}_%s",
    )


def _display(field: forms.Field, value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(field, forms.ChoiceField):
        return str(dict(cast(Any, field.choices)).get(value, value))
    return display_value(value)


def _confirm_summary(form: forms.Form) -> list[tuple[str, str]]:
    summary = []
    for name, field in form.fields.items():
        if name == "expected_version":
            continue
        shown = _display(field, form.cleaned_data.get(name))
        if name in ("sent_at", "withdrawn_at") and not shown:
            shown = "Now"
        if shown:
            summary.append((str(field.label or name.replace("_", " ").capitalize()), shown))
    return summary


def _in_current_firm(request, complaint: Complaint) -> bool:
    return complaint.firm_id == request.membership.firm_id


def _can(request, complaint: Complaint, perm: Perm) -> bool:
    return _in_current_firm(request, complaint) and access.has_perm(
        request.user, complaint.firm_id, perm
    )


def _render(
    request,
    complaint: Complaint,
    now: datetime,
    *,
    open_action: str | None = None,
    posted: dict[str, forms.Form] | None = None,
    confirming: bool = False,
    banner: DomainError | None = None,
    status: int = 200,
):
    """The page; ``posted`` forms are shown again: the open action's under its name, and
    ``assign_form`` or ``note_form``."""
    posted = posted or {}
    action_form = posted.get(open_action) if open_action else None
    assign_form = posted.get("assign_form")
    note_form = posted.get("note_form")
    calendar = firm_calendar_once(request, complaint.firm)
    members = firm_members_once(request, complaint.firm_id)
    actions = []
    for spec in available_actions(complaint, now):
        is_open = spec.name == open_action
        form = action_form if is_open and action_form is not None else None
        actions.append(
            ActionView(
                spec=spec,
                permitted=_can(request, complaint, ACTIONS[spec.name].perm),
                complaint=complaint,
                posted=form,
                is_open=is_open,
                confirming=is_open and confirming,
                confirm_summary=_confirm_summary(form) if form and is_open and confirming else None,
            )
        )
    if assign_form is None:
        assign_form = AssignForm(
            initial={"expected_version": complaint.version, "owner": complaint.owner_id or ""},
            members=members,
        )
    panels = [
        (panel, mark_safe(_render_panel(request, panel, ctx)))
        for panel, ctx in complaint_panels(request, complaint)
    ]
    can_handle = _can(request, complaint, Perm.HANDLE_COMPLAINTS)
    context = {
        "complaint": complaint,
        "complainant": complaint.complainant,
        "deadlines": selectors.complaint_deadlines(complaint, now=now, calendar=calendar),
        "actions": actions,
        "can_handle": can_handle,
        "can_assign": _can(request, complaint, Perm.ASSIGN_COMPLAINTS),
        "in_current_firm": _in_current_firm(request, complaint),
        "role_label": request.membership.get_role_display(),
        "assign_form": assign_form,
        "note_form": note_form or NoteForm(auto_id="id_note_%s"),
        "panels": panels,
        "timeline": selectors.readable_timeline(complaint),
        "forwarded_parts": _forwarded_parts(complaint),
        "banner": banner,
        "banner_is_conflict": isinstance(banner, ConflictError),
        "now": now,
        "today": london_date(now),
        "sees_vulnerability": _can(request, complaint, Perm.VIEW_VULNERABILITY_DETAIL),
        "imported": imported_from(complaint),
    }
    return render(request, "complaints/detail.html", context, status=status)


# The page's own reads of the complaint's rows, compiled once per process (issue 18): a
# complaint id no row has marks where each page binds its own.
_PARTS = Compiled(selectors.forwarded_parts(Complaint(pk=ANY_ID)), ANY_ID)


def _forwarded_parts(complaint: Complaint) -> list[ForwardedPart]:
    parts = _PARTS.objects(complaint.pk)
    for part in parts:
        part.complaint = complaint  # as the related manager's rows know it
    return parts


def _render_panel(request, panel, ctx) -> str:
    return render_to_string(panel.template, {**ctx, "panel": panel}, request=request)


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=_COMPLAINT, fetch=_fetch_complaint)
def complaint_detail(request, pk: int):
    complaint = request.scoped_object
    now = timezone.now()
    open_action = request.GET.get("action")
    if open_action not in ACTIONS:
        open_action = None
    return _render(request, complaint, now, open_action=open_action)


def _fresh(request, pk: int) -> Complaint:
    return access.get_complaint_or_404(request.user, pk)


def _require_current_firm(request, complaint: Complaint) -> None:
    # The role check is complaints.access's; acting also needs the complaint's firm to be the
    # one selected in the switcher, so nobody acts in one firm while looking at another.
    if not _in_current_firm(request, complaint):
        raise PermissionDenied(f"Switch to {complaint.firm.name} to act on this complaint.")


def _rerender(request, complaint: Complaint, posted: dict[str, forms.Form], status: int):
    open_action = next((name for name in posted if name in ACTIONS), None)
    now = timezone.now()
    return _render(request, complaint, now, open_action=open_action, posted=posted, status=status)


def _refused(request, complaint: Complaint, action: PageAction, form, exc: DomainError):
    """A stale page or a refused step shows the complaint as it is now under a banner; a
    service's field errors go on the form. Anything else is not the page's to answer."""
    if isinstance(exc, ValidationFailed) and form is not None:
        apply_service_errors(form, exc)
        return _rerender(request, _fresh(request, complaint.pk), {action.form_name: form}, 200)
    if isinstance(exc, ConflictError | TransitionRefused):
        return _render(request, _fresh(request, complaint.pk), timezone.now(), banner=exc)
    raise exc


# The complaint page's actions: bad input shows the page again (a 200, as it always has).
PAGE = ActionPage(
    landing=lambda request, complaint, result: redirect("complaints:detail", pk=complaint.pk),
    rerender=_rerender,
    invalid_status=200,
    refused=_refused,
)
# The lifecycle actions: the form's fields are the service's keyword arguments.
LIFECYCLE = {
    name: PageAction(
        interface.service, f"{interface.spec.label}: done.", form_name=name, id_kwarg="complaint_id"
    )
    for name, interface in INTERFACES.items()
}
_ASSIGN = PageAction(
    services.complaint_assign,
    "Owner updated.",
    form_name="assign_form",
    id_kwarg="complaint_id",
    arguments=lambda data: {
        "owner_id": int(data["owner"]) if data["owner"] else None,
        "expected_version": data["expected_version"],
    },
)
_NOTE = PageAction(
    services.complaint_add_note,
    "Note added.",
    partial(NoteForm, auto_id="id_note_%s"),
    form_name="note_form",
    id_kwarg="complaint_id",
)


@firm_required
@require_POST
@require_perm(
    {**ACTION_PERMS, "POST": Perm.HANDLE_COMPLAINTS},
    model=_COMPLAINT,
    action_kwarg="action",
    fetch=_fetch_complaint,
)
def complaint_act(request, pk: int, action: str):
    complaint = request.scoped_object
    if action not in INTERFACES:
        raise Http404("Unknown action.")
    _require_current_firm(request, complaint)
    form = _action_form(action, complaint, request.POST)
    confirmed = request.POST.get("confirmed") == "yes"
    if ACTIONS[action].communication:
        # Every letter is seen before it goes: the first post shows it, the second sends it
        # if it is still the letter shown (its digest), through the same service.
        if form.is_valid() and not confirmed:
            return _confirm_letters(request, complaint, action, form)
        digest = request.POST.get("letter_digest", "")
        return perform(
            request, LIFECYCLE[action], complaint, PAGE, form=form, preview_digest=digest
        )
    if form.is_valid() and ACTIONS[action].irreversible and not confirmed:
        now = timezone.now()
        if form.cleaned_data["expected_version"] != complaint.version:
            # Do not ask to confirm something based on a stale page: show the fresh one.
            return _render(request, complaint, now, banner=_stale())
        return _render(
            request, complaint, now, open_action=action, posted={action: form}, confirming=True
        )
    return perform(request, LIFECYCLE[action], complaint, PAGE, form=form)


def _confirm_letters(request, complaint: Complaint, action: str, form: forms.Form):
    """The letters ``action`` would send with the posted inputs, for the handler to confirm.
    Nothing is written: the service's preview renders them; a refusal it meets shows as the
    action itself would show it."""
    now = timezone.now()
    if form.cleaned_data["expected_version"] != complaint.version:
        return _render(request, complaint, now, banner=_stale())
    try:
        preview = services.response_preview(
            action, complaint_id=complaint.pk, actor=request.user, now=now, **form.cleaned_data
        )
    except DomainError as exc:
        return _refused(request, complaint, LIFECYCLE[action], form, exc)
    spec = ACTIONS[action]
    several = len(preview.letters) > 1
    return render(
        request,
        "letters/confirm.html",
        {
            "complaint": complaint,
            "heading": f"Confirm: {spec.label}",
            "verb": "sending",
            "intro": (
                "Check the letters below: they go together when you confirm, and the complaint "
                "moves on in the same step. Nothing has been sent or recorded yet."
                if several
                else "Check the letter below: it goes when you confirm, and the complaint moves "
                "on in the same step. Nothing has been sent or recorded yet."
            ),
            "summary": _confirm_summary(form),
            "shown": [shown_issued(issued) for issued in preview.letters],
            "action_url": reverse("complaints:act", args=[complaint.pk, action]),
            "form": form,
            "digest": preview.digest,
            "can_confirm": preview.sendable,
            "button": confirm_label(action),
            "button_class": "danger" if spec.irreversible else "",
            "cancel_url": reverse("complaints:detail", args=[complaint.pk]),
            "cannot": "This cannot be sent until every mandatory-content check passes.",
        },
    )


def _stale() -> ConflictError:
    return ConflictError(
        ErrorCode.STALE,
        "Someone else changed this complaint after you opened it. Review its current state "
        "and try again.",
    )


@firm_required
@require_POST
@require_perm({"POST": Perm.ASSIGN_COMPLAINTS}, model=_COMPLAINT, fetch=_fetch_complaint)
def complaint_assign(request, pk: int):
    complaint = request.scoped_object
    _require_current_firm(request, complaint)
    form = AssignForm(request.POST, members=selectors.firm_members(complaint.firm_id))
    return perform(request, _ASSIGN, complaint, PAGE, form=form)


@firm_required
@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_COMPLAINT, fetch=_fetch_complaint)
def complaint_note(request, pk: int):
    complaint = request.scoped_object
    _require_current_firm(request, complaint)
    return perform(request, _NOTE, complaint, PAGE)
