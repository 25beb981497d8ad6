"""Notices that something has arrived in the supervisor's inbox (``/inbox/``): a letter or a
return waiting for approval, a complaint nobody owns. (A missed deadline is the deadline
watch's breach notice, which goes to the owner and the firm's supervisors.)

Each goes to the firm's members who see it in the inbox and can deal with it, links to the
inbox's section, and is issued once through the notice ledger (``services.issue``), so an
announcement delivered twice notifies nobody twice. The triggers are announcements from
below: ``common.announce`` (letters and returns) and ``complaint_changed`` (complaints).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from common.compiled import ANY_ID, Compiled
from common.dates import uk_date
from complaints.access import ROLE_PERMISSIONS, Perm
from complaints.choices import Status
from complaints.models import Complaint
from letters.choices import LetterStatus
from letters.models import Letter
from reporting.choices import VersionStatus
from reporting.models import ReturnVersion

from .models import Category, Level
from .services import Draft, _issue_and_email, _members

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The inbox shows its sections to roles holding VIEW_MI and the section's own permission.
_INBOX = Perm.VIEW_MI


def _roles(perm: Perm) -> list[str]:
    return [r for r, perms in ROLE_PERMISSIONS.items() if {_INBOX, perm} <= perms]


def _recipients(firm_id: int, perm: Perm, *, not_ids: Iterable[int] = ()) -> list[User]:
    """Active members of the firm who see ``perm``'s inbox section, less those who may not
    act on this item (four eyes: its author)."""
    users = _members([firm_id], _roles(perm)).get(firm_id, [])
    excluded = set(not_ids)
    return [u for u in users if u.pk not in excluded]


def _inbox_link(section: str) -> str:
    return f"{reverse('inbox:index')}#section-{section}"


def letter_awaiting_approval(letter_id: int, *, now: datetime) -> int:
    """A letter was submitted for four-eyes approval: tell those who may approve it."""
    letter = (
        Letter.objects.select_related("complaint")
        .only(
            "pk",
            "status",
            "letter_type",
            "submitted_at",
            "created_by_id",
            "last_edited_by_id",
            "complaint__id",
            "complaint__firm_id",
            "complaint__reference",
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or letter.status != LetterStatus.AWAITING_APPROVAL or not letter.submitted_at:
        return 0  # approved, returned or discarded before the announcement arrived
    complaint = letter.complaint
    what = f"{letter.get_letter_type_display()} for {complaint.reference}"
    draft = Draft(
        object_key=f"letter:{letter.pk}",
        # Each submission once: a letter returned and submitted again is news again.
        kind=f"awaiting_approval:{letter.submitted_at:%Y%m%dT%H%M%S}",
        level=Level.INFO,
        source="inbox.letters",
        firm_id=complaint.firm_id,
        category=Category.INBOX,
        title=f"{what} is awaiting approval",
        body=f"The {what} was submitted for approval on {uk_date(letter.submitted_at)}. "
        "Someone who did not draft it must approve it before it is sent (four eyes).",
        recipients=_recipients(complaint.firm_id, Perm.APPROVE_LETTERS, not_ids=letter.drafter_ids),
        complaint_id=complaint.pk,
        link=_inbox_link("letters"),
    )
    return _issue_and_email([draft], now=now, send_emails=True)


def return_awaiting_approval(version_id: int, *, now: datetime) -> int:
    """A return version was computed: a draft waits for someone else's approval."""
    version = (
        ReturnVersion.objects.select_related("sup16_return")
        .filter(pk=version_id)
        .only(
            "pk",
            "number",
            "status",
            "computed_by_id",
            "sup16_return__id",
            "sup16_return__firm_id",
            "sup16_return__period_end",
            "sup16_return__due_date",
            "sup16_return__latest_version_id",
        )
        .first()
    )
    if version is None or version.status != VersionStatus.DRAFT:
        return 0
    filing = version.sup16_return
    if filing.latest_version_id != version.pk:
        return 0  # superseded by a recompute, which is announced itself
    what = f"SUP 16.34 return for the period ending {uk_date(filing.period_end)}"
    computed_by = {version.computed_by_id} if version.computed_by_id else set()
    draft = Draft(
        object_key=f"return_version:{version.pk}",
        kind="awaiting_approval",
        level=Level.INFO,
        source="inbox.returns",
        firm_id=filing.firm_id,
        category=Category.INBOX,
        title=f"{what}: version {version.number} is awaiting approval",
        body=f"Version {version.number} of the {what} was computed and is due to the FCA by "
        f"{uk_date(filing.due_date)}. Someone who did not prepare it must approve it.",
        recipients=_recipients(filing.firm_id, Perm.APPROVE_RETURNS, not_ids=computed_by),
        link=_inbox_link("returns"),
    )
    return _issue_and_email([draft], now=now, send_emails=True)


# Read on every announced registration, assignment and reopening: compiled once per process.
_COMPLAINT = Compiled(
    Complaint.objects.filter(pk=ANY_ID)
    .only("pk", "firm_id", "reference", "status", "owner_id", "version", "response_deadline")
    .order_by(),
    ANY_ID,
)


def complaint_unassigned(complaint_id: int, *, now: datetime) -> int:
    """An open complaint has no owner (logged without one, unassigned or reopened so)."""
    complaint = next(iter(_COMPLAINT.objects(complaint_id)), None)
    if complaint is None or complaint.owner_id or complaint.status not in Status.open_states():
        return 0
    due = (
        f" Its response is due {uk_date(complaint.response_deadline)}."
        if complaint.response_deadline
        else ""
    )
    draft = Draft(
        object_key=f"complaint:{complaint.pk}",
        # Once per time it became unassigned: the row's version then (a repeat of the same
        # announcement finds the same version and issues nothing).
        kind=f"unassigned:{complaint.version}",
        level=Level.INFO,
        source="inbox.unassigned",
        firm_id=complaint.firm_id,
        category=Category.INBOX,
        title=f"{complaint.reference} has no owner",
        body=f"{complaint.reference} is open and nobody owns it: assign it to a handler.{due}",
        recipients=_recipients(complaint.firm_id, Perm.ASSIGN_COMPLAINTS),
        complaint_id=complaint.pk,
        link=_inbox_link("unassigned"),
    )
    return _issue_and_email([draft], now=now, send_emails=True)


_ANNOUNCED = {
    "letter.submitted": letter_awaiting_approval,
    "return.computed": return_awaiting_approval,
}


def on_announced(sender: Any, *, event: str, object_id: int, now: datetime, **kw: Any) -> None:
    """Receiver of ``common.announce.announced`` (connected in AppConfig.ready)."""
    if notify := _ANNOUNCED.get(event):
        notify(object_id, now=now)
