"""Use cases that write notices and notifications.

Every job is state-based: it looks at the deadline columns *now* and issues what is due, so a
missed run (broker down, worker restarted) is caught up by the next one. Once-only delivery
comes from the ``Notice`` ledger: rows are inserted with ``ON CONFLICT DO NOTHING`` and a run
notifies only for the rows carrying its own claim token. E-mails go through an outbox
(``Notification.email_status``) that a sender claims with ``SELECT .. FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from common.bulk import insert_rows
from common.compiled import Compiled, CompiledByIds
from common.dates import london_date, uk_date
from complaints.choices import Nation, Role
from complaints.deadlines import calendar_at, holidays_version
from complaints.models import BankHoliday, Firm, Membership
from complaints.services.calendar import DeadlineMove

from . import resolution, sources
from .due import DueItem, NoticeKey, ReminderItem, WatchContext, warning_business_days
from .emails import emails_send_pending
from .models import Category, EmailStatus, Level, Notice, Notification
from .sources import gates

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = get_user_model()

logger = logging.getLogger(__name__)


# --- context --------------------------------------------------------------------------------


# Every firm with the bank holidays' version (``holidays_version``), compiled once per process:
# the calendars are then kept per process and version (``calendar_at``) instead of built from
# every proclaimed day on each run, which a single complaint's check paid for each change.
_FIRMS = Compiled(Firm.objects.annotate(holidays=holidays_version()).order_by("pk"))


def build_watch_context(*, now: datetime, complaint_ids: list[int] | None = None) -> WatchContext:
    """Firms and their calendars in one query, whatever the number of complaints."""
    firms: dict[int, Firm] = {f.pk: f for f in _FIRMS.objects()}
    version = next(iter(firms.values())).holidays if firms else None  # type: ignore[attr-defined]
    warning = warning_business_days()
    thresholds = tuple(
        (f.pk, f.nation, f.acknowledgement_target_business_days) for f in firms.values()
    )
    return WatchContext(
        now=now,
        firms=firms,
        calendars={n: calendar_at(n, version) for n in Nation.values} if firms else {},
        warning_business_days=warning,
        complaint_ids=complaint_ids,
        shape=(london_date(now), warning, version, thresholds),
    )


def collect_due_items(ctx: WatchContext) -> list[DueItem]:
    if not ctx.firms:
        return []
    names = list(sources.DEADLINE_SOURCES)
    if ctx.complaint_ids is not None:  # a check of some complaints: only the sources they pass
        run = gates.runnable(sources.GATES, names, ctx.complaint_ids)
        names = [name for name in names if name in run]
    return [item for name in names for item in sources.DEADLINE_SOURCES[name](ctx)]


# --- the once-only ledger -------------------------------------------------------------------


@dataclass
class Draft(NoticeKey):
    """A notice to issue and the notifications it fans out to."""

    object_key: str
    kind: str
    level: str
    source: str
    firm_id: int
    category: str
    title: str
    body: str
    recipients: list[User]
    complaint_id: int | None = None
    due: date | None = None
    link: str = ""


@dataclass
class IssueResult:
    notices: list[int] = field(default_factory=list)  # the ledger rows this call inserted
    notifications: int = 0


@lru_cache(maxsize=64)
def _issued_of(count: int) -> Compiled[Any]:
    """The ledger's read of ``count`` object keys, compiled once per process and count (a
    single complaint's check asks for one or two on every announced change)."""
    keys = [f"~object-key-{i}" for i in range(count)]
    qs = Notice.objects.filter(object_key__in=keys).order_by()
    return Compiled(qs.values_list("object_key", "kind", "level"), *keys)


