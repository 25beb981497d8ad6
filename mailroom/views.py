"""The mailroom's pages: the firm's mailbox settings, the unfiled e-mail, one message, opening
a message as a complaint (the complaint log form, prefilled), and replying from the case page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError, ValidationFailed
from common.pageactions import apply_service_errors
from complaints import selectors
from complaints.access import Perm, require_perm
from complaints.choices import Channel
from complaints.forms import EXISTING, NEW, ComplaintLogForm, apply_django_errors
from complaints.models import Complainant, Complaint
from complaints.views.base import firm_required
from complaints.views.log import _preview_context, _register

from . import services
from .attachments import refusals
from .choices import Kind, State
from .forms import MailboxForm, ReplyForm
from .models import InboundMessage, Mailbox
from .outgoing import reply_send

PAGE = 50


@firm_required
@require_perm({"read": Perm.MANAGE_FIRM, "POST": Perm.MANAGE_FIRM})
def mailbox_settings(request):
    firm = request.membership.firm
    mailbox = Mailbox.objects.filter(firm=firm).first()
    if request.method == "POST":
        form = MailboxForm(request.POST)
        if form.is_valid():
            data = services.MailboxData(**form.cleaned_data)
            try:
                mailbox = services.mailbox_save(firm=firm, actor=request.user, data=data)
            except ValidationFailed as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "The complaints mailbox settings are saved.")
                return redirect("mailroom:settings")
    else:
        initial: dict[str, Any] = {}
        if mailbox is not None:
            initial = {
                name: getattr(mailbox, name)
                for name in ("address", "host", "port", "security", "username", "folder")
            }
            initial["enabled"] = mailbox.enabled
        form = MailboxForm(initial=initial)
    return render(request, "mailroom/settings.html", {"form": form, "mailbox": mailbox})


@firm_required
@require_perm({"POST": Perm.MANAGE_FIRM})
def mailbox_test(request):
    mailbox = Mailbox.objects.filter(firm=request.membership.firm).first()
    if mailbox is None:
        messages.error(request, "Save the mailbox settings first.")
    else:
        try:
            messages.success(request, services.mailbox_test(mailbox=mailbox))
        except ValidationFailed as exc:
            messages.error(request, f"The connection failed: {exc.message}")
    return redirect("mailroom:settings")


SECTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "unfiled": (
        "Unfiled e-mail",
        {"state": State.UNFILED, "kind__in": [Kind.NEW, Kind.UNREADABLE]},
    ),
    "automatic": ("Automatic replies and bounces", {"kind__in": [Kind.AUTO_REPLY, Kind.BOUNCE]}),
    "filed": ("Filed", {"state": State.FILED}),
    "set_aside": ("Set aside", {"state": State.SET_ASIDE}),
}


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def inbox(request):
    """The firm's imported e-mail by section: unfiled (each a complaint draft to open),
    automatic replies and bounces (never complaints), filed and set aside."""
    section = request.GET.get("show", "unfiled")
    if section not in SECTIONS:
        section = "unfiled"
    title, where = SECTIONS[section]
    firm = request.membership.firm
    rows = (
        InboundMessage.objects.filter(firm=firm, **where)
        .select_related("complaint")
        .only(
            "arrived_at",
            "from_address",
            "from_name",
            "subject",
            "kind",
            "state",
            "error",
            "complaint__reference",
        )
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    counts = {
        key: InboundMessage.objects.filter(firm=firm, **q).count()
        for key, (_, q) in SECTIONS.items()
        if key in ("unfiled", "automatic")
    }
    mailbox = Mailbox.objects.filter(firm=firm).only("last_polled_at", "last_error").first()
    return render(
        request,
        "mailroom/inbox.html",
        {
            "page": page,
            "section": section,
            "title": title,
            "sections": [(key, label) for key, (label, _) in SECTIONS.items()],
            "counts": counts,
            "mailbox": mailbox,
        },
    )


def _message(request, pk: int) -> InboundMessage:
    return get_object_or_404(
        InboundMessage.objects.select_related("complaint", "filed_by"),
        pk=pk,
        firm_id=request.membership.firm_id,
    )


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=InboundMessage)
def message_detail(request, pk: int):
    message = _message(request, pk)
    kept = [o for o in message.attachment_evidence or [] if o.get("evidence_id")]
    return render(
        request,
        "mailroom/message.html",
        {"message": message, "kept": kept, "refusals": refusals(message)},
    )


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=InboundMessage)
def message_raw(request, pk: int):
    """The message as the server held it (.eml, attachments included), as a download."""
    message = _message(request, pk)
    if not message.raw:
        raise Http404("This message was not downloaded.")
    response = FileResponse(
        message.raw.open("rb"),
        as_attachment=True,
        filename=f"message-{message.pk}.eml",
        content_type="message/rfc822",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@firm_required
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=InboundMessage)
def message_set_aside(request, pk: int):
    try:
        services.inbound_set_aside(
            message_id=pk,
            firm_id=request.membership.firm_id,
            actor=request.user,
            now=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("mailroom:message", pk=pk)
    messages.success(request, "The e-mail is set aside.")
    return redirect("mailroom:inbox")


def _draft_initial(request, message: InboundMessage) -> dict[str, Any]:
    """The log form as the e-mail fills it: received when it arrived, by e-mail, from its
    sender (an existing complainant with that address is chosen), about what it says."""
    initial: dict[str, Any] = {
        "received_at": timezone.localtime(message.arrived_at).replace(microsecond=0),
        "channel": Channel.EMAIL,
        "description": (f"{message.subject}\n\n{message.text}".strip())[:10000],
    }
    known = (
        Complainant.objects.filter(
            firm_id=request.membership.firm_id,
            email__iexact=message.from_address,
            anonymised_at__isnull=True,
        )
        .order_by("-id")
        .first()
        if message.from_address
        else None
    )
    if known is not None:
        initial.update(
            complainant_mode=EXISTING,
            complainant_id=known.pk,
            complainant_search=message.from_address,
        )
    else:
        initial.update(
            complainant_mode=NEW,
            name=message.from_name or message.from_address.partition("@")[0],
            email=message.from_address,
        )
    return initial


def _arrival_kept(form: ComplaintLogForm, message: InboundMessage) -> None:
    """The form shows the arrival to the minute: left as it was, the complaint is received at
    the exact arrival (the DISP clock starts when the firm received it)."""
    given = form.cleaned_data.get("received_at")
    arrived = timezone.localtime(message.arrived_at)
    if given and given.replace(second=0, microsecond=0) == arrived.replace(second=0, microsecond=0):
        form.cleaned_data["received_at"] = message.arrived_at


@firm_required
@require_perm(
    {"read": Perm.HANDLE_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}, model=InboundMessage
)
def message_to_complaint(request, pk: int):
    """Open an unfiled e-mail as a complaint draft: the complaint log form, prefilled."""
    message = _message(request, pk)
    now = timezone.now()
    try:
        services.require_unfiled_new(message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("mailroom:message", pk=pk)
    members = selectors.firm_members(request.membership.firm_id)
    if request.method == "POST":
        form = ComplaintLogForm(request.POST, members=members)
        preview = _preview_context(request, form, now)
        duplicate_check = preview["duplicates"] and not request.POST.get("confirm_duplicate")
        if form.is_valid() and "preview" not in request.POST and not duplicate_check:
            _arrival_kept(form, message)
            try:
                complaint = services.inbound_file_as_complaint(
                    message_id=message.pk,
                    firm_id=request.membership.firm_id,
                    actor=request.user,
                    now=now,
                    register=lambda: _register(request, form, now),
                )
            except ValidationFailed as exc:
                apply_service_errors(form, exc, form.service_field_map)
            except ValidationError as exc:
                apply_django_errors(form, exc)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("mailroom:message", pk=pk)
            else:
                kind = "Complaint" if complaint.is_complaint else "Feedback/query"
                messages.success(request, f"{kind} {complaint.reference} logged from the e-mail.")
                return redirect("complaints:detail", pk=complaint.pk)
    else:
        form = ComplaintLogForm(initial=_draft_initial(request, message), members=members)
        preview = _preview_context(request, form, now)
    context = {
        "form": form,
        **preview,
        "confirming_duplicate": request.method == "POST",
        "inbound": message,
        "form_action": reverse("mailroom:to_complaint", args=[message.pk]),
    }
    return render(request, "complaints/log.html", context)


@firm_required
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=Complaint)
def complaint_reply(request, pk: int):
    """Send an e-mail from the case page, answering the complaint's thread."""
    form = ReplyForm(request.POST)
    back = reverse("complaints:detail", args=[pk]) + "#panel-email-h"
    if not form.is_valid():
        messages.error(request, "Write the e-mail before sending it.")
        return redirect(back)
    try:
        email = reply_send(
            complaint_id=pk,
            firm_ids=[request.firm_id],
            actor=request.user,
            now=timezone.now(),
            body=form.cleaned_data["body"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"E-mail to {email.to_address} queued to send.")
    return redirect(back)
