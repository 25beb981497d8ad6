"""The deadline watch flags a letter sent by e-mail and not delivered within the hour (issue #15
item 1): the record says the complainant was answered, the e-mail has not left."""

from __future__ import annotations

import pytest

from complaints import services as complaint_services
from notifications.models import Level, Notice, Notification
from notifications.services import deadline_watch_run
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

SENT = london(2026, 4, 2, 17)


def _letter_notices():
    return list(Notice.objects.filter(kind="letter_email"))


def test_an_emailed_letter_not_delivered_within_the_hour_is_flagged_once(
    firm, owner, supervisor, django_capture_on_commit_callbacks
):
    lost = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=False):  # the broker never took the e-mail
        complaint_services.complaint_acknowledge(complaint_id=lost.pk, actor=owner, now=SENT)
    delivered = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_services.complaint_acknowledge(complaint_id=delivered.pk, actor=owner, now=SENT)

    deadline_watch_run(now=london(2026, 4, 2, 17, 59))
    assert _letter_notices() == []  # within the hour: not yet
    deadline_watch_run(now=london(2026, 4, 2, 18, 1))
    (notice,) = _letter_notices()
    assert (notice.complaint_id, notice.level) == (lost.pk, Level.BREACH)
    for user in (owner, supervisor):
        (n,) = Notification.objects.filter(recipient=user, notice=notice)
        assert n.title == f"{lost.reference}: Acknowledgement (DISP 1.6.1R): e-mail missed"
        assert "delivered within 60 minutes of sending" in n.body
        assert n.link == f"/letters/{notice.object_key.split(':')[1]}/"
    deadline_watch_run(now=london(2026, 4, 2, 19))
    assert len(_letter_notices()) == 1  # once only
