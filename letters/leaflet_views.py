"""The letter set-up pages next to the letter templates (the FOS leaflet; what letters say when
the event date is unknown) and a posted letter's print pack. Every member reads; only a firm
administrator (manage_firm) uploads or chooses."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from common.pageactions import PageAction, form_page, form_page_or_perform, message_only
from complaints import access
from complaints import services as complaint_services
from complaints.access import Perm, require_perm
from complaints.choices import UnknownEventDateWording

from . import content, leaflets
from .forms import FosLeafletForm, UnknownEventDateWordingForm, WelshSettingForm
from .models import FosLeaflet, Letter
from .pdf import print_pack

READ = {"GET": Perm.VIEW_COMPLAINTS}
_LETTER = Letter.objects.select_related("complaint__firm", "complaint__complainant", "fos_leaflet")


def upload_arguments(data) -> dict:
    """The form's (or the API body's) fields as ``leaflets.leaflet_upload`` takes them."""
    name, content = leaflets.read_upload(data["file"])
    return {
        "file_name": name,
        "data": content,
        "label": data.get("label", ""),
        "checked_on": data.get("checked_on"),
    }


_UPLOAD = PageAction(
    leaflets.leaflet_upload,
    lambda firm, leaflet: f"Uploaded: {leaflet.describe()}. Letters now enclose it.",
    FosLeafletForm,
    id_kwarg="firm_id",
    arguments=upload_arguments,
)


def _page(request, firm, forms, status):
    versions = list(leaflets.leaflet_versions(firm.pk))
    return render(
        request,
        "letters/fos_leaflet.html",
        {
            "firm": firm,
            "current": versions[0] if versions else None,
            "versions": versions,
            "form": forms.get("form") or FosLeafletForm(),
            "can_manage": access.has_perm(request.user, firm.pk, Perm.MANAGE_FIRM),
        },
        status=status,
    )


_LEAFLET_PAGE = form_page(
    landing=lambda *_: redirect("letters:fos_leaflet"), rerender=_page, describe=message_only
)


@require_perm({**READ, "POST": Perm.MANAGE_FIRM})
def leaflet_page(request):
    return form_page_or_perform(request, _UPLOAD, request.membership.firm, _LEAFLET_PAGE)


_WORDING = PageAction(
    complaint_services.firm_set_unknown_event_date_wording,
    lambda firm, saved: "Saved. When the event date is unknown: "
    f"{saved.get_unknown_event_date_wording_display()}.",
    UnknownEventDateWordingForm,
    id_kwarg="firm_id",
)


def _wording_page(request, firm, forms, status):
    """CP26/4 para 3.24: each choice with the sentence the standard letters then carry."""
    choices = [
        (value, label, content.UNKNOWN_EVENT_DATE_SAYS[value])
        for value, label in UnknownEventDateWording.choices
    ]
    initial = {"wording": firm.unknown_event_date_wording}
    return render(
        request,
        "letters/unknown_event_date.html",
        {
            "firm": firm,
            "choices": choices,
            "form": forms.get("form") or UnknownEventDateWordingForm(initial=initial),
            "can_manage": access.has_perm(request.user, firm.pk, Perm.MANAGE_FIRM),
        },
        status=status,
    )


_WORDING_PAGE = form_page(
    landing=lambda *_: redirect("letters:unknown_event_date"),
    rerender=_wording_page,
    describe=message_only,
)


@require_perm({**READ, "POST": Perm.MANAGE_FIRM})
def unknown_event_date_page(request):
    return form_page_or_perform(request, _WORDING, request.membership.firm, _WORDING_PAGE)


_WELSH = PageAction(
    complaint_services.firm_set_offers_welsh,
    lambda firm, saved: "Saved: letters in Welsh are "
    + ("offered." if saved.offers_welsh else "not offered."),
    WelshSettingForm,
    id_kwarg="firm_id",
)


def _welsh_page(request, firm, forms, status):
    return render(
        request,
        "letters/welsh.html",
        {
            "firm": firm,
            "form": forms.get("form")
            or WelshSettingForm(initial={"offers_welsh": firm.offers_welsh}),
            "can_manage": access.has_perm(request.user, firm.pk, Perm.MANAGE_FIRM),
        },
        status=status,
    )


_WELSH_PAGE = form_page(
    landing=lambda *_: redirect("letters:welsh"), rerender=_welsh_page, describe=message_only
)


@require_perm({**READ, "POST": Perm.MANAGE_FIRM})
def welsh_page(request):
    return form_page_or_perform(request, _WELSH, request.membership.firm, _WELSH_PAGE)


@require_perm(READ)
def leaflet_pdf(request, version: int):
    leaflet = FosLeaflet.objects.filter(firm=request.membership.firm, version=version).first()
    if leaflet is None:
        raise Http404("No such leaflet version.")
    response = HttpResponse(leaflet.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fos-leaflet-v{leaflet.version}.pdf"'
    response["X-Content-SHA256"] = leaflet.sha256
    return response


def print_pack_response(letter: Letter) -> HttpResponse:
    """A letter as the firm prints it for post: its PDF, then what it encloses. Sent: the
    stored PDF and the leaflet version recorded with it. A draft: the DRAFT copy and the
    firm's current leaflet, when the letter says it is enclosed and one is on file."""
    if letter.is_sent:
        data = print_pack(letter.sent_pdf, letter.enclosures())
        name = f"{letter.complaint.reference}-{letter.letter_type}-print-pack.pdf"
    else:
        html = content.letter_document(letter, letter_date=timezone.now(), draft=True)
        leaflet = (
            FosLeaflet.objects.current_for(letter.complaint.firm_id)
            if content.says_leaflet_enclosed(html)
            else None
        )
        enclosures = [leaflet.as_enclosure()] if leaflet else []
        data = print_pack(content.letter_pdf(letter, html), enclosures)
        name = f"{letter.complaint.reference}-{letter.letter_type}-print-pack-DRAFT.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(READ, model=_LETTER, kwarg="letter_id", firm_path="complaint__firm_id")
def letter_print_pack(request, letter_id: int):
    return print_pack_response(request.scoped_object)
