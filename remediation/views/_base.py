"""What the remediation pages share: the request as complaints.access leaves it, form and
flash feedback, and the way back to the complaint."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from common.errors import DomainError
from complaints.access import Perm
from complaints.models import Membership

READ_OR_MANAGE = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_REMEDIATION}
HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_REMEDIATION}


def flash_error(request: HttpRequest, exc: DomainError) -> None:
    rule = f" ({exc.rule})" if exc.rule else ""
    messages.error(request, f"{exc.message}{rule}")


def flash_form(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ") if field in form.fields else ""
        first = str(errors[0])  # ErrorList yields messages; the stubs say ValidationError too
        messages.error(request, f"{label.capitalize()}: {first}" if label else first)


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
