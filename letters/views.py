"""Letters UI: the workspace per complaint, one letter's page, previews, and the template
editor. Views are thin: access is declared per view with complaints.access.require_perm and the
work is done by the services."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django_fsm import can_proceed

from common.compiled import ANY_ID, Compiled
from common.errors import DomainError
from common.pageactions import (
    ActionPage,
    PageAction,
    Refusal,
    form_page,
    perform,
)
from complaints import access
from complaints import services as complaint_services
from complaints.access import Perm, require_perm
from complaints.models import Complaint

from . import content, delivery, selectors, services
from .choices import LetterStatus, LetterType
from .forms import (
    EditLetterForm,
    NewLetterForm,
    ReviewForm,
    SendForm,
)
from .models import Letter
from .shown import shown, shown_issued

# --- access --------------------------------------------------------------------------------
# Reading letters needs view_complaints, drafting, editing and sending handle_complaints,
# approving (or returning) approve_letters, and templates and the approval policy manage_firm.
# Another firm's letter or complaint is a 404, one in the user's firm beyond their role a 403.
# The services check the role again and hold the four-eyes rule (the drafter never approves).

READ = {"GET": Perm.VIEW_COMPLAINTS}
HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_FIRM}
ACTIONS = {"approve": Perm.APPROVE_LETTERS, "return": Perm.APPROVE_LETTERS, **HANDLE}

_COMPLAINT = Complaint.objects.select_related("firm", "complainant", "owner")
_LETTER = Letter.objects.select_related(
    "complaint__firm", "complaint__complainant", "template_version__template", "representative"
)
_ON_LETTER: dict[str, Any] = {
    "model": _LETTER,
    "kwarg": "letter_id",
    "firm_path": "complaint__firm_id",
}


# --- helpers -------------------------------------------------------------------------------


def complaint_url(complaint) -> str | None:
    try:
        return reverse("complaints:detail", args=[complaint.pk])
    except NoReverseMatch:
        return None


def _error_message(exc: DomainError) -> str:
    return (
        f"{exc.message} [{exc.rule}]" if exc.rule and exc.rule not in exc.message else exc.message
    )


# The letters panel's read, compiled once per process and planned once per connection (issue
# 18: its plan cost the server 0.85 ms a page): a complaint id no row has marks where each page
# binds its own.
_PANEL_LETTERS = Compiled(
    delivery.with_email_state(selectors.letters_for_complaint(ANY_ID))[:10], ANY_ID, prepared=True
)


def complaint_panel_context(request, complaint) -> dict:
    """The letters panel on the complaint page (complaints.panels)."""
    letters = _PANEL_LETTERS.objects(complaint.pk)
    emails = delivery.email_deliveries(letters)
    for letter in letters:
        letter.email_delivery = emails.get(letter.pk)  # type: ignore[attr-defined]
    return {
        "complaint": complaint,
        "letters": letters,
        "workspace_url": reverse("letters:workspace", args=[complaint.pk]),
    }


# --- workspace -----------------------------------------------------------------------------


@require_perm(READ, model=_COMPLAINT)
def workspace(request, pk: int):
    return _render_workspace(request, request.scoped_object, {}, 200)


def _render_workspace(request, complaint, forms, status):
    now = timezone.now()
    firm_id = complaint.firm_id
    return render(
        request,
        "letters/workspace.html",
        {
            "complaint": complaint,
            "groups": selectors.grouped_letters(complaint),
            "draftable": selectors.draftable_types(complaint, now),
            "approval_types": selectors.approval_required_types(complaint.firm),
            "form": forms.get("form") or NewLetterForm(),
            "can_handle": access.has_perm(request.user, firm_id, Perm.HANDLE_COMPLAINTS),
            "can_approve": access.has_perm(request.user, firm_id, Perm.APPROVE_LETTERS),
            "complaint_url": complaint_url(complaint),
        },
        status=status,
    )


def _to_letter(request, obj, letter):
    return redirect("letters:letter", letter_id=letter.pk)


# Drafting from the workspace: a refusal goes on the form; success opens the draft.
_WORKSPACE = form_page(landing=_to_letter, rerender=_render_workspace, describe=_error_message)
_DRAFT = PageAction(
    services.letter_create_draft,
    lambda complaint, letter: f"Drafted: {letter.get_letter_type_display()}.",
    NewLetterForm,
    id_kwarg="complaint_id",
)


@require_perm(HANDLE, model=_COMPLAINT)
def draft_create(request, pk: int):
    return perform(request, _DRAFT, request.scoped_object, _WORKSPACE)


# --- one letter ----------------------------------------------------------------------------


@require_perm(READ, **_ON_LETTER)
def letter_page(request, letter_id: int):
    return _render_letter(request, request.scoped_object)


def _rerender_letter(request, letter, forms, status):
    """The letter as it is now (after a refused change too), with the posted wording."""
    letter = _LETTER.get(pk=letter.pk)
    return _render_letter(request, letter, edit_form=forms.get("edit_form"), status=status)


def _render_letter(request, letter, *, edit_form=None, status=200):
    firm_id = letter.complaint.firm_id
    can_handle = access.has_perm(request.user, firm_id, Perm.HANDLE_COMPLAINTS)
    can_approve = access.has_perm(request.user, firm_id, Perm.APPROVE_LETTERS)
    requires_approval = letter.letter_type in selectors.approval_required_types(
        letter.complaint.firm
    )
    drafter = request.user.pk in letter.drafter_ids
    editable = can_proceed(letter.edit)
    email = delivery.email_delivery(letter)
    return render(
        request,
        "letters/letter.html",
        {
            "letter": letter,
            "complaint": letter.complaint,
            "companion": letter.companion,
            "edit_form": edit_form
            or EditLetterForm(initial={"subject": letter.subject, "body_text": letter.body_text}),
            "send_form": SendForm(initial={"delivery": content.default_delivery(letter)}),
            "review_form": ReviewForm(),
            "editable": editable and can_handle,
            "requires_approval": requires_approval,
            "can_submit": can_handle and can_proceed(letter.submit),
            "can_approve": can_approve and not drafter and can_proceed(letter.approve),
            "approver_is_drafter": can_approve and drafter,
            "can_return": can_approve and can_proceed(letter.return_to_drafter),
            "can_send": can_handle
            and editable
            and letter.letter_type != LetterType.FORWARDING_COVER
            and (letter.status == LetterStatus.APPROVED or not requires_approval),
            "deliveries": list(letter.deliveries.all()) if letter.is_sent else [],
            "email": email,
            "can_retry_email": can_handle and email is not None and email.retryable,
            "history": letter.history.select_related("history_user").order_by("history_id"),
            "complaint_url": complaint_url(letter.complaint),
        },
        status=status,
    )


def _delivery(post) -> dict:
    form = SendForm(post)
    if not form.is_valid():
        raise Http404("Unknown delivery.")
    return {"delivery": form.cleaned_data["delivery"]}


def _note(post) -> dict:
    return {"note": post.get("note", "")}


# One letter's actions, by the URL's action: a refusal is flashed on the letter's page, shown
# again with the refusal's status.
_LETTER_PAGE = ActionPage(
    landing=lambda request, letter, result: redirect("letters:letter", letter_id=letter.pk),
    rerender=_rerender_letter,
    refusal=Refusal.PAGE,
    describe=_error_message,
)
_on_letter = partial(PageAction, id_kwarg="letter_id")
LETTER_ACTIONS = {
    "edit": _on_letter(
        services.letter_update_draft,
        "Wording saved. Any approval has lapsed.",
        EditLetterForm,
        "edit_form",
    ),
    "submit": _on_letter(services.letter_submit_for_approval, "Submitted for approval."),
    "approve": _on_letter(
        services.letter_approve, "Approved: the letter can now be sent.", arguments=_note
    ),
    "return": _on_letter(
        services.letter_return_to_drafter, "Returned to the drafter.", arguments=_note
    ),
    "send": _on_letter(
        complaint_services.complaint_send_letter,
        "Sent. The complaint has moved on and the letter is filed.",
        arguments=_delivery,
    ),
    "retry_email": _on_letter(
        delivery.letter_retry_email, "The e-mail is queued again: it is being tried now."
    ),
    "discard": _on_letter(
        services.letter_discard,
        "Draft discarded.",
        landing=lambda request, letter, result: redirect(
            "letters:workspace", pk=letter.complaint_id
        ),
    ),
}


# Asked to confirm first: sending and approving show the letter as it will go; discarding
# names what goes. The confirmation posts ``confirmed=yes`` (and the letter's digest, which the
# service compares with the letter as it is then).
CONFIRMED_ACTIONS = {"send", "approve", "discard"}


@require_perm(ACTIONS, action_kwarg="action", **_ON_LETTER)
def letter_action(request, letter_id: int, action: str):
    if action not in LETTER_ACTIONS:
        raise Http404("Unknown action.")
    letter = request.scoped_object
    extra = {}
    if action in CONFIRMED_ACTIONS:
        if request.POST.get("confirmed") != "yes":
            return _confirm(request, letter, action)
        digest = request.POST.get("letter_digest", "")
        if action == "send":
            extra["preview_digest"] = digest
        elif action == "approve":
            extra["shown_digest"] = digest
    return perform(request, LETTER_ACTIONS[action], letter, _LETTER_PAGE, **extra)


def _confirm(request, letter: Letter, action: str):
    """The confirmation of ``action`` on ``letter``: nothing is written; a refusal the action
    would meet is shown on the letter's page, as the action's own would be."""
    now = timezone.now()
    page = {
        "complaint": letter.complaint,
        "action_url": reverse("letters:action", args=[letter.pk, action]),
        "cancel_url": reverse("letters:letter", args=[letter.pk]),
        "can_confirm": True,
        "shown": [],
        "hidden": [],
    }
    try:
        if action == "send":
            chosen = _delivery(request.POST)["delivery"]
            preview = complaint_services.letter_send_preview(
                letter_id=letter.pk, actor=request.user, now=now, delivery=chosen
            )
            page |= {
                "heading": "Confirm: send this letter",
                "verb": "sending",
                "intro": "Check the letter as it will go. Sending moves the complaint on in the "
                "same step; the letter is then filed and cannot change.",
                "shown": [shown_issued(issued) for issued in preview.letters],
                "digest": preview.digest,
                "hidden": [("delivery", chosen)],
                "can_confirm": preview.sendable,
                "button": "Yes, send the letter",
                "cannot": "This cannot be sent until every mandatory-content check passes.",
            }
        elif action == "approve":
            draft, html = services.letter_approval_preview(
                letter_id=letter.pk, actor=request.user, now=now
            )
            note = request.POST.get("note", "")
            page |= {
                "heading": "Confirm: approve this letter",
                "verb": "approving",
                "intro": "You approve these exact words for sending (four eyes)."
                + (f" Your note: {note}" if note.strip() else ""),
                "shown": [shown(draft, html, content.letter_pdf(draft, html))],
                "digest": content.shown_digest(draft, html),
                "hidden": [("note", note)],
                "can_confirm": not draft.failed_checks,
                "button": "Yes, approve the letter",
                "cannot": "This cannot be approved until every mandatory-content check passes.",
            }
        else:
            services.require_editable(letter)
            page |= {
                "heading": "Confirm: discard this draft",
                "verb": "discarding",
                "intro": f"The {letter.get_letter_type_display().lower()} draft is discarded "
                "and cannot be sent"
                + (" (its covering letter with it)." if letter.companion_id else ".")
                + " It stays in the complaint's history.",
                "button": "Yes, discard the draft",
                "button_class": "danger",
            }
    except DomainError as exc:
        messages.error(request, _error_message(exc))
        return _render_letter(request, letter, status=exc.http_status)
    return render(request, "letters/confirm.html", page)


@xframe_options_sameorigin
@require_perm(READ, **_ON_LETTER)
def letter_preview(request, letter_id: int):
    """The letter as HTML: what was sent, or the draft as it would go today (marked DRAFT)."""
    letter = request.scoped_object
    if letter.is_sent:
        html = letter.html
    else:
        html = content.letter_document(letter, letter_date=timezone.now(), draft=True)
    return HttpResponse(html)


@require_perm(READ, **_ON_LETTER)
def letter_pdf(request, letter_id: int):
    letter = request.scoped_object
    if letter.is_sent:
        data = letter.sent_pdf
        name = f"{letter.complaint.reference}-{letter.letter_type}.pdf"
    else:
        data = content.draft_pdf(letter, now=timezone.now())
        name = f"{letter.complaint.reference}-{letter.letter_type}-DRAFT.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    if letter.is_sent:
        response["X-Content-SHA256"] = letter.pdf_sha256
    return response
