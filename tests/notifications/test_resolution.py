"""Notices close when their cause is resolved (issue 16): each kind of notice, what resolves
it, and that a closed notice leaves the unread list and sends no e-mail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from complaints import services as cs
from complaints.choices import Outcome
from notifications import resolution, sources
from notifications.due import DueItem, ReminderItem
from notifications.models import EmailStatus, Level, Notice, Notification
from notifications.selectors import notifications_for
from notifications.services import (
    deadline_watch_run,
    report_reminders_send,
    supervisor_digest_send,
)
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db
SOURCES = Path(sources.__file__).parent


def test_every_kind_a_source_issues_has_a_resolving_condition():
    issued = set()
    for path in SOURCES.glob("*.py"):
        text = path.read_text()
        issued |= set(re.findall(r'kind="(\w+)"', text))
        issued |= set(re.findall(r'kind, label, rule = "(\w+)"', text))
    issued.add("return_due")  # the reminders' one kind (notifications.services)
    assert {"src", "final_response", "psd_15", "redress_payment", "sar_response"} <= issued
    assert issued == set(resolution.RESOLVED_BY)


def test_disp_1_6_2r_near_notice_closes_when_the_final_response_is_sent(
    client, firm, owner, django_capture_on_commit_callbacks
):
    """E16: due Mon 8 Jun 2026; near on Mon 1 Jun; the response on Tue 2 Jun closes it (the
    complaint's change re-checks it: no wait for the next watch run)."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    cs.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 11))
    cs.complaint_start_investigation(complaint_id=c.pk, actor=owner, now=london(2026, 4, 14, 9))
    deadline_watch_run(now=london(2026, 6, 1, 10), send_emails=False)
    near = Notice.objects.get(kind="final_response", level=Level.NEAR)
    unread = notifications_for(owner, unread_only=True)
    assert unread.filter(notice=near).exists()
    with django_capture_on_commit_callbacks(execute=True):
        cs.complaint_send_final_response(
            complaint_id=c.pk, actor=owner, now=london(2026, 6, 2, 12), outcome=Outcome.UPHELD
        )
    near.refresh_from_db()
    assert near.resolved_at is not None
    assert near.resolution == resolution.RESOLVED_BY["final_response"]
    # Closed: out of the unread count and list, its e-mail (not yet sent) never sent.
    assert not unread.filter(notice=near).exists()
    assert Notification.objects.get(notice=near).email_status == EmailStatus.CLOSED
    client.force_login(owner)
    page = client.get("/notifications/?show=all").content.decode()
    assert "The final or holding response was sent." in page and ">Closed<" in page


def test_disp_1_6_1r_breach_notice_closes_when_the_complaint_is_acknowledged(firm, owner):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 4, 8, 10), send_emails=False)
    breach = Notice.objects.get(kind="acknowledgement", level=Level.BREACH)
    cs.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=london(2026, 4, 8, 11))
    result = deadline_watch_run(now=london(2026, 4, 8, 12), send_emails=False)
    breach.refresh_from_db()
    assert result.closed >= 1
    assert breach.resolution == "The complaint was acknowledged"


def test_each_deadline_kind_closes_when_its_source_stops_reporting_it(firm, owner, monkeypatch):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    other = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    due = london(2026, 4, 20).date()
    reported = {
        kind: DueItem(
            source="test",
            object_key=f"test:{kind}",
            kind=kind,
            label=kind,
            rule="DISP 1.6.2R",
            level=Level.NEAR,
            due=due,
            firm_id=firm.pk,
            complaint_id=c.pk,
            reference=c.reference,
            owner_id=owner.pk,
        )
        for kind in resolution.DEADLINE_KINDS
    }
    monkeypatch.setattr(sources, "DEADLINE_SOURCES", {"test": lambda ctx: reported.values()})
    now = london(2026, 4, 15, 10)
    deadline_watch_run(now=now, send_emails=False)
    assert Notice.objects.filter(resolved_at__isnull=True).count() == len(reported)
    for kind in list(reported):
        del reported[kind]
        # A check of another complaint leaves this one's notices alone.
        assert deadline_watch_run(now=now, complaint_ids=[other.pk], send_emails=False).closed == 0
        assert deadline_watch_run(now=now, complaint_ids=[c.pk], send_emails=False).closed == 1
        notice = Notice.objects.get(kind=kind)
        assert notice.resolution == resolution.RESOLVED_BY[kind], kind
    assert not Notice.objects.filter(resolved_at__isnull=True).exists()


def test_sup_16_34_5r_return_reminder_closes_when_the_return_is_submitted(
    firm, reporting_officer, monkeypatch
):
    due = [
        ReminderItem(
            object_key=f"return:{firm.pk}:2026-06-30",
            firm_id=firm.pk,
            label="SUP 16.34 return for the quarter ending Tue 30 Jun 2026",
            due=london(2026, 7, 31).date(),
            level=Level.NEAR,
        )
    ]
    monkeypatch.setattr(sources, "REMINDER_SOURCES", {"test": lambda *args: list(due)})
    report_reminders_send(now=london(2026, 7, 20, 9), send_emails=False)
    notice = Notice.objects.get(kind="return_due")
    due.clear()  # submitted: no longer due
    report_reminders_send(now=london(2026, 7, 21, 9), send_emails=False)
    notice.refresh_from_db()
    assert notice.resolution == "The return was submitted"


def test_digest_is_closed_by_the_next_days_and_a_calendar_notice_stays(
    firm, owner, supervisor, monkeypatch
):
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    supervisor_digest_send(now=london(2026, 6, 1, 7, 30), send_emails=False)
    first = Notice.objects.get(kind="supervisor_digest:2026-06-01")
    Notice.objects.create(
        object_key="complaint:1",
        kind="calendar:1",
        level=Level.INFO,
        source="calendar",
        firm=firm,
        claim="00000000-0000-0000-0000-000000000001",
        created_at=london(2026, 6, 1, 8),
    )
    supervisor_digest_send(now=london(2026, 6, 2, 7, 30), send_emails=False)
    deadline_watch_run(now=london(2026, 6, 2, 8), send_emails=False)
    first.refresh_from_db()
    assert first.resolution == resolution.SUPERSEDED
    assert Notice.objects.get(kind="supervisor_digest:2026-06-02").resolved_at is None
    assert Notice.objects.get(kind="calendar:1").resolved_at is None
