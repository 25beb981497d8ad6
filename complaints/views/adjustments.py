"""The complainant's reasonable adjustments, from one of their complaints: how they ask to be
contacted (channel, times) and written to (large print, PDF/UA, plain-text e-mail, Welsh where
the firm offers it). Any member reads them; a handler or supervisor changes them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from common.pageactions import PageAction, form_page, form_page_or_perform, message_only
from complaints import access, services
from complaints.access import Perm, require_perm
from complaints.choices import ContactChannel, LetterLanguage
from complaints.models import Complaint

from .base import firm_required

_COMPLAINT = Complaint.objects.select_related("firm", "complainant")


class AdjustmentsForm(forms.Form):
    preferred_channel = forms.ChoiceField(
        label="Preferred channel",
        choices=[("", "No preference"), *ContactChannel.choices],
        required=False,
        help_text="Letters go this way unless the handler chooses otherwise.",
    )
    contact_times = forms.CharField(
        label="Contact times",
        max_length=200,
        required=False,
        help_text="For example: weekday mornings before 11:00. Shown to handlers with deadlines.",
    )
    large_print = forms.BooleanField(label="Large print letters (16pt)", required=False)
    accessible_pdf = forms.BooleanField(
        label="Accessible PDF (PDF/UA-1, for screen readers)", required=False
    )
    plain_text_email = forms.BooleanField(label="Plain-text e-mail (no HTML)", required=False)
    letter_language = forms.ChoiceField(
        label="Language of letters",
        choices=LetterLanguage.choices,
        help_text="Welsh only where the firm offers letters in Welsh.",
    )


_SAVE = PageAction(
    services.complainant_set_adjustments,
    "Reasonable adjustments saved.",
    AdjustmentsForm,
    id_kwarg="complaint_id",
    arguments=lambda data: {"adjustments": services.Adjustments(**data)},
)


def _page(request, complaint: Complaint, posted, status):
    person = complaint.complainant
    initial = services.Adjustments.of(person).__dict__
    return render(
        request,
        "complaints/adjustments.html",
        {
            "complaint": complaint,
            "complainant": person,
            "form": posted.get("form") or AdjustmentsForm(initial=initial),
            "can_handle": access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS),
        },
        status=status,
    )


_PAGE = form_page(
    landing=lambda request, complaint, result: redirect("complaints:detail", pk=complaint.pk),
    rerender=_page,
    describe=message_only,
)


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}, model=_COMPLAINT)
def complaint_adjustments(request, pk: int):
    complaint = request.scoped_object
    if request.method == "POST" and request.membership.firm_id != complaint.firm_id:
        raise PermissionDenied(f"Switch to {complaint.firm.name} to change the adjustments.")
    return form_page_or_perform(request, _SAVE, complaint, _PAGE)
