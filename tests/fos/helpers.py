"""Builders for FOS tests: complaints driven through the complaints services, referrals through
the fos services, each with an explicit ``now``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from complaints import services as complaint_services
from fos import services
from tests.factories import london, make_complaint

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def responded_complaint(
    *,
    firm,
    actor=None,
    received: datetime | None = None,
    response_after_days: int = 20,
    outcome: str = "not_upheld",
    six_month_wording: bool = True,
    **kwargs,
):
    """A complaint with a final response sent ``response_after_days`` after receipt."""
    received = received or london(2027, 11, 1, 10)
    kwargs.setdefault("event_date", received.date() - timedelta(days=3))
    kwargs.setdefault("awareness_date", kwargs["event_date"])
    c = make_complaint(firm=firm, received_at=received, actor=actor, **kwargs)
    complaint_services.complaint_acknowledge(
        complaint_id=c.pk, actor=actor, now=received + timedelta(hours=1)
    )
    complaint_services.complaint_start_investigation(
        complaint_id=c.pk, actor=actor, now=received + timedelta(hours=2)
    )
    sent = received + timedelta(days=response_after_days)
    return complaint_services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=actor,
        now=sent,
        outcome=outcome,
        six_month_wording=six_month_wording,
    )


def log(complaint, actor=None, *, referred_on: date, **kwargs):
    return services.referral_log(
        complaint_id=complaint.pk,
        actor=actor,
        now=at(referred_on),
        referred_on=referred_on,
        **kwargs,
    )


# Parameters each stage action needs, relative to the date it is taken.
def params_for(action: str, on: date) -> dict:
    return {
        "issue_view": {"outcome": "upheld", "response_due": on + timedelta(days=14)},
        "issue_provisional_decision": {"outcome": "upheld"},
        "issue_final_decision": {
            "outcome": "upheld",
            "acceptance_deadline": on + timedelta(days=28),
        },
        "end": {"kind": "withdrawn"},
    }.get(action, {})


def act(referral, action: str, *, on: date, actor=None, **overrides):
    params = {**params_for(action, on), **overrides}
    return services.STAGE_SERVICES[action](
        referral_id=referral.pk, actor=actor, now=at(on, 15), on=on, **params
    )


def drive(referral, actions: list[str], *, start: date, actor=None, step_days: int = 3):
    on = start
    for action in actions:
        on = on + timedelta(days=step_days)
        referral = act(referral, action, on=on, actor=actor)
    return referral
