"""The daily task digest: each member's open tasks overdue or due today, once a day per firm."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.dates import london_date
from complaints.services import complainant_set_adjustments, task_complete, task_create
from complaints.services.adjustments import Adjustments
from notifications.models import Category, Notification
from notifications.task_digest import task_digest_send
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

MADE = london(2026, 6, 1, 9)  # Mon 1 Jun 2026
DIGEST = london(2026, 6, 3, 7, 30)  # Wed 3 Jun 2026


def test_task_digest_lists_each_members_overdue_and_today_tasks_once_a_day(
    firm, handler, supervisor, mailoutbox
):
    complaint = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), owner_id=handler.pk)
    complainant_set_adjustments(
        complaint_id=complaint.pk,
        actor=handler,
        now=MADE,
        adjustments=Adjustments(preferred_channel="email", contact_times="Mornings only"),
    )
    add = lambda due, **kw: task_create(  # noqa: E731
        complaint, user=handler, kind=kw.pop("kind", "chase"), due_on=due, now=MADE, **kw
    )
    add(date(2026, 6, 3), kind="call_back", note="Ask Jo Bloggs about the statement")
    add(date(2026, 6, 2))
    add(date(2026, 6, 4))  # upcoming: not in the digest
    task_complete(task_id=add(date(2026, 6, 1)).pk, actor=handler, now=MADE)  # done
    add(date(2026, 6, 3), assignee=supervisor, kind="review")
    former = MembershipFactory(firm=firm, role="handler").user
    add(date(2026, 6, 3), assignee=former)
    former.is_active = False
    former.save()

    assert task_digest_send(now=DIGEST) == 2
    assert task_digest_send(now=london(2026, 6, 3, 12)) == 0  # once a day

    (mine,) = Notification.objects.filter(recipient=handler, category=Category.TASKS)
    assert mine.title == f"Your tasks, {firm.name}: 1 overdue, 1 due today"
    assert mine.body.splitlines()[1:] == [
        f"- [OVERDUE] {complaint.reference}: Chase, due Tue 2 Jun 2026",
        f"- [today] {complaint.reference}: Call back, due Wed 3 Jun 2026 "
        "(prefers e-mail to a call; contact times on the complaint)",
    ]
    assert "Jo Bloggs" not in mine.body and "Mornings" not in mine.body  # it is e-mailed
    assert mine.url == "/tasks/"
    (theirs,) = Notification.objects.filter(recipient=supervisor, category=Category.TASKS)
    assert "Review, due Wed 3 Jun 2026" in theirs.body
    assert not Notification.objects.filter(recipient=former).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([handler.email, supervisor.email])

    assert task_digest_send(now=london(2026, 6, 4, 7, 30)) == 2  # the next day's


def test_task_digest_goes_with_the_daily_digest_command(firm, handler, capsys):
    complaint = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10))
    task_create(complaint, user=handler, kind="review", due_on=london_date(timezone.now()))
    call_command("send_supervisor_digest")
    assert "Task digest: 1 digest(s) issued." in capsys.readouterr().out
