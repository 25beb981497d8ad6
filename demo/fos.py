"""Demo FOS referrals: every main stage, awards, a professional representative's cases and a
case referred back to the firm. Chargeable dates follow the complaints' dates over the past
year, so the fee ledger spans a FOS financial-year boundary (1 April). Written through the
services with ``now`` set to when each step happened, so history and stage dates are real.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from complaints.choices import Status
from complaints.models import Complaint
from demo.complaints import DemoContext
from fos import services
from fos.choices import EndKind, FosOutcome, ReferredBy
from fos.models import Referral

LONDON = ZoneInfo("Europe/London")

# (name, referred by a representative?, steps). Each step: (action, days after the previous
# step, params). The path ends at the stage the demo should show.
Step = tuple[str, int, dict[str, Any]]
PLANS: list[tuple[str, bool, list[Step]]] = [
    ("referred", False, []),
    ("jurisdiction", False, [("start_jurisdiction_review", 6, {})]),
    ("investigation", True, [("start_investigation", 10, {})]),
    (
        "view_upheld",
        False,
        [("start_investigation", 8, {}), ("issue_view", 40, {"outcome": FosOutcome.UPHELD})],
    ),
    (
        "ombudsman",
        True,
        [
            ("start_investigation", 7, {}),
            ("issue_view", 35, {"outcome": FosOutcome.NOT_UPHELD}),
            ("dispute_view", 12, {}),
        ],
    ),
    (
        "final_decision",
        False,
        [
            ("start_investigation", 5, {}),
            ("issue_view", 30, {"outcome": FosOutcome.NOT_UPHELD}),
            ("dispute_view", 10, {}),
            ("issue_provisional_decision", 20, {"outcome": FosOutcome.PARTLY_UPHELD}),
            ("issue_final_decision", 15, {"outcome": FosOutcome.PARTLY_UPHELD}),
        ],
    ),
    (
        "accepted_award",
        False,
        [
            ("start_investigation", 5, {}),
            ("issue_view", 30, {"outcome": FosOutcome.UPHELD}),
            ("award", 0, {"amount": Decimal("3400.00")}),
            ("accept_view", 14, {}),
        ],
    ),
    (
        "complied",
        False,
        [
            ("start_investigation", 6, {}),
            ("issue_view", 28, {"outcome": FosOutcome.PARTLY_UPHELD}),
            ("award", 0, {"amount": Decimal("850.00")}),
            ("accept_view", 10, {}),
            ("record_compliance", 9, {"amount_paid": Decimal("850.00")}),
        ],
    ),
    (
        "not_upheld_prof_rep",
        True,
        [
            ("start_investigation", 6, {}),
            ("issue_view", 25, {"outcome": FosOutcome.NOT_UPHELD}),
            ("accept_view", 15, {}),
        ],
    ),
    (
        "lapsed",
        False,
        [
            ("start_investigation", 4, {}),
            ("issue_view", 20, {"outcome": FosOutcome.NOT_UPHELD}),
            ("dispute_view", 7, {}),
            ("issue_final_decision", 30, {"outcome": FosOutcome.NOT_UPHELD}),
            ("end", 40, {"kind": EndKind.LAPSED}),
        ],
    ),
]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=LONDON)


def _response_date(c: Complaint) -> date:
    sent = c.final_response_sent_at or c.src_sent_at
    assert sent is not None  # only complaints with a DISP response are referred here
    return sent.astimezone(LONDON).date()


def load(ctx: DemoContext) -> None:
    firm = ctx.firms.get("north")
    if firm is None or Referral.objects.filter(firm__in=ctx.firms.values()).exists():
        return
    handler = ctx.users["handler"]
    today = ctx.now.astimezone(LONDON).date()
    responded = sorted(
        (
            c
            for c in Complaint.objects.filter(
                firm=firm,
                is_complaint=True,
                status__in=[Status.FINAL_RESPONSE_SENT, Status.CLOSED, Status.RESOLVED_SUMMARY],
            ).exclude(outcome="time_barred")
        ),
        key=_response_date,
    )
    # The longest paths go to the oldest responses, so their stage dates fit before today.
    plans = sorted(PLANS, key=lambda p: -sum(step[1] for step in p[2]))
    for (name, prof_rep, steps), complaint in zip(plans, responded, strict=False):
        on = min(_response_date(complaint) + timedelta(days=21), today)
        referral = services.referral_log(
            complaint_id=complaint.pk,
            actor=handler,
            now=_moment(on),
            referred_on=on,
            referred_by=ReferredBy.PROFESSIONAL_REPRESENTATIVE
            if prof_rep
            else ReferredBy.COMPLAINANT,
            representative_name="ClaimRight Solutions Ltd" if prof_rep else "",
            fos_reference=f"PNX-{7340000 + complaint.pk}" if name != "referred" else "",
        )
        if name == "investigation":
            services.fos_deadline_add(
                referral_id=referral.pk,
                actor=handler,
                now=_moment(on),
                description="Send the complaint file and final response",
                due_on=today + timedelta(days=4),
                source="FOS case set-up email",
            )
        for action, gap, params in steps:
            on = min(on + timedelta(days=gap), today)
            kwargs = dict(params)
            if action == "award":
                services.referral_record_award(
                    referral_id=referral.pk,
                    actor=handler,
                    now=_moment(on),
                    directions="Pay the award with interest and correct the account records.",
                    **kwargs,
                )
                continue
            if action == "issue_view":
                kwargs["response_due"] = on + timedelta(days=14)
            if action == "issue_final_decision":
                kwargs["acceptance_deadline"] = on + timedelta(days=28)
            if action == "end":
                # Only after a final decision, which sets the acceptance deadline.
                assert referral.acceptance_deadline is not None
                on = max(on, referral.acceptance_deadline + timedelta(days=1))
                if on > today:
                    continue
            services.STAGE_SERVICES[action](
                referral_id=referral.pk, actor=handler, now=_moment(on), on=on, **kwargs
            )
            referral.refresh_from_db()
        # Older cases' deadlines were met; the two live ones stay open for the queue.
        if name not in ("view_upheld", "investigation"):
            for deadline in referral.deadlines.filter(done_at__isnull=True):
                services.fos_deadline_complete(
                    deadline_id=deadline.pk, actor=handler, now=_moment(on)
                )
    _refer_one_back(firm, handler, today)


def _refer_one_back(firm, handler, today: date) -> None:
    """A complaint taken to the FOS before the firm's eight weeks: referred back (DISP 3.2.2R)."""
    early = (
        Complaint.objects.filter(
            firm=firm, status=Status.INVESTIGATING, fos_referral_open_from__gt=today
        )
        .order_by("received_at")
        .first()
    )
    if early is None:
        return
    on = max(early.receipt_date + timedelta(days=10), today - timedelta(days=3))
    on = min(on, today)
    referral = services.referral_log(
        complaint_id=early.pk, actor=handler, now=_moment(on), referred_on=on
    )
    services.referral_refer_back(
        referral_id=referral.pk, actor=handler, now=_moment(today), on=today
    )
