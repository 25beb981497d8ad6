"""What the remediation pages share: who may do what, the firm's members, and where actions
land: back to the complaint for the panel's, the page again for a page's own form."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from common.pageactions import ActionPage
from complaints.access import Perm
from complaints.models import Complaint, Membership

READ_OR_MANAGE = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_REMEDIATION}
HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_REMEDIATION}


def members(firm_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(firm_id=firm_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def back(request: HttpRequest, complaint_id: int) -> HttpResponseRedirect:
    """Back where the panel's form was posted from, else to the complaint page."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return redirect(nxt)
    return redirect(reverse("complaints:detail", args=[complaint_id]))


def _back_to_complaint(
    request: HttpRequest, complaint: Complaint, result: Any
) -> HttpResponseRedirect:
    return back(request, complaint.pk)


# The panel on the complaint page cannot show a form again: its actions on the complaint flash
# what went wrong and go back to it.
PANEL = ActionPage(landing=_back_to_complaint)
