"""Demo data: two firms, users for every role, ~80 believable crypto complaints in every state.

Everything is written through the services, with ``now`` set to the moment each action
happened, so deadlines, letters and history are exactly what real use would produce. Dates are
relative to today, so some complaints are always near or past their deadlines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from complaints import services
from complaints.choices import Activity, Channel, Outcome, Regime, Relationship, Role
from complaints.models import Complaint, Firm, FirmActivity, Membership
from demo import leaflet

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "demo-complaints-2026"


@dataclass
class DemoContext:
    """Handed to every app's ``demo.load(ctx)`` so each capability adds its own demo data."""

    now: datetime
    firms: dict[str, Firm] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    complaints: list[Complaint] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))


# Each firm's fields, plus its demo key and (activity, from a UK establishment) pairs.
FIRMS: list[dict[str, Any]] = [
    dict(
        key="north",
        name="Northgate Digital Exchange Ltd",
        frn="987654",
        reference_prefix="NDX",
        nation="england",
        accounting_reference_month=3,
        accounting_reference_day=31,
        address="1 Exchange Square\nLondon\nEC2A 2AA",
        complaints_email="complaints@northgate.example",
        complaints_phone="0203 000 0000",
        oversight_individual_name="Priya Shah",
        oversight_individual_role="Chief Operating Officer",
        oversight_individual_smf="SMF24",
        activities=[
            (Activity.OPERATING_CATP, True),
            (Activity.SAFEGUARDING, True),
            (Activity.DEALING_PRINCIPAL, True),
            (Activity.STAKING, True),
            (Activity.ISSUING_STABLECOIN, True),
            (Activity.LENDING_BORROWING, False),
        ],
    ),
    dict(
        key="scot",
        name="Caledonia Custody plc",
        frn="876543",
        reference_prefix="CAL",
        nation="scotland",
        accounting_reference_month=12,
        accounting_reference_day=31,
        address="12 Charlotte Square\nEdinburgh\nEH2 4DJ",
        complaints_email="complaints@caledonia.example",
        complaints_phone="0131 000 0000",
        oversight_individual_name="Hamish Reid",
        oversight_individual_role="Head of Compliance",
        oversight_individual_smf="SMF16",
        activities=[
            (Activity.SAFEGUARDING, True),
            (Activity.ARRANGING, True),
            (Activity.DEALING_AGENT, True),
        ],
    ),
]

USERS = [
    # username, first, last, [(firm key, role)]
    ("handler", "Hannah", "Okafor", [("north", Role.HANDLER)]),
    ("handler2", "Tom", "Baines", [("north", Role.HANDLER)]),
    ("supervisor", "Sam", "Whitfield", [("north", Role.SUPERVISOR)]),
    (
        "reporting",
        "Rita",
        "Mensah",
        [("north", Role.REPORTING_OFFICER), ("scot", Role.REPORTING_OFFICER)],
    ),
    ("scot.handler", "Callum", "Fraser", [("scot", Role.HANDLER)]),
    ("scot.supervisor", "Morag", "Stewart", [("scot", Role.SUPERVISOR)]),
    ("admin", "Ada", "Admin", [("north", Role.ADMIN), ("scot", Role.ADMIN)]),
]

PEOPLE = [
    "Amelia Clarke",
    "Oliver Bennett",
    "Isla Murray",
    "Noah Patel",
    "Sophie Turner",
    "Jack Robertson",
    "Grace Hughes",
    "Harry Campbell",
    "Ava Thompson",
    "Leo Walker",
    "Mia Edwards",
    "Charlie Kerr",
    "Freya Morgan",
    "George Hamilton",
    "Poppy Reid",
    "Ethan Doyle",
    "Ruby Sinclair",
    "Arthur Jones",
    "Evie MacLeod",
    "Finley Shaw",
    "Daisy Kaur",
    "Alfie Wright",
    "Lily O'Neill",
    "Oscar Grant",
]

