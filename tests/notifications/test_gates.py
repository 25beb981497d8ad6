"""A single complaint's check asks only the deadline sources its complaint can be reported by
(``notifications.sources.gates``), and reports what asking every source reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services as complaint_services
from complaints.choices import Regime
from complaints.models import Complaint
from complaints.services._base import announce_change
from complaints.services.dataprotection import dpa_complaint_record
from complaints.services.subject_access import sar_record
from fos.services import fos_deadline_add
from notifications import sources
from notifications.models import Notification
from notifications.services import build_watch_context, collect_due_items
from remediation.services import RedressData, redress_accept, redress_offer
from tests.factories import london, make_complaint
from tests.fos.helpers import at, log, responded_complaint
from tests.remediation.conftest import investigating

pytestmark = pytest.mark.django_db


def test_every_listed_source_has_a_gate():
    assert set(sources.GATES) == set(sources.DEADLINE_SOURCES)


def _every_source_reports_something(firm, owner, django_capture_on_commit_callbacks):
    """Complaints in each state every source reports on at one of the returned moments."""
    acked = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=False):  # its letter's e-mail never left
        complaint_services.complaint_acknowledge(
            complaint_id=acked.pk, actor=owner, now=london(2026, 4, 2, 17)
        )
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))  # never acknowledged
    make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    investigating(firm, owner, received=london(2026, 4, 13, 10), regime=Regime.PSD_EMD)
    for regime, expected in ((Regime.PSD_EMD, None), (Regime.STANDARD, date(2026, 7, 1))):
        held = investigating(firm, owner, received=london(2026, 4, 13, 10), regime=regime)
        complaint_services.complaint_send_holding_response(
            complaint_id=held.pk,
            actor=owner,
            now=london(2026, 6, 8, 10) if expected else london(2026, 5, 1, 9),
            reasons="Awaiting records.",
            expected_final_response_on=expected,
        )
    paid = investigating(firm, owner, received=london(2026, 4, 1, 10))
    item = redress_offer(
        complaint_id=paid.pk,
        actor=owner,
        now=london(2026, 4, 10, 10),
        data=RedressData(kind="goodwill", amount_gbp=Decimal("50.00"), description="Apology"),
    )
    redress_accept(item_id=item.pk, actor=owner, now=london(2026, 4, 11, 10))
    referred = responded_complaint(firm=firm, actor=owner, received=london(2026, 1, 5, 10))
    fos_deadline_add(
        referral_id=log(referred, owner, referred_on=date(2026, 3, 2)).pk,
        actor=owner,
        now=at(date(2026, 3, 2)),
        description="Send the case file",
        due_on=date(2026, 3, 6),
    )
    dpa = make_complaint(firm=firm, received_at=london(2026, 7, 3, 10), owner_id=owner.pk)
    dpa_complaint_record(
        complaint_id=dpa.pk, actor=owner, now=london(2026, 7, 3, 12), summary="Shared my data."
    )
    sar_record(
        complaint_id=dpa.pk,
        actor=owner,
        now=london(2026, 7, 3, 12),
        scope="My records",
        received_on=date(2026, 7, 3),
    )
    return [
        london(2026, 3, 3, 9),
        london(2026, 4, 9, 9),
        london(2026, 4, 27, 10),
        london(2026, 5, 1, 9),
        london(2026, 5, 27, 10),
        london(2026, 6, 1, 10),
        london(2026, 6, 25, 10),
        london(2026, 8, 4, 9),
    ]


def test_a_single_check_reports_what_every_source_reports(
    firm, owner, monkeypatch, django_capture_on_commit_callbacks
):
    moments = _every_source_reports_something(firm, owner, django_capture_on_commit_callbacks)
    ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True))
    reported = set()
    for now in moments:
        for pk in ids:
            gated = collect_due_items(build_watch_context(now=now, complaint_ids=[pk]))
            with monkeypatch.context() as m:
                m.setattr(sources, "GATES", {})
                every = collect_due_items(build_watch_context(now=now, complaint_ids=[pk]))
            assert gated == every, (now, pk)
            reported |= {item.kind for item in every}
    assert reported >= {
        *("src", "acknowledgement", "final_response", "psd_15", "psd_35"),
        *("promised_final_response", "redress_payment", "fos_response", "letter_email"),
        *("dpa_acknowledgement", "sar_response"),
    }


def test_a_closed_complaints_check_asks_no_source(firm, owner):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    complaint_services.complaint_withdraw(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 14, 10)
    )
    ctx = build_watch_context(now=london(2026, 6, 9, 10), complaint_ids=[c.pk])
    with CaptureQueriesContext(connection) as queries:
        assert collect_due_items(ctx) == []
    assert len(queries) == 1  # the probe


def test_a_registrations_delivery_issues_a_pinned_number_of_queries(firm, supervisor):
    """The announcement a create sends (issue 18): its check and the unassigned notice."""
    warm = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10))
    announce_change({"complaint_id": warm.pk, "action": "register"}, london(2026, 4, 13, 11))
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10))
    with CaptureQueriesContext(connection) as queries:
        announce_change({"complaint_id": c.pk, "action": "register"}, london(2026, 4, 13, 11))
    assert Notification.objects.filter(recipient=supervisor, complaint=c).count() == 1
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The firms, the probe, the three DISP sources of a received complaint, its open notices,
    # the e-mails to send; then the complaint, its supervisors, the notice (written, read
    # back), its notification, the e-mails again and the one sent marked.
    assert len(sql) == 14, "\n".join(sql)


def test_a_checks_compiled_read_binds_its_moment(firm, owner):
    """DISP 1.5.1R: the SRC window closes at close of business. The same day's checks share one
    compiled read; the later one, after the close, no longer reports the window."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    complaint_services.complaint_acknowledge(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 2, 17)
    )

    def kinds(now):
        ctx = build_watch_context(now=now, complaint_ids=[c.pk])
        return [item.kind for item in collect_due_items(ctx)]

    assert "src" in kinds(london(2026, 4, 9, 9))
    with CaptureQueriesContext(connection) as queries:
        assert "src" not in kinds(london(2026, 4, 9, 17, 30))
    assert "2026-04-09 17:30:00" in queries[2]["sql"]  # the SRC read, with this moment
