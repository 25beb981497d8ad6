"""The deadline watch: which DISP deadlines give notices, to whom, and only once.

Dates are the worked examples of disp-rules.md §7 (E1, E16, E23) with ``now`` fixed.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services as complaint_services
from complaints.choices import Regime
from notifications import sources
from notifications.due import DueItem
from notifications.models import EmailStatus, Level, Notice, Notification
from notifications.services import deadline_watch_run
from tests.factories import ComplainantFactory, MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def _notices():
    return sorted(Notice.objects.values_list("kind", "level", "due_date"))


def _for(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


# --- DISP sources -----------------------------------------------------------------------------


def test_disp_1_5_1r_src_window_closing_today_notifies_owner_once(
    firm, owner, supervisor, django_capture_on_commit_callbacks
):
    """E1: received Thu 2 Apr 2026 16:00 (England): SRC by close of business Thu 9 Apr."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the letter's e-mail is delivered
        complaint_services.complaint_acknowledge(
            complaint_id=c.pk, actor=owner, now=london(2026, 4, 2, 17)
        )

    assert deadline_watch_run(now=london(2026, 4, 8, 10)).notices == 0
    result = deadline_watch_run(now=london(2026, 4, 9, 9))

    assert result.notices == 1
    assert _notices() == [("src", Level.NEAR, london(2026, 4, 9).date())]
    (n,) = _for(owner)
    assert n.title.startswith(f"{c.reference}: Summary resolution window closes")
    assert _for(supervisor) == []  # near notices go to the owner only
    assert deadline_watch_run(now=london(2026, 4, 9, 11)).notices == 0


def test_disp_1_5_1r_no_src_notice_after_close_of_business(firm, owner):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    complaint_services.complaint_acknowledge(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 2, 17)
    )
    deadline_watch_run(now=london(2026, 4, 9, 17, 30))
    assert not Notice.objects.filter(kind="src").exists()


def test_disp_1_6_1r_acknowledgement_target_near_then_missed(firm, owner, supervisor):
    """Firm target 1 business day: received Thu 2 Apr 2026, Good Friday and Easter Monday are
    not business days, so the acknowledgement is due Tue 7 Apr and missed from Wed 8 Apr."""
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)

    deadline_watch_run(now=london(2026, 4, 6, 10))
    assert not Notice.objects.filter(kind="acknowledgement").exists()
    deadline_watch_run(now=london(2026, 4, 7, 10))
    deadline_watch_run(now=london(2026, 4, 8, 10))

    ack = Notice.objects.filter(kind="acknowledgement").order_by("created_at")
    assert [(n.level, n.due_date) for n in ack] == [
        (Level.NEAR, london(2026, 4, 7).date()),
        (Level.BREACH, london(2026, 4, 7).date()),
    ]
    # The breach also goes to the supervisor (DISP 1.3.7R oversight).
    assert [n.level for n in _for(supervisor)] == [Level.BREACH]


def test_acknowledgement_target_is_the_firms_setting(firm, owner):
    firm.acknowledgement_target_business_days = 3
    firm.save()
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 4, 8, 10))
    assert not Notice.objects.filter(kind="acknowledgement").exists()
    deadline_watch_run(now=london(2026, 4, 9, 10))
    assert Notice.objects.get(kind="acknowledgement").level == Level.NEAR


