"""Data minimisation (DISP 1.9 keeps complaint records, not every e-mail): e-mail never filed on
a complaint is deleted by the retention job once MAILROOM_UNFILED_RETENTION_DAYS have passed
since it arrived, with its stored .eml and what its history said; filed e-mail stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from complaints.services.retention import REDACTED
from mailroom.choices import Kind, State
from mailroom.models import InboundMessage
from mailroom.retention import REASON_UNFILED
from notifications.retention import retention_run
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)


def _message(mailbox, uid: int, *, days_ago: int, **fields) -> InboundMessage:
    m = InboundMessage(
        firm_id=mailbox.firm_id,
        mailbox=mailbox,
        uidvalidity=1,
        uid=uid,
        message_id=f"<m{uid}@example.test>",
        from_address="sam@example.test",
        from_name="Sam Doe",
        subject="My withdrawal",
        text="Account 12345678, sort code 00-00-00.",
        attachment_names=["statement.pdf"],
        arrived_at=NOW - timedelta(days=days_ago),
        size=10,
        imported_at=NOW - timedelta(days=days_ago),
        **{"kind": Kind.NEW, **fields},
    )
    m.raw.save(f"retention-{uid}.eml", ContentFile(b"Subject: My withdrawal\r\n\r\nhi"), save=False)
    m.save()
    m.subject = "My withdrawal, again"  # a second history row to scrub
    m.save()
    return m


@pytest.fixture
def mailbox(firm):
    from mailroom.models import Mailbox

    return Mailbox.objects.create(
        firm=firm, host="imap.firm.test", username="c", address="complaints@firm.test"
    )


def test_unfiled_and_set_aside_email_goes_after_its_period_filed_email_stays(
    mailbox, firm, handler, settings, django_capture_on_commit_callbacks
):
    settings.MAILROOM_UNFILED_RETENTION_DAYS = 30
    complaint = make_complaint(firm=firm, actor=handler, received_at=NOW - timedelta(days=400))
    unfiled = _message(mailbox, 1, days_ago=31)
    aside = _message(mailbox, 2, days_ago=40, state=State.SET_ASIDE)
    bounce = _message(mailbox, 3, days_ago=31, kind=Kind.BOUNCE)
    recent = _message(mailbox, 4, days_ago=29)
    filed = _message(mailbox, 5, days_ago=400, state=State.FILED, complaint=complaint)
    gone = [unfiled, aside, bounce]
    files = [m.raw.name for m in gone]

    dry = retention_run(now=NOW, dry_run=True)
    assert dry.lines()[-1] == (
        "E-mail never filed on a complaint, older than 30 days: 3 would be deleted."
    )
    assert InboundMessage.objects.count() == 5

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run(now=NOW)

    assert report.lines()[-1] == "E-mail never filed on a complaint, older than 30 days: 3 deleted."
    assert set(InboundMessage.objects.values_list("pk", flat=True)) == {recent.pk, filed.pk}
    assert not any(default_storage.exists(name) for name in files)
    assert default_storage.exists(recent.raw.name) and default_storage.exists(filed.raw.name)
    # Their history keeps when and what kind, with a deletion entry saying why; not what
    # they said or who sent them.
    history = InboundMessage.history.filter(id__in=[m.pk for m in gone])
    assert history.count() == 9
    assert set(history.values_list("subject", "text", "from_address", "raw", "message_id")) == {
        (REDACTED, REDACTED, "", "", "")
    }
    deleted = history.filter(history_type="-")
    assert set(deleted.values_list("history_change_reason", flat=True)) == {REASON_UNFILED}
    # Filed e-mail is the complaint's record: untouched until the complaint's own retention.
    assert InboundMessage.history.filter(id=filed.pk, subject=REDACTED).count() == 0


def test_the_retention_command_reports_the_email_deleted(mailbox, time_machine):
    # The command asks the clock: pinned to NOW, which the messages' ages count back from.
    time_machine.move_to(NOW, tick=False)
    _message(mailbox, 1, days_ago=366)  # the default period: 365 days
    _message(mailbox, 2, days_ago=364)
    out = StringIO()
    call_command("run_retention", stdout=out)
    assert "E-mail never filed on a complaint, older than 365 days: 1 deleted." in out.getvalue()
    assert InboundMessage.objects.count() == 1
