"""The one POST endpoint of the data-protection panel (``complaints.dpa_panel``): DPA 2018
s.164A complaints and subject access requests, each action one service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.pageactions import ActionPage, PageAction, perform, with_rule
from complaints.access import Perm, require_perm
from complaints.dpa_inputs import DPA_ACTIONS, arguments
from complaints.models import Complaint

from .base import firm_required

_COMPLAINT = Complaint.objects.select_related("firm")


def _describe(exc: DomainError) -> str:
    """A refusal as a flash naming each field and why (the panel cannot show its forms again)."""
    fields = "; ".join(
        f"{name.replace('_', ' ').capitalize()}: {' '.join(messages)}"
        for name, messages in exc.fields.items()
    )
    return f"{with_rule(exc)}{': ' + fields if fields else ''}"


PANEL = ActionPage(
    landing=lambda request, complaint, result: redirect(
        reverse("complaints:detail", args=[complaint.pk]) + "#data-protection"
    ),
    describe=_describe,
)
PAGE_ACTIONS = {
    path: PageAction(
        a.service,
        f"{a.summary}: done.",
        a.form,
        id_kwarg="complaint_id",
        arguments=arguments,
    )
    for path, a in DPA_ACTIONS.items()
}


@firm_required
@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_COMPLAINT)
def data_protection_act(request, pk: int, action: str):
    complaint = request.scoped_object
    if action not in PAGE_ACTIONS:
        raise Http404("Unknown action.")
    if complaint.firm_id != request.membership.firm_id:
        raise PermissionDenied(f"Switch to {complaint.firm.name} to act on this complaint.")
    return perform(request, PAGE_ACTIONS[action], complaint, PANEL)