def test_disp_1_6_2r_eight_week_date_near_within_five_business_days_then_breached(
    firm, owner, supervisor, django_capture_on_commit_callbacks
):
    """E16: received Mon 13 Apr 2026, final or holding response due Mon 8 Jun 2026."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the letter's e-mail is delivered
        complaint_services.complaint_acknowledge(
            complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 11)
        )

    deadline_watch_run(now=london(2026, 5, 29, 10))  # Fri: 8 Jun is 6 business days away
    assert not Notice.objects.filter(kind="final_response").exists()
    deadline_watch_run(now=london(2026, 6, 1, 10))  # Mon: 5 business days away
    near = Notice.objects.get(kind="final_response")
    assert (near.level, near.due_date) == (Level.NEAR, london(2026, 6, 8).date())
    assert "in 5 business days" in _for(owner)[0].body

    deadline_watch_run(now=london(2026, 6, 8, 23))  # still inside the day: not yet missed
    assert Notice.objects.filter(kind="final_response").count() == 1
    deadline_watch_run(now=london(2026, 6, 9, 0, 15))
    breach = Notice.objects.get(kind="final_response", level=Level.BREACH)
    assert breach.due_date == london(2026, 6, 8).date()
    assert [n.level for n in _for(owner)] == [Level.NEAR, Level.BREACH]
    assert [n.title for n in _for(supervisor)] == [
        f"{c.reference}: 8-week final or holding response missed"
    ]


def test_warning_window_is_a_setting(settings, firm, owner):
    settings.DEADLINE_WARNING_BUSINESS_DAYS = 10
    make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 5, 26, 10))  # Tue: 8 Jun is 9 business days away
    assert Notice.objects.filter(kind="final_response", level=Level.NEAR).exists()


def test_disp_1_6_2r_holding_response_meets_the_eight_week_duty(firm, owner):
    """Sent on day 56 once eight weeks have passed since arrival (10:00), before the end of the
    day it is due: on time, so the watch never reports the 8-week date missed."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    complaint_services.complaint_acknowledge(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 11)
    )
    complaint_services.complaint_start_investigation(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 12)
    )
    complaint_services.complaint_send_holding_response(
        complaint_id=c.pk, actor=owner, now=london(2026, 6, 8, 10), reasons="Awaiting records."
    )
    deadline_watch_run(now=london(2026, 6, 10, 10))
    assert not Notice.objects.filter(kind="final_response").exists()


def test_disp_1_6_2ar_psd_15_and_35_business_day_dates(firm, owner):
    """E23: PSD/EMD complaint received Mon 13 Apr 2026: 15 business days Tue 5 May, 35 business
    days Wed 3 Jun 2026."""
    c = make_complaint(
        firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk, regime=Regime.PSD_EMD
    )
    complaint_services.complaint_acknowledge(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 11)
    )
    complaint_services.complaint_start_investigation(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 13, 12)
    )
    deadline_watch_run(now=london(2026, 4, 27, 10))  # Mon: 5 May is 5 business days away
    psd15 = Notice.objects.get(kind="psd_15")
    assert (psd15.level, psd15.due_date) == (Level.NEAR, london(2026, 5, 5).date())

    complaint_services.complaint_send_holding_response(
        complaint_id=c.pk, actor=owner, now=london(2026, 5, 1, 9), reasons="Exceptional delay."
    )
    deadline_watch_run(now=london(2026, 5, 27, 10))  # Wed: 3 Jun is 5 business days away
    deadline_watch_run(now=london(2026, 6, 4, 9))
    assert sorted(Notice.objects.filter(kind="psd_35").values_list("level", "due_date")) == [
        (Level.BREACH, london(2026, 6, 3).date()),
        (Level.NEAR, london(2026, 6, 3).date()),
    ]
    assert not Notice.objects.filter(kind="psd_15", level=Level.BREACH).exists()


def test_feedback_and_closed_complaints_get_no_notices(firm, owner):
    make_complaint(
        firm=firm,
        received_at=london(2026, 4, 13, 10),
        owner_id=owner.pk,
        alleged_financial_loss=False,
    )
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    complaint_services.complaint_withdraw(
        complaint_id=c.pk, actor=owner, now=london(2026, 4, 14, 10)
    )
    assert deadline_watch_run(now=london(2026, 6, 9, 10)).due == 0


def test_unassigned_complaint_near_deadline_goes_to_supervisors(firm, supervisor):
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    deadline_watch_run(now=london(2026, 4, 7, 10))
    assert [n.level for n in _for(supervisor)] == [Level.NEAR]


def test_another_firms_supervisor_is_not_told(firm, owner, scottish_firm):
    other = MembershipFactory(firm=scottish_firm, role="supervisor").user
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 4, 9, 10))
    assert _for(other) == []


# --- e-mail -----------------------------------------------------------------------------------


def test_notices_are_emailed_without_personal_data(firm, owner, supervisor, mailoutbox):
    person = ComplainantFactory(firm=firm, name="Zebedee Quartermain", email="zq@example.test")
    c = make_complaint(
        firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk, complainant=person
    )
    deadline_watch_run(now=london(2026, 6, 9, 10))

    assert {tuple(m.to) for m in mailoutbox} == {(owner.email,), (supervisor.email,)}
    for message in mailoutbox:
        assert c.reference in message.subject
        assert "Zebedee" not in message.subject + message.body
        assert "zq@example.test" not in message.body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    deadline_watch_run(now=london(2026, 6, 9, 10, 15))
    assert len(mailoutbox) == 4  # ack breach + 8-week breach, to owner and supervisor, once


