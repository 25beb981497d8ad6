"""Demo data-protection complaints and subject access requests (docs/data-protection.md): one
data-protection complaint answered while its DISP complaint is still open, one whose
acknowledgement is due, and subject access requests in each state of their clock (running,
waiting for identity, stopped for a clarification, extended, answered). Built through the same
services as the pages."""

from __future__ import annotations

from datetime import timedelta

from common.dates import london_date
from complaints.dpa.clock import S164A_COMMENCEMENT
from complaints.services.dataprotection import (
    dpa_complaint_acknowledge,
    dpa_complaint_outcome,
    dpa_complaint_progress,
    dpa_complaint_record,
)
from complaints.services.subject_access import (
    sar_answer,
    sar_clarification_ask,
    sar_extend,
    sar_record,
)
from demo.complaints import DemoContext

PERSONAL_DATA = (
    "You sent my account statement, with my wallet addresses, to another customer's e-mail address."
)
OUTCOME = (
    "We found that a member of staff mistyped your e-mail address. The other customer has "
    "confirmed they deleted the statement, we have corrected our records, and the team now "
    "checks the address before sending a statement."
)


OLDEST_DAYS_AGO = 27


def load(ctx: DemoContext, register) -> bool:
    """``register(ctx, firm, days_ago=, name=)`` logs a demo complaint (demo.letters'). False,
    and nothing loaded, when the demo's clock is too early for s.164A (in force 19 June 2026)."""
    north, now = ctx.firms["north"], ctx.now
    if london_date(now - timedelta(days=OLDEST_DAYS_AGO)) < S164A_COMMENCEMENT:
        return False
    # Answered while the DISP complaint stays open (s.164A(4)(b): it never waits).
    c, owner, received = register(
        ctx, north, days_ago=20, name="Priya Nair", description=PERSONAL_DATA
    )
    dpa = dpa_complaint_record(complaint_id=c.pk, actor=owner, now=received, summary=PERSONAL_DATA)
    dpa_complaint_acknowledge(dpa_id=dpa.pk, actor=owner, now=received + timedelta(days=1))
    dpa_complaint_progress(
        dpa_id=dpa.pk,
        actor=owner,
        now=received + timedelta(days=6),
        summary="We have asked the other customer to delete the statement.",
    )
    dpa_complaint_outcome(
        dpa_id=dpa.pk, actor=owner, now=received + timedelta(days=12), outcome=OUTCOME
    )
    # A subject access request raised in the same complaint, answered in time.
    sar = sar_record(
        complaint_id=c.pk,
        actor=owner,
        now=received,
        scope="Every e-mail you sent me and the notes about my account.",
        received_on=london_date(received),
    )
    sar_answer(
        sar_id=sar.pk,
        actor=owner,
        now=received + timedelta(days=15),
        answered_on=london_date(received + timedelta(days=15)),
    )

    # Acknowledgement due in a few days, and requests in each state of the clock.
    c, owner, received = register(
        ctx,
        north,
        days_ago=OLDEST_DAYS_AGO,
        name="Tom Becker",
        description="You kept calling me after I asked you to stop.",
    )
    dpa_complaint_record(
        complaint_id=c.pk,
        actor=owner,
        now=received,
        summary="Marketing calls after I objected to them.",
    )
    day = london_date(received)
    running = sar_record(
        complaint_id=c.pk, actor=owner, now=received, scope="My call recordings.", received_on=day
    )
    sar_clarification_ask(
        sar_id=running.pk,
        actor=owner,
        now=received + timedelta(days=2),
        question="Which of your three phone numbers?",
        asked_on=day + timedelta(days=2),
    )
    extended = sar_record(
        complaint_id=c.pk,
        actor=owner,
        now=received,
        scope="Six years of trading records.",
        received_on=day,
    )
    sar_extend(
        sar_id=extended.pk,
        actor=owner,
        now=received + timedelta(days=5),
        reason="Your records for six years are held in three systems and need review.",
    )
    sar_record(
        complaint_id=c.pk,
        actor=owner,
        now=min(received + timedelta(days=3), now),
        scope="Everything you hold about me.",
        received_on=day + timedelta(days=3),
        identity_requested_on=day + timedelta(days=3),
    )
    return True