# (activity, description, detriments (loss, distress, inconvenience), is_psd)
SCENARIOS = [
    (
        Activity.OPERATING_CATP,
        "Withdrawal of 0.85 BTC has been 'pending' for nine days with no "
        "explanation; I missed a house deposit deadline because the funds were stuck.",
        (1, 1, 1),
        False,
    ),
    (
        Activity.ISSUING_STABLECOIN,
        "My redemption of 25,000 GBPN stablecoin for pounds was refused "
        "without reason, although the terms promise redemption at par within one business day.",
        (1, 0, 1),
        False,
    ),
    (
        Activity.SAFEGUARDING,
        "My custody statement shows 3.2 ETH fewer than I deposited. Support says "
        "there was a 'reconciliation adjustment' but will not explain it.",
        (1, 1, 0),
        False,
    ),
    (
        Activity.STAKING,
        "Staking rewards for the last quarter were paid at 2.1% instead of the 4.5% "
        "shown when I staked my SOL. I want the difference.",
        (1, 0, 0),
        False,
    ),
    (
        Activity.OPERATING_CATP,
        "During the platform outage on the evening of the CPI release I could "
        "not close my position and the price fell 12%. I lost about £3,400.",
        (1, 1, 0),
        False,
    ),
    (
        Activity.DEALING_PRINCIPAL,
        "The price quoted for my USDC to GBP trade was 3% worse than the "
        "market price at that moment; the spread was never disclosed.",
        (1, 0, 0),
        False,
    ),
    (
        Activity.OPERATING_CATP,
        "My account was frozen for a 'source of funds' review for five weeks; "
        "nobody answers my emails and I cannot pay my bills.",
        (0, 1, 1),
        False,
    ),
    (
        Activity.ARRANGING,
        "I was introduced to a token sale that turned out to be unavailable to UK "
        "customers; my deposit has not been returned.",
        (1, 0, 1),
        False,
    ),
    (
        Activity.SAFEGUARDING,
        "A transfer to my hardware wallet went to the wrong network and support "
        "says it is lost, but the app offered that network by default.",
        (1, 1, 0),
        False,
    ),
    (
        Activity.OPERATING_CATP,
        "A card top-up of £500 was taken from my bank but never credited to my fiat wallet.",
        (1, 0, 1),
        True,
    ),
    (
        Activity.DEALING_AGENT,
        "My limit order was filled at a worse price than my limit during high volatility.",
        (1, 0, 0),
        False,
    ),
    (
        Activity.STAKING,
        "Unstaking took 21 days instead of the 7 days advertised, and I missed a "
        "market move I wanted to act on.",
        (1, 0, 1),
        False,
    ),
    (
        Activity.OPERATING_CATP,
        "Just letting you know the new app layout makes it hard to find my transaction history.",
        (0, 0, 0),
        False,
    ),
]


def _at(now: datetime, days_ago: float, hour: int = 10) -> datetime:
    d = (now - timedelta(days=days_ago)).astimezone(LONDON).date()
    # Never in the future: a complaint "received today" at 18:15 cannot exist at 09:30.
    return min(datetime.combine(d, time(hour, 15), tzinfo=LONDON), now - timedelta(minutes=20))


def _ensure_firms_and_users(ctx: DemoContext) -> None:
    user_model = get_user_model()
    for spec in FIRMS:
        spec = dict(spec)
        key = spec.pop("key")
        activities = spec.pop("activities")
        firm, _ = Firm.objects.get_or_create(frn=spec["frn"], defaults=spec)
        for activity, uk in activities:
            FirmActivity.objects.get_or_create(
                firm=firm, activity=activity, defaults={"from_uk_establishment": uk}
            )
        ctx.firms[key] = firm
    for username, first, last, roles in USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = username == "admin"
            user.is_superuser = username == "admin"
            user.save()
        for firm_key, role in roles:
            Membership.objects.get_or_create(
                user=user, firm=ctx.firms[firm_key], defaults={"role": role, "team": "Complaints"}
            )
        ctx.users[username] = user


# (target state, share of complaints, how many days ago received: range)
PLAN = [
    ("received", 8, (0, 2)),
    ("acknowledged", 8, (1, 3)),
    ("investigating", 18, (4, 62)),
    ("holding", 6, (58, 75)),
    ("resolved_summary", 10, (5, 200)),
    ("final_response", 14, (20, 300)),
    ("closed", 8, (60, 350)),
    ("forwarded", 3, (10, 120)),
    ("withdrawn", 3, (10, 120)),
    ("time_barred", 2, (10, 90)),
]


