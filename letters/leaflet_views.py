"""The FOS leaflet pages (firm set-up, next to the letter templates) and a posted letter's print
pack. Every member reads; only a firm administrator (manage_firm) uploads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from common.pageactions import PageAction, form_page, form_page_or_perform, message_only
from complaints import access
from complaints.access import Perm, require_perm

from . import leaflets
from .forms import FosLeafletForm
from .models import FosLeaflet, Letter
from .rendering import print_pack

READ = {"GET": Perm.VIEW_COMPLAINTS}
_LETTER = Letter.objects.select_related("complaint__firm", "fos_leaflet")


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
    """A sent letter as the firm prints it for post: its PDF, then what it encloses."""
    if not letter.is_sent:
        raise Http404("A letter has a print pack once it is sent.")
    data = print_pack(letter.sent_pdf, letter.enclosures())
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{letter.complaint.reference}-{letter.letter_type}-print-pack.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(READ, model=_LETTER, kwarg="letter_id", firm_path="complaint__firm_id")
def letter_print_pack(request, letter_id: int):
    return print_pack_response(request.scoped_object)
