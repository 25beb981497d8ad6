"""What the remediation pages share: who may do what, the firm's members, and where actions
land: back to the complaint for the panel's, the page again for a page's own form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from common.pageactions import ActionPage, PageAction, perform
from complaints import access
from complaints.access import FirmRequest, Perm, require_perm
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


def firm_form_view(perm: Any, action: PageAction, page: ActionPage) -> Callable[..., HttpResponse]:
    """A firm's page with a form of its own (incidents, the action register, the taxonomy): a
    GET shows it, a POST runs ``action`` for the firm selected in the switcher."""

    @require_perm(perm)
    def view(request: FirmRequest) -> HttpResponse:
        firm_id = request.firm_id
        if request.method == "POST":
            firm = access.get_firm_or_404(request.user, firm_id)
            return perform(request, action, firm_id, page, firm=firm)
        return page.show(request, firm_id, action, None, 200)

    return view
