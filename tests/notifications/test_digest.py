"""DISP 1.3.7R oversight: a daily digest of breaches and near-breaches per firm."""

import pytest
from django.core.management import call_command

from notifications.models import Category, Notification
from notifications.services import supervisor_digest_send
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def test_daily_digest_lists_breaches_and_near_breaches_per_firm_once_a_day(
    firm, owner, supervisor, scottish_firm, mailoutbox
):
    scot_supervisor = MembershipFactory(firm=scottish_firm, role="supervisor").user
    missed = make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    near = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10))

    assert supervisor_digest_send(now=london(2026, 6, 1, 7, 30)) == 1
    assert supervisor_digest_send(now=london(2026, 6, 1, 9)) == 0  # once a day

    (digest,) = Notification.objects.filter(recipient=supervisor, category=Category.DIGEST)
    assert digest.title.startswith(f"Daily deadline digest, {firm.name}: 3 missed, 1 near")
    lines = digest.body.splitlines()[1:]
    # Missed first, then by due date.
    assert [line.split(":")[0] for line in lines] == [
        f"- [MISSED] {missed.reference}",
        f"- [MISSED] {near.reference}",
        f"- [MISSED] {missed.reference}",
        f"- [near] {near.reference}",
    ]
    assert "8-week final or holding response (DISP 1.6.2R), due Thu 28 May 2026" in lines[2]
    assert lines[2].endswith("owner: Hannah Okafor")
    assert lines[3].endswith("owner: unassigned")
    assert not Notification.objects.filter(recipient=scot_supervisor).exists()
    assert [m.to for m in mailoutbox] == [[supervisor.email]]

    assert supervisor_digest_send(now=london(2026, 6, 2, 7, 30)) == 1  # the next day's


def test_digest_command_runs(firm, supervisor, capsys):
    call_command("send_supervisor_digest")
    assert "firm digest(s) issued" in capsys.readouterr().out