def _build_complaints(ctx: DemoContext, firm: Firm, handlers: list, count_scale: float) -> None:
    rng = ctx.rng
    now = ctx.now
    people = PEOPLE[:] if firm.nation == "england" else PEOPLE[::-1]
    for state, n, (lo, hi) in PLAN:
        for _ in range(max(1, round(n * count_scale))):
            activity, text, (loss, distress, inconvenience), psd = rng.choice(SCENARIOS)
            if firm.activity_from_uk(activity) is None:
                carried = firm.activities.first()
                assert carried is not None  # every demo firm carries on some activity
                activity = Activity(carried.activity)
            received = _at(now, rng.uniform(lo, hi), hour=rng.choice([9, 11, 14, 16, 18]))
            owner = rng.choice(handlers)
            name = rng.choice(people)
            vulnerable = rng.random() < 0.15
            complainant = services.ComplainantData(
                name=name,
                email=name.lower().replace(" ", ".").replace("'", "") + "@mail.example",
                client_reference=f"C{rng.randint(100000, 999999)}",
                vulnerable_health=vulnerable and rng.random() < 0.5,
                vulnerable_life_events=vulnerable,
                vulnerability_note="Recently bereaved; prefers email contact."
                if vulnerable
                else "",
                vulnerability_identified_by="disclosed" if vulnerable else "",
                vulnerability_consent=vulnerable,
                vulnerability_review_on=received.date() + timedelta(days=90)
                if vulnerable
                else None,
            )
            is_feedback = not (loss or distress or inconvenience)
            event = received.date() - timedelta(days=rng.randint(1, 20))
            if state == "time_barred":
                event = received.date() - timedelta(days=365 * 7)
            c = services.complaint_register(
                firm=firm,
                actor=owner,
                now=received,
                received_at=received,
                channel=rng.choice(Channel.values),
                activity=activity,
                description=text,
                complainant=complainant,
                relationship=Relationship.CUSTOMER,
                alleged_financial_loss=bool(loss),
                alleged_material_distress=bool(distress),
                alleged_material_inconvenience=bool(inconvenience),
                regime=Regime.PSD_EMD if psd else Regime.STANDARD,
                event_date=event,
                awareness_date=event,
                owner_id=owner.pk,
            )
            _drive(c, state, owner, received, rng, is_feedback, now)
            ctx.complaints.append(Complaint.objects.get(pk=c.pk))


def _drive(
    c: Complaint, state: str, actor, received: datetime, rng, is_feedback: bool, now
) -> None:
    def at(hours: float) -> datetime:
        return min(received + timedelta(hours=hours), now)

    kw = dict(complaint_id=c.pk, actor=actor)
    if state == "received":
        return
    if is_feedback:
        services.complaint_close(now=at(30), **kw)
        return
    if state == "time_barred":
        services.complaint_reject_time_barred(now=at(26), **kw)
        return
    if state == "forwarded":
        services.complaint_forward(
            now=at(20),
            to_firm="Meridian Crypto Brokers Ltd",
            to_contact="complaints@meridian.example, 2 Dock Street, Leith",
            reason="The disputed trade was executed by Meridian as the introducing broker.",
            **kw,
        )
        return
    if state == "withdrawn":
        services.complaint_withdraw(now=at(50), reason="Complainant withdrew by phone", **kw)
        return
    services.complaint_acknowledge(now=at(rng.uniform(1, 20)), **kw)
    if state == "acknowledged":
        return
    if state in ("resolved_summary",):
        services.complaint_resolve_summary(
            now=at(40),
            outcome=rng.choice([Outcome.UPHELD, Outcome.NOT_UPHELD, Outcome.GOODWILL]),
            summary="Explained the delay and released the withdrawal.",
            **kw,
        )
        return
    services.complaint_start_investigation(now=at(30), **kw)
    if state in ("investigating", "holding") and now - received > timedelta(days=15):
        # DISP 1.6.1R(2): keeping the complainant informed before eight weeks.
        services.complaint_send_progress_update(
            now=at(24 * 14),
            progress="We have asked our custody provider for the records of your withdrawal.",
            **kw,
        )
    if state == "investigating":
        return
    if state == "holding":
        # DISP 1.6.2R(2)(b): once eight weeks have passed since arrival, on the day it is due.
        services.complaint_send_holding_response(
            now=at(24 * 56 + 1),
            reasons="We are waiting for our custody provider's reconciliation.",
            expected_final_response_on=(received + timedelta(days=80)).date(),
            **kw,
        )
        return
    services.complaint_send_final_response(
        now=at(24 * rng.uniform(10, 50)),
        outcome=rng.choice(
            [Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD, Outcome.GOODWILL]
        ),
        summary="Final response with our decision and reasons.",
        **kw,
    )
    if state == "closed":
        services.complaint_close(now=at(24 * 55), **kw)


def load_demo(now: datetime) -> DemoContext:
    """Create the demo data once. Returns the context (with existing rows if already loaded)."""
    ctx = DemoContext(now=now)
    with transaction.atomic():
        _ensure_firms_and_users(ctx)
        # The demo leaflet first: the letters sent below say it is enclosed.
        leaflet.load(ctx.firms.values(), admin=ctx.users["admin"], now=ctx.now)
        if Complaint.objects.filter(firm__in=ctx.firms.values()).exists():
            ctx.complaints = list(Complaint.objects.filter(firm__in=ctx.firms.values()))
            return ctx
        _build_complaints(
            ctx, ctx.firms["north"], [ctx.users["handler"], ctx.users["handler2"]], 1.0
        )
        _build_complaints(ctx, ctx.firms["scot"], [ctx.users["scot.handler"]], 0.2)
    return ctx