def _already_issued(keys: Iterable[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Ledger keys that exist already (one query); the unique index is the real guard."""
    keys = set(keys)
    if not keys:
        return set()
    object_keys = sorted({k[0] for k in keys})
    existing = _issued_of(len(object_keys)).rows(*object_keys)
    return {(obj, kind, level) for obj, kind, level in existing} & keys


def issue(drafts: list[Draft], *, now: datetime) -> IssueResult:
    """Insert ledger rows first, then notify only for the rows this call inserted.

    A concurrent run inserting the same key blocks on the unique index until this transaction
    commits, then skips it (``ON CONFLICT DO NOTHING``); its read-back finds nothing of its own.
    Both tables are written as rows of values (``common.bulk.insert_rows``), not model
    instances: a first sweep at a large firm issues thousands (issue 18).
    """
    unique: dict[tuple[str, str, str], Draft] = {}
    for d in drafts:
        unique.setdefault(d.key, d)
    if not unique:
        return IssueResult()
    # As Django would store them (SQLite keeps a UUID as hex, a date-time as UTC text).
    token = Notice._meta.get_field("claim").get_db_prep_save(uuid.uuid4(), connection)
    now = Notice._meta.get_field("created_at").get_db_prep_save(now, connection)
    with transaction.atomic():
        insert_rows(
            Notice,
            NOTICE_COLUMNS,
            [
                (d.object_key, d.kind, d.level, d.source, d.firm_id, d.complaint_id, d.due)
                + (token, now, None, "")
                for d in unique.values()
            ],
            unless_exists=("object_key", "kind", "level"),
        )
        won = _claimed().rows(token)
        notices, rows = [], []
        for pk, *key in won:
            notices.append(pk)
            d = unique[(key[0], key[1], key[2])]
            for user in d.recipients:
                status = EmailStatus.PENDING if user.email else EmailStatus.NONE
                rows.append(
                    (user.pk, d.firm_id, d.complaint_id, pk, d.category, d.level, d.title[:200])
                    + (d.body, d.link, now, None, status, 0, None)
                )
        insert_rows(Notification, NOTIFICATION_COLUMNS, rows)
    return IssueResult(notices=notices, notifications=len(rows))


@lru_cache(maxsize=1)
def _claimed() -> Compiled[Any]:
    """The notices a claim token won, compiled once per process (its place marked by a token
    no run draws, as the database stores it)."""
    nobody = uuid.UUID(int=0)
    sentinel = Notice._meta.get_field("claim").get_db_prep_save(nobody, connection)
    qs = Notice.objects.filter(claim=nobody)  # in the ledger's order, as before
    return Compiled(qs.values_list("pk", "object_key", "kind", "level"), sentinel)


NOTICE_COLUMNS = [
    *("object_key", "kind", "level", "source", "firm_id", "complaint_id", "due_date"),
    *("claim", "created_at", "resolved_at", "resolution"),
]
NOTIFICATION_COLUMNS = [
    *("recipient_id", "firm_id", "complaint_id", "notice_id", "category", "level", "title"),
    *("body", "link", "created_at", "read_at", "email_status", "email_attempts", "emailed_at"),
]


# --- recipients -----------------------------------------------------------------------------


# Each run's recipients, compiled once per process, roles and number of firms or users.
_MEMBERSHIPS = CompiledByIds(
    lambda roles, ids: Membership.objects.filter(
        firm_id__in=ids, role__in=list(roles), user__is_active=True
    )
    .select_related("user")
    .order_by("user_id")
)
_USERS = CompiledByIds(lambda _key, ids: User.objects.filter(pk__in=ids, is_active=True))


def _memberships(firm_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[Membership]]:
    by_firm: dict[int, list[Membership]] = defaultdict(list)
    for m in _MEMBERSHIPS.objects(tuple(roles), sorted(set(firm_ids))):
        by_firm[m.firm_id].append(m)
    return by_firm


def _members(firm_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[User]]:
    return {firm_id: [m.user for m in ms] for firm_id, ms in _memberships(firm_ids, roles).items()}


def _users(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = sorted({i for i in ids if i})
    return {u.pk: u for u in _USERS.objects(None, wanted)}


def _dedupe(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for u in users:
        seen.setdefault(u.pk, u)
    return list(seen.values())


# --- deadline watch -------------------------------------------------------------------------


@dataclass
class WatchResult:
    due: int = 0
    notices: int = 0
    notifications: int = 0
    emails: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _countdown(item: DueItem, ctx: WatchContext) -> str:
    if item.level == Level.BREACH:
        return f"was due {uk_date(item.due)}"
    if item.due == ctx.today:
        return "is due today"
    days = ctx.calendar(item.firm_id).business_days_between(ctx.today, item.due)
    return f"is due {uk_date(item.due)} (in {days} business day{'s' if days != 1 else ''})"


def _deadline_draft(item: DueItem, ctx: WatchContext, recipients: list[User]) -> Draft:
    firm = ctx.firms[item.firm_id]
    what = item.reference or item.object_key
    if item.level == Level.BREACH:
        title = f"{what}: {item.label} missed"
    else:
        title = f"{what}: {item.label} {_countdown(item, ctx).split(' (')[0]}"
    # No complainant data in notices: they are e-mailed. The reference and link are enough.
    body = f"{item.label} ({item.rule}) for {what} {_countdown(item, ctx)}.\nFirm: {firm.name}."
    if item.level == Level.BREACH:
        body += "\nThis is a breach: record what happened and tell the complainant."
    return Draft(
        object_key=item.object_key,
        kind=item.kind,
        level=item.level,
        source=item.source,
        firm_id=item.firm_id,
        category=Category.DEADLINE,
        title=title,
        body=body,
        recipients=recipients,
        complaint_id=item.complaint_id,
        due=item.due,
        link=item.link,
    )


def deadline_watch_run(
    *, now: datetime, complaint_ids: list[int] | None = None, send_emails: bool = True
) -> WatchResult:
    """Notify owners of deadlines near or missed, and supervisors of every miss; close the
    notices of deadlines met since (``resolution``).

    Near notices go to the owner (the firm's supervisors when nobody owns the complaint);
    breach notices to the owner and the supervisors. Each (object, kind, level) once only.
    """
    ctx = build_watch_context(now=now, complaint_ids=complaint_ids)
    items = collect_due_items(ctx)
    result = WatchResult(due=len(items))
    result.closed = resolution.close_met_deadlines(
        ((item.object_key, item.kind) for item in items), now=now, complaint_ids=complaint_ids
    )
    done = _already_issued(item.key for item in items)
    new = [item for item in items if item.key not in done]
    if new:
        owners = _users(item.owner_id for item in new)
        supervisors = _members({item.firm_id for item in new}, [Role.SUPERVISOR])
        drafts = []
        for item in new:
            owner = owners.get(item.owner_id) if item.owner_id else None
            firm_supervisors = supervisors.get(item.firm_id, [])
            if item.level == Level.BREACH:
                recipients = _dedupe([*([owner] if owner else []), *firm_supervisors])
            else:
                recipients = [owner] if owner else list(firm_supervisors)
            drafts.append(_deadline_draft(item, ctx, recipients))
        issued = issue(drafts, now=now)
        result.notices, result.notifications = len(issued.notices), issued.notifications
    if send_emails:
        result.emails = emails_send_pending(now=now)
    return result


def _issue_and_email(drafts: list[Draft], *, now: datetime, send_emails: bool) -> int:
    """Issue the drafts, then (unless told not to) send the queued e-mails; notices issued."""
    issued = issue(drafts, now=now)
    if send_emails:
        emails_send_pending(now=now)
    return len(issued.notices)


# --- supervisor digest ----------------------------------------------------------------------


def supervisor_digest_send(*, now: datetime, send_emails: bool = True) -> int:
    """DISP 1.3.7R oversight: once a day, each firm's supervisors get the list of breaches and
    near-breaches. Firms with nothing to report get no digest. Returns digests issued."""
    ctx = build_watch_context(now=now)
    items = collect_due_items(ctx)
    today_kind = f"{resolution.DIGEST_PREFIX}{ctx.today.isoformat()}"
    resolution.close_older_digests(ctx.firms, kind=today_kind, now=now)
    by_firm: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        by_firm[item.firm_id].append(item)
    if not by_firm:
        return 0
    supervisors = _members(by_firm, [Role.SUPERVISOR])
    owners = _users(item.owner_id for item in items)
    drafts = []
    for firm_id, firm_items in by_firm.items():
        if not supervisors.get(firm_id):
            continue
        firm_items.sort(key=lambda i: (i.level != Level.BREACH, i.due, i.reference))
        missed = sum(1 for i in firm_items if i.level == Level.BREACH)
        near = len(firm_items) - missed
        lines = []
        for i in firm_items:
            owner = owners.get(i.owner_id) if i.owner_id else None
            who = (owner.get_full_name() or owner.get_username()) if owner else "unassigned"
            state = "MISSED" if i.level == Level.BREACH else "near"
            lines.append(
                f"- [{state}] {i.reference or i.object_key}: {i.label} ({i.rule}), "
                f"due {uk_date(i.due)}; owner: {who}"
            )
        firm = ctx.firms[firm_id]
        drafts.append(
            Draft(
                object_key=f"firm:{firm_id}",
                kind=today_kind,
                level=Level.INFO,
                source="digest",
                firm_id=firm_id,
                category=Category.DIGEST,
                title=f"Daily deadline digest, {firm.name}: {missed} missed, {near} near",
                body=f"Deadlines at {uk_date(ctx.today)} for {firm.name}:\n" + "\n".join(lines),
                recipients=supervisors[firm_id],
            )
        )
    return _issue_and_email(drafts, now=now, send_emails=send_emails)


# --- report reminders -----------------------------------------------------------------------


def report_reminders_send(
    *, now: datetime, within_business_days: int | None = None, send_emails: bool = True
) -> int:
    """Returns falling due within N business days (near) or overdue (breach), to the firm's
    reporting officers, and overdue ones to its supervisors too. Returns notices issued."""
    within = within_business_days or int(getattr(settings, "REPORT_REMINDER_BUSINESS_DAYS", 10))
    today = london_date(now)
    firm_ids = list(Firm.objects.values_list("pk", flat=True))
    items: list[tuple[str, ReminderItem]] = []
    for key, source in sources.REMINDER_SOURCES.items():
        items.extend((key, item) for item in source(firm_ids, today, within))
    resolution.close_submitted_returns((i.object_key for _, i in items), now=now)
    done = _already_issued((i.object_key, "return_due", i.level) for _, i in items)
    new = [(k, i) for k, i in items if (i.object_key, "return_due", i.level) not in done]
    if not new:
        return 0
    people = _memberships({i.firm_id for _, i in new}, [Role.REPORTING_OFFICER, Role.SUPERVISOR])
    drafts = []
    for source_key, item in new:
        recipients = [
            m.user
            for m in people.get(item.firm_id, [])
            if m.role == Role.REPORTING_OFFICER or item.level == Level.BREACH
        ]
        when = (
            f"overdue since {uk_date(item.due)}"
            if item.level == Level.BREACH
            else f"due {uk_date(item.due)}"
        )
        drafts.append(
            Draft(
                object_key=item.object_key,
                kind="return_due",
                level=item.level,
                source=source_key,
                firm_id=item.firm_id,
                category=Category.REPORT,
                title=f"{item.label}: {when}",
                body=f"{item.label} is {when} (SUP 16.34.5R).",
                recipients=recipients,
                due=item.due,
                link=item.link,
            )
        )
    return _issue_and_email(drafts, now=now, send_emails=send_emails)


# --- calendar changes -----------------------------------------------------------------------


def deadlines_moved_notify(
    *, moves: list[DeadlineMove], holiday: BankHoliday, now: datetime
) -> int:
    """Tell each owner (or, for unassigned complaints, the supervisors) which deadlines a
    proclaimed bank holiday (added or moved) moved. Runs inside the calendar change's
    transaction."""
    if not moves:
        return 0
    owners = _users(m.owner_id for m in moves)
    supervisors = _members({m.firm_id for m in moves}, [Role.SUPERVISOR])
    drafts = []
    for move in moves:
        owner = owners.get(move.owner_id) if move.owner_id else None
        lines = [f"- {label}: {uk_date(a)} → {uk_date(b)}" for label, a, b in move.changes]
        drafts.append(
            Draft(
                object_key=f"complaint:{move.complaint_id}",
                kind=f"calendar:{holiday.pk}",
                level=Level.INFO,
                source="calendar",
                firm_id=move.firm_id,
                category=Category.CALENDAR,
                title=f"{move.reference}: deadlines moved by a bank holiday change",
                body=(
                    f"{holiday.describe()}. Business-day deadlines of "
                    f"{move.reference} were recomputed:\n" + "\n".join(lines)
                ),
                recipients=[owner] if owner else supervisors.get(move.firm_id, []),
                complaint_id=move.complaint_id,
            )
        )
    return issue(drafts, now=now).notifications


# --- reading --------------------------------------------------------------------------------


def notification_mark_read(*, notification_id: int, actor: User, now: datetime) -> bool:
    """Mark one of the actor's own notifications read; another user's is simply not found."""
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=actor, read_at__isnull=True
        ).update(read_at=now)
    )


def notification_mark_all_read(*, actor: User, now: datetime) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=now)
