"""Who may see and do what: the one place every view, API endpoint, export and command asks.

Access is per firm membership. Reads are scoped to the user's firms; an object of another firm
is a 404 (never a 403 that would confirm it exists). Permissions are named capabilities granted
to roles in ``ROLE_PERMISSIONS``; the README's access table is generated from it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404

from .choices import Role
from .models import Complaint, Firm, Membership


class Perm(StrEnum):
    VIEW_COMPLAINTS = "view_complaints"
    HANDLE_COMPLAINTS = "handle_complaints"  # log, acknowledge, respond, forward, notes
    ASSIGN_COMPLAINTS = "assign_complaints"
    REOPEN_COMPLAINTS = "reopen_complaints"
    APPROVE_LETTERS = "approve_letters"
    REVIEW_AUDIT = "review_audit"
    MANAGE_REMEDIATION = "manage_remediation"  # root causes, incidents, action register
    VIEW_MI = "view_mi"
    MANAGE_FOS = "manage_fos"
    PREPARE_RETURNS = "prepare_returns"
    APPROVE_RETURNS = "approve_returns"
    MANAGE_FIRM = "manage_firm"  # firm settings, templates, calendars, users, API tokens


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.HANDLER: frozenset(
        {Perm.VIEW_COMPLAINTS, Perm.HANDLE_COMPLAINTS, Perm.ASSIGN_COMPLAINTS, Perm.MANAGE_FOS}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Perm.VIEW_COMPLAINTS,
            Perm.HANDLE_COMPLAINTS,
            Perm.ASSIGN_COMPLAINTS,
            Perm.REOPEN_COMPLAINTS,
            Perm.APPROVE_LETTERS,
            Perm.REVIEW_AUDIT,
            Perm.MANAGE_REMEDIATION,
            Perm.VIEW_MI,
            Perm.MANAGE_FOS,
            Perm.APPROVE_RETURNS,
        }
    ),
    Role.REPORTING_OFFICER: frozenset(
        {Perm.VIEW_COMPLAINTS, Perm.VIEW_MI, Perm.PREPARE_RETURNS, Perm.APPROVE_RETURNS}
    ),
    Role.ADMIN: frozenset(
        {Perm.VIEW_COMPLAINTS, Perm.REVIEW_AUDIT, Perm.VIEW_MI, Perm.MANAGE_FIRM}
    ),
}


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.select_related("firm").filter(user=user))
        user._memberships_cache = cached
    return cached


def firm_ids(user, perm: Perm | None = None) -> list[int]:
    """The firms in which ``user`` holds ``perm`` (or any role, when perm is None)."""
    return [
        m.firm_id for m in memberships(user) if perm is None or perm in ROLE_PERMISSIONS[m.role]
    ]


def firms(user, perm: Perm | None = None) -> QuerySet[Firm]:
    return Firm.objects.filter(pk__in=firm_ids(user, perm))


def role_in(user, firm_id: int) -> str | None:
    return next((m.role for m in memberships(user) if m.firm_id == firm_id), None)


def has_perm(user, firm_id: int, perm: Perm) -> bool:
    role = role_in(user, firm_id)
    return role is not None and perm in ROLE_PERMISSIONS[role]


def complaints_for(user, perm: Perm = Perm.VIEW_COMPLAINTS) -> QuerySet[Complaint]:
    return Complaint.objects.filter(firm_id__in=firm_ids(user, perm))


def get_firm_or_404(user, firm_id: int, perm: Perm | None = None) -> Firm:
    if firm_id not in firm_ids(user, perm):
        raise Http404("No such firm.")
    return Firm.objects.get(pk=firm_id)


def get_complaint_or_404(user, pk: int, perm: Perm = Perm.VIEW_COMPLAINTS) -> Complaint:
    """A complaint the user may see; another firm's (or one beyond the role) is a 404."""
    try:
        return complaints_for(user, perm).select_related("firm", "complainant", "owner").get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint.") from None
