"""Reads for the letters UI and API (scoped through complaints.access by the callers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from complaints.guards import available_actions
from complaints.models import Complaint, Firm

from .choices import ACTION_FOR_TYPE, LetterStatus, LetterType
from .defaults import has_welsh
from .models import ApprovalPolicy, Letter, LetterTemplate, LetterTemplateVersion


def letters_for_complaint(complaint: Complaint | int) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(complaint=complaint)
        .exclude(status=LetterStatus.DISCARDED)
        .select_related("created_by", "approved_by", "sent_by", "template_version__template")
        .defer("pdf", "html")
        .order_by("-created_at", "-id")
    )


def grouped_letters(complaint: Complaint) -> dict[str, list[Letter]]:
    groups: dict[str, list[Letter]] = {"drafts": [], "awaiting": [], "sent": []}
    for letter in letters_for_complaint(complaint):
        if letter.status == LetterStatus.SENT:
            groups["sent"].append(letter)
        elif letter.status == LetterStatus.DRAFT:
            groups["drafts"].append(letter)
        else:
            groups["awaiting"].append(letter)
    return groups


def draftable_types(complaint: Complaint, now: datetime) -> list[tuple[str, str, bool, str]]:
    """(type, label, allowed now, why not) for the letters the complaint can be sent now."""
    actions = {a.name: a for a in available_actions(complaint, now)}
    psd = complaint.regime == "psd_emd"
    result = []
    for letter_type in LetterType:
        if letter_type == LetterType.FORWARDING_COVER:
            continue
        if letter_type in LetterType.data_protection_types():
            continue
        if letter_type == LetterType.HOLDING_PSD and not psd:
            continue
        if letter_type == LetterType.HOLDING and psd:
            continue
        action = actions.get(ACTION_FOR_TYPE[letter_type])
        if action is None:
            continue
        result.append((letter_type.value, letter_type.label, action.allowed, action.reason))
    return result


def approval_required_types(firm: Firm) -> set[str]:
    return set(
        ApprovalPolicy.objects.filter(firm=firm, requires_approval=True).values_list(
            "letter_type", flat=True
        )
    )


def template_overview(firm: Firm, language: str = "en") -> list[dict[str, Any]]:
    """For each letter type (in Welsh: each sent to a complainant): the firm's current version
    in ``language`` (or the system default) and policy."""
    own = {
        t.letter_type: t
        for t in LetterTemplate.objects.filter(firm=firm, language=language).prefetch_related(
            "versions"
        )
    }
    approval = approval_required_types(firm)
    rows = []
    for letter_type in LetterType:
        if language != "en" and not has_welsh(letter_type):
            continue  # English only (the covering letter to another firm)
        template = own.get(letter_type.value)
        latest = max(template.versions.all(), key=lambda v: v.number) if template else None
        rows.append(
            {
                "type": letter_type.value,
                "label": letter_type.label,
                "version": latest,
                "own": latest is not None,
                "requires_approval": letter_type.value in approval,
            }
        )
    return rows


def template_versions(
    firm: Firm, letter_type: str, language: str = "en"
) -> QuerySet[LetterTemplateVersion]:
    return (
        LetterTemplateVersion.objects.filter(
            template__firm=firm, template__letter_type=letter_type, template__language=language
        )
        .select_related("created_by")
        .order_by("-number")
    )


def sent_letter_pdfs(complaint: Complaint) -> list[tuple[str, bytes]]:
    """Every sent letter of a complaint as (file name, PDF bytes), oldest first: the evidence
    a FOS case file carries (one query)."""
    letters = Letter.objects.filter(complaint=complaint, status=LetterStatus.SENT).order_by(
        "sent_at", "pk"
    )
    return [
        (f"{letter.sent_at:%Y-%m-%d}-{letter.letter_type}-{letter.pk}.pdf", letter.sent_pdf)
        for letter in letters
    ]
