"""A complainant's representatives on the complaint page: the panel that lists them with
whether letters go to them today, and the pages that record one, renew its authority or record
that it stopped acting. Writes go through ``complaints.services.representatives``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from common.pageactions import PageAction, form_page, perform
from complaints import services
from complaints.access import Perm, require_perm
from complaints.choices import RepresentativeKind
from complaints.models import Complaint, Representative
from complaints.services import Authority, RepresentativeData

from .base import firm_required

_COMPLAINT = Complaint.objects.select_related("firm", "complainant")
DATE = forms.DateInput(attrs={"type": "date"})


class AuthorityForm(forms.Form):
    authority_document = forms.CharField(
        label="Evidence of authority",
        max_length=200,
        required=False,
        help_text="What it is, e.g. a letter of authority signed by the complainant.",
    )
    authority_reference = forms.CharField(
        label="Evidence reference",
        max_length=100,
        required=False,
        help_text="Where the document is filed.",
    )
    authority_received_on = forms.DateField(label="Received on", widget=DATE, required=False)
    authority_expires_on = forms.DateField(
        label="Expires on", widget=DATE, required=False, help_text="Blank: it does not expire."
    )


class RepresentativeForm(AuthorityForm):
    kind = forms.ChoiceField(label="Kind", choices=RepresentativeKind.choices)
    name = forms.CharField(label="Name", max_length=200)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    address = forms.CharField(
        label="Postal address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    email = forms.EmailField(label="E-mail address", required=False)
    regulator_reference = forms.CharField(
        label="FCA/SRA reference",
        max_length=40,
        required=False,
        help_text="Required for a claims management company or a solicitor.",
    )
    receives_letters = forms.BooleanField(
        label="Letters go to this representative", required=False, initial=True
    )
    copy_to_complainant = forms.BooleanField(
        label="The authority says the complainant gets a copy of each letter", required=False
    )
    field_order = [
        "kind",
        "name",
        "organisation",
        "address",
        "email",
        "regulator_reference",
        "receives_letters",
        "copy_to_complainant",
    ]


class EndForm(forms.Form):
    reason = forms.CharField(label="Why they stopped acting", max_length=300)
    ended_on = forms.DateField(
        label="Stopped acting on", widget=DATE, required=False, help_text="Defaults to today."
    )


def _authority(d: Mapping[str, Any]) -> Authority:
    return Authority(
        document=d["authority_document"],
        reference=d["authority_reference"],
        received_on=d["authority_received_on"],
        expires_on=d["authority_expires_on"],
    )


def _representative_data(d: Mapping[str, Any]) -> dict[str, Any]:
    names = ("kind", "name", "organisation", "address", "email", "regulator_reference")
    return {
        "data": RepresentativeData(
            **{n: d[n] for n in names},
            receives_letters=d["receives_letters"],
            copy_to_complainant=d["copy_to_complainant"],
            authority=_authority(d),
        )
    }


# --- the pages -------------------------------------------------------------------------------


def _rep(complaint: Complaint, rep_pk: int) -> Representative:
    rep = Representative.objects.filter(pk=rep_pk, complainant_id=complaint.complainant_id).first()
    if rep is None:
        raise Http404("No such representative.")
    return rep


def _landing(request, complaint, result):
    return redirect("complaints:detail", pk=complaint.pk)


def _page(form_class: type[forms.Form], title: str):
    def rerender(request, complaint, posted, status):
        context = {
            "complaint": complaint,
            "form": posted.get("form") or form_class(),
            "title": title,
            "rep": getattr(request, "representative", None),
        }
        return render(request, "complaints/representative_form.html", context, status=status)

    return form_page(_landing, rerender)


ADD_PAGE = _page(RepresentativeForm, "Record a representative")
AUTHORITY_PAGE = _page(AuthorityForm, "Record evidence of authority")
END_PAGE = _page(EndForm, "Record that the representative stopped acting")
_ADD = PageAction(
    services.representative_add,
    "Representative recorded.",
    RepresentativeForm,
    id_kwarg="complaint_id",
    arguments=_representative_data,
)
_AUTHORITY = PageAction(
    services.representative_record_authority,
    "Evidence of authority recorded.",
    AuthorityForm,
    id_kwarg="complaint_id",
    arguments=lambda d: {"authority": _authority(d)},
)
_END = PageAction(
    services.representative_end,
    "Recorded that the representative stopped acting.",
    EndForm,
    id_kwarg="complaint_id",
)


def _show_or_perform(request, action: PageAction, page, complaint, **extra):
    if complaint.firm_id != request.membership.firm_id:
        # As on the complaint page: nobody acts in one firm while looking at another.
        raise PermissionDenied(f"Switch to {complaint.firm.name} to act on this complaint.")
    if request.method == "POST":
        return perform(request, action, complaint, page, **extra)
    return page.show(request, complaint, action, None, 200)


@firm_required
@require_perm(Perm.HANDLE_COMPLAINTS, model=_COMPLAINT)
def representative_add(request, pk: int):
    return _show_or_perform(request, _ADD, ADD_PAGE, request.scoped_object)


@firm_required
@require_perm(Perm.HANDLE_COMPLAINTS, model=_COMPLAINT)
def representative_authority(request, pk: int, rep: int):
    complaint = request.scoped_object
    request.representative = _rep(complaint, rep)
    return _show_or_perform(request, _AUTHORITY, AUTHORITY_PAGE, complaint, representative_id=rep)


@firm_required
@require_perm(Perm.HANDLE_COMPLAINTS, model=_COMPLAINT)
def representative_end(request, pk: int, rep: int):
    complaint = request.scoped_object
    request.representative = _rep(complaint, rep)
    return _show_or_perform(request, _END, END_PAGE, complaint, representative_id=rep)
