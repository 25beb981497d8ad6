"""Telling a complaint's owner that the complainant wrote: an e-mail filed on the complaint (the
mailroom threads replies onto complaints) notifies its owner, or the firm's supervisors while
nobody owns it. Once per e-mail (the notice ledger)."""

from __future__ import annotations

from datetime import datetime

from complaints.choices import CommunicationKind, Role
from complaints.models import Communication

from .models import Category, Level
from .services import Draft, _members, _users, issue


def email_received_notify(*, communication_id: int, now: datetime) -> int:
    comm = (
        Communication.objects.select_related("complaint")
        .filter(pk=communication_id, kind=CommunicationKind.EMAIL_RECEIVED)
        .first()
    )
    if comm is None:
        return 0  # gone (retention) before the announcement was delivered
    complaint = comm.complaint
    owner = _users([complaint.owner_id]).get(complaint.owner_id) if complaint.owner_id else None
    recipients = (
        [owner]
        if owner
        else _members([complaint.firm_id], [Role.SUPERVISOR]).get(complaint.firm_id, [])
    )
    first_line = comm.summary.split("\n", 1)[0]
    draft = Draft(
        object_key=f"complaint:{complaint.pk}",
        kind=f"email:{comm.pk}",
        level=Level.INFO,
        source="mailroom",
        firm_id=complaint.firm_id,
        category=Category.CORRESPONDENCE,
        title=f"{complaint.reference}: new e-mail",
        body=f"{first_line}\nIt is filed on the complaint.",
        recipients=recipients,
        complaint_id=complaint.pk,
    )
    return issue([draft], now=now).notifications
