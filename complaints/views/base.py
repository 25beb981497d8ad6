"""What every UI view shares: sign-in, the current firm, and the clock of the request."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from complaints import access
from complaints.access import current_membership


def firm_required(view):
    """Signed in, a member of a firm, and (with several memberships) a firm chosen.

    Sets ``request.membership``: the current firm and role, from the session's ``firm_id``.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        memberships = access.memberships(request.user)
        if not memberships:
            return render(request, "complaints/no_firm.html", status=403)
        chosen = request.session.get("firm_id")
        if len(memberships) > 1 and chosen not in {m.firm_id for m in memberships}:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('complaints:pick_firm')}?{query}")
        request.membership = current_membership(request)
        return view(request, *args, **kwargs)

    return wrapper
