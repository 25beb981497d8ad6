"""A notice when something arrives in the inbox: a letter or a return waiting for approval, an
open complaint nobody owns. It goes (once) to the firm's members who see it in the inbox and
may deal with it (never the letter's drafter or the return's preparer: four eyes), and links
to the inbox."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from common.announce import deliver_announcement
from complaints import services
from letters import services as letters
from notifications.models import Category, Notification
from reporting.services import return_compute
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint
from tests.reporting.helpers import load_snapshot, position

from .helpers import letter_draft

pytestmark = pytest.mark.django_db


def _inbox_notices(**filters):
    return Notification.objects.filter(category=Category.INBOX, **filters)


def test_submitting_a_letter_tells_the_approvers_not_the_drafter(
    firm, handler, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    drafting_supervisor = MembershipFactory(firm=firm, role="supervisor").user
    MembershipFactory(firm=FirmFactory(), role="supervisor")  # another firm's: never told
    draft = letter_draft(firm, drafting_supervisor, london(2027, 5, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_submit_for_approval(
            letter_id=draft.pk, actor=drafting_supervisor, now=london(2027, 5, 13, 11)
        )
    (n,) = _inbox_notices()
    assert n.recipient == supervisor
    assert n.url == reverse("inbox:index") + "#section-letters"
    assert "awaiting approval" in n.title and draft.complaint.reference in n.title
    assert "Thu 13 May 2027" in n.body
    assert [m.to for m in mailoutbox if "awaiting approval" in m.subject] == [[supervisor.email]]

    # Delivered again (at least once), it notifies nobody twice; returned and submitted again,
    # it is news again.
    deliver_announcement(
        {"event": "letter.submitted", "object_id": draft.pk}, london(2027, 5, 13, 12)
    )
    assert _inbox_notices().count() == 1
    letters.letter_return_to_drafter(
        letter_id=draft.pk, actor=supervisor, now=london(2027, 5, 14, 9), note="Say more."
    )
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_submit_for_approval(
            letter_id=draft.pk, actor=drafting_supervisor, now=london(2027, 5, 14, 11)
        )
    assert _inbox_notices(recipient=supervisor).count() == 2


def test_a_computed_return_tells_its_approvers_but_not_its_preparer(
    firm, supervisor, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    second_officer = MembershipFactory(firm=firm, role="reporting_officer").user
    MembershipFactory(firm=firm, role="handler")  # cannot approve returns
    load_snapshot(firm, date(2028, 3, 31), [position("A", "A1")])
    with django_capture_on_commit_callbacks(execute=True):
        version = return_compute(
            firm=firm, period_end=date(2028, 3, 31), actor=officer, now=london(2028, 4, 20, 9)
        )
    notices = _inbox_notices()
    assert {n.recipient for n in notices} == {supervisor, second_officer}
    assert all(n.url.endswith("#section-returns") for n in notices)
    assert f"version {version.number} is awaiting approval" in notices[0].title


def test_an_unassigned_complaint_tells_the_supervisors(
    firm, handler, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        owned = make_complaint(firm=firm, received_at=london(2027, 6, 1, 10), owner_id=handler.pk)
        nobody = make_complaint(firm=firm, received_at=london(2027, 6, 1, 11))
    (n,) = _inbox_notices()
    assert (n.recipient, n.complaint_id) == (supervisor, nobody.pk)
    assert n.url.endswith("#section-unassigned") and "has no owner" in n.title

    # Unassigning the owned one is news; assigning it again and a repeat are not.
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(
            complaint_id=owned.pk, actor=supervisor, now=london(2027, 6, 2, 9), owner_id=None
        )
    assert _inbox_notices(complaint_id=owned.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(
            complaint_id=owned.pk, actor=supervisor, now=london(2027, 6, 2, 10), owner_id=handler.pk
        )
    assert _inbox_notices().count() == 2
