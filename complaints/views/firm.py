"""Choosing the firm to work in, for users who belong to several."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from complaints import access


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


@login_required
def pick_firm(request):
    """After sign-in: a user in several firms chooses which one to work in."""
    memberships = access.memberships(request.user)
    if not memberships:
        return render(request, "complaints/no_firm.html", status=403)
    return render(
        request,
        "complaints/pick_firm.html",
        {"next": _safe_next(request, request.GET.get("next"))},
    )


@login_required
@require_POST
def switch_firm(request):
    """Store the chosen firm in the session, only if the user is a member of it."""
    try:
        firm_id = int(request.POST.get("firm_id", ""))
    except ValueError:
        raise Http404("No such firm.") from None
    membership = next((m for m in access.memberships(request.user) if m.firm_id == firm_id), None)
    if membership is None:
        raise Http404("No such firm.")
    request.session["firm_id"] = firm_id
    messages.success(
        request, f"You are working in {membership.firm.name} as {membership.get_role_display()}."
    )
    return redirect(_safe_next(request, request.POST.get("next")))
