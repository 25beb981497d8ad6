"""Notices close when their cause is resolved.

A deadline notice is open while its source still reports its deadline (at either level): every
source reports only what is outstanding, so when the source stops reporting it the deadline has
been met (or moved out of the warning window). What meets each kind is said in ``RESOLVED_BY``,
which is also the closed notice's wording. The deadline watch closes them on every run (and on
every change to a complaint that has open notices, ``receivers``); the return reminders close a
return's notices once it is submitted; a day's supervisor digest closes the day before's.
A calendar-change notice reports a fact and has nothing to resolve: it stays until read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from common.compiled import ANY_ID, Compiled, CompiledByIds

from .models import EmailStatus, Notice, Notification

# Every kind the deadline sources and reminders issue, and what resolves it.
RESOLVED_BY: dict[str, str] = {
    "src": "The summary resolution window closed or the complaint moved on",
    "acknowledgement": "The complaint was acknowledged",
    "final_response": "The final or holding response was sent",
    "psd_15": "The 15-business-day response was sent",
    "promised_final_response": "The final response was sent",
    "psd_35": "The final response was sent",
    "redress_payment": "The redress was paid or is no longer owed",
    "fos_response": "The response to the Financial Ombudsman was recorded",
    "fos_award_compliance": "Compliance with the ombudsman's award was recorded",
    "letter_email": "The letter was delivered or sent another way",
    "dpa_acknowledgement": "The data-protection complaint was acknowledged",
    "sar_response": "The subject access request was answered",
    "return_due": "The return was submitted",
}
DEADLINE_KINDS = [kind for kind in RESOLVED_BY if kind != "return_due"]
DIGEST_PREFIX = "supervisor_digest:"
SUPERSEDED = "Replaced by a newer digest"


def _close(notices: list[Notice], *, now: datetime, why: dict[int, str]) -> int:
    """Close the notices; e-mails of theirs not yet sent are not sent."""
    if not notices:
        return 0
    with transaction.atomic():
        for notice in notices:
            notice.resolved_at, notice.resolution = now, why[notice.pk][:200]
        Notice.objects.bulk_update(notices, ["resolved_at", "resolution"])
        Notification.objects.filter(notice__in=notices, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.CLOSED
        )
    return len(notices)


def _open(kinds: Iterable[str]):
    return Notice.objects.filter(resolved_at__isnull=True, kind__in=list(kinds))


# A single complaint's check reads its open deadline notices on every announced change: compiled
# once per process and number of complaints (issue 18), as ``has_open_deadline_notices``' read.
_OPEN_OF = CompiledByIds(
    lambda _key, ids: _open(DEADLINE_KINDS).filter(complaint_id__in=ids).order_by("pk")
)
_ANY_OPEN = Compiled(
    _open(DEADLINE_KINDS).filter(complaint_id=ANY_ID).order_by().values_list("pk")[:1], ANY_ID
)


def close_met_deadlines(
    reported: Iterable[tuple[str, str]], *, now: datetime, complaint_ids: list[int] | None
) -> int:
    """Close the open deadline notices whose (object, kind) the sources no longer report; a
    run restricted to some complaints looks only at theirs."""
    still = set(reported)
    if complaint_ids is None:
        notices = list(_open(DEADLINE_KINDS).order_by("pk"))
    else:
        notices = _OPEN_OF.objects(None, complaint_ids)
    gone = [n for n in notices if (n.object_key, n.kind) not in still]
    return _close(gone, now=now, why={n.pk: RESOLVED_BY[n.kind] for n in gone})


def close_submitted_returns(reported: Iterable[str], *, now: datetime) -> int:
    """Close the return reminders of returns no longer due (submitted)."""
    still = set(reported)
    gone = [n for n in _open(["return_due"]).order_by("pk") if n.object_key not in still]
    return _close(gone, now=now, why={n.pk: RESOLVED_BY["return_due"] for n in gone})


def close_older_digests(firm_ids: Iterable[int], *, kind: str, now: datetime) -> int:
    """A firm's new digest closes its earlier ones."""
    older = list(
        Notice.objects.filter(
            resolved_at__isnull=True,
            object_key__in=[f"firm:{firm_id}" for firm_id in firm_ids],
            kind__startswith=DIGEST_PREFIX,
        )
        .exclude(kind=kind)
        .order_by("pk")
    )
    return _close(older, now=now, why=dict.fromkeys((n.pk for n in older), SUPERSEDED))


def has_open_deadline_notices(complaint_id: int) -> bool:
    return bool(_ANY_OPEN.rows(complaint_id))