def test_email_failure_stays_queued_and_is_retried(firm, owner, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)
    calls = {"n": 0}
    real = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("smtp down")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    deadline_watch_run(now=london(2026, 4, 9, 10))
    n = Notification.objects.get(email_status=EmailStatus.PENDING)
    assert n.email_attempts == 1
    sent_first = len(mailoutbox)
    deadline_watch_run(now=london(2026, 4, 9, 10, 15))
    n.refresh_from_db()
    assert (n.email_status, n.email_attempts) == (EmailStatus.SENT, 2)
    assert len(mailoutbox) == sent_first + 1
    assert Notice.objects.count() == 2  # SRC near and acknowledgement missed, once each


# --- once only, query bound, index use ----------------------------------------------------


def test_rerunning_the_watch_and_the_command_sends_nothing_twice(firm, owner, supervisor):
    for day in (2, 7, 13):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    first = deadline_watch_run(now=london(2026, 6, 9, 10))
    notifications = Notification.objects.count()
    assert first.notices == 6 and notifications > 0
    for _ in range(3):
        assert deadline_watch_run(now=london(2026, 6, 9, 10)).notices == 0
    call_command("run_deadline_watch")
    assert Notice.objects.count() == 6
    assert Notification.objects.count() == notifications


def _watch_queries(firm, owner, count: int, received_day: int) -> int:
    for _ in range(count):
        make_complaint(firm=firm, received_at=london(2026, 4, received_day, 10), owner_id=owner.pk)
    with CaptureQueriesContext(connection) as ctx:
        result = deadline_watch_run(now=london(2026, 6, 9, 10))
    assert result.notices == 2 * count
    return len(ctx.captured_queries)


def test_the_watch_issues_a_bounded_number_of_queries(firm, owner, supervisor):
    few = _watch_queries(firm, owner, 2, 13)
    many = _watch_queries(firm, owner, 25, 14)  # 27 complaints due, 50 new notices
    assert many == few
    # 19 for the DISP sources (the promised final response date is the fifth, DISP 1.6.2R(2)(a))
    # and the ledger; the FOS (2), redress (1), undelivered letters (1) and data-protection (2)
    # sources add one query per query they run, whatever the number of complaints; one more
    # reads the open notices the run may close (notifications.resolution).
    assert few <= 19 + 4 + 2 + 1


def test_deadline_sources_are_index_scans_on_the_deadline_columns(firm, owner):
    if connection.vendor != "postgresql":
        pytest.fail("query plans are checked on PostgreSQL")
    make_complaint(firm=firm, received_at=london(2026, 4, 13, 10), owner_id=owner.pk)
    with CaptureQueriesContext(connection) as ctx:
        deadline_watch_run(now=london(2026, 6, 9, 10))
    scans = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "complaints_complaint"' in q["sql"]
    ]
    assert len(scans) == 5  # one per DISP source
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql in scans:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on complaints_complaint" not in plan, plan
                assert "Index" in plan, plan
        finally:
            cursor.execute("RESET enable_seqscan")


# --- pluggable sources -------------------------------------------------------------------------


def test_a_listed_source_is_watched_like_the_disp_ones(firm, owner, supervisor, monkeypatch):
    """What remediation ("accepted redress overdue") and fos ("FOS response due") plug in."""
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), owner_id=owner.pk)

    def redress_overdue(ctx):
        yield DueItem(
            source="test.redress",
            object_key="redress:7",
            kind="redress_payment",
            label="Accepted redress payment",
            rule="DISP 1.4.1R(5)",
            level=ctx.level_for(london(2026, 4, 5).date()),
            due=london(2026, 4, 5).date(),
            firm_id=firm.pk,
            complaint_id=c.pk,
            reference=c.reference,
            owner_id=owner.pk,
        )

    monkeypatch.setitem(sources.DEADLINE_SOURCES, "test.redress", redress_overdue)
    deadline_watch_run(now=london(2026, 4, 6, 10))
    deadline_watch_run(now=london(2026, 4, 6, 11))
    notice = Notice.objects.get(object_key="redress:7")
    assert (notice.kind, notice.level, notice.source) == (
        "redress_payment",
        Level.BREACH,
        "test.redress",
    )
    assert Notification.objects.filter(notice=notice).count() == 2  # owner and supervisor
