"""Demo data: a root-cause taxonomy, a platform outage with many linked complaints, a GBPN
de-peg, redress in every state (one payment overdue) and actions in the register.

Everything goes through the services with ``now`` set to when it happened. Idempotent: once
the outage incident exists, nothing is added again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from common.dates import LONDON, london_date
from complaints import services as complaint_services
from complaints.choices import Activity, Channel, Outcome, Status
from complaints.models import Complaint
from demo.complaints import DemoContext
from remediation import services
from remediation.models import ActionStatus, Incident, InterestBasis, RedressKind, RootCause

TAXONOMY = {
    "Platform availability": ["Matching-engine outage", "Withdrawal queue backlog"],
    "Custody and safeguarding": ["Reconciliation error", "Wrong-network transfer"],
    "Stablecoin redemption": ["De-peg handling", "Redemption delays"],
    "Communication": ["No explanation given", "Unclear fee or spread disclosure"],
    "Financial crime controls": ["Source-of-funds review delays"],
}
OUTAGE_NAME = "Matching-engine outage (CPI release)"
DEPEG_NAME = "GBPN de-peg"
OUTAGE_COMPLAINTS = 18
OUTAGE_TEXTS = [
    "During the outage I could not close my position and the price fell sharply.",
    "The app showed 'service unavailable' for hours; my stop-loss never triggered.",
    "My BTC withdrawal was stuck while the platform was down and I missed a payment.",
    "Orders I placed during the outage were filled hours later at a much worse price.",
]


def _day(now: datetime, days_ago: int, hour: int, minute: int = 0) -> datetime:
    d = london_date(now) - timedelta(days=days_ago)
    return datetime.combine(d, time(hour, minute), tzinfo=LONDON)


def _taxonomy(firm, actor) -> dict[str, RootCause]:
    nodes = {}
    for parent_name, children in TAXONOMY.items():
        parent = services.root_cause_create(firm=firm, actor=actor, name=parent_name)
        nodes[parent_name] = parent
        for child in children:
            nodes[child] = services.root_cause_create(
                firm=firm, actor=actor, name=child, parent_id=parent.pk
            )
    return nodes


def load(ctx: DemoContext) -> None:
    firm = ctx.firms["north"]
    if Incident.objects.filter(firm=firm, name=OUTAGE_NAME).exists():
        return
    admin, supervisor = ctx.users["admin"], ctx.users["supervisor"]
    handlers = [ctx.users["handler"], ctx.users["handler2"]]
    now = ctx.now
    causes = _taxonomy(firm, admin)
    _taxonomy(ctx.firms["scot"], admin)

    # The outage: a weekday evening three weeks ago, 17:40 to 22:05.
    start, end = _day(now, 21, 17, 40), _day(now, 21, 22, 5)
    outage = services.incident_create(
        firm=firm,
        actor=supervisor,
        now=end + timedelta(hours=1),
        name=OUTAGE_NAME,
        started_at=start,
        ended_at=end,
        description="Matching engine unavailable for 4h25m during the CPI release; orders, "
        "stop-losses and withdrawals were queued. Scenario: exchange physical-access crisis.",
    )
    new = []
    for i in range(OUTAGE_COMPLAINTS):
        received = start + timedelta(minutes=10 + i * 14)
        new.append(
            complaint_services.complaint_register(
                firm=firm,
                actor=handlers[i % 2],
                now=received,
                received_at=received,
                channel=[Channel.CHAT, Channel.EMAIL, Channel.SOCIAL_MEDIA][i % 3],
                activity=Activity.OPERATING_CATP,
                description=OUTAGE_TEXTS[i % len(OUTAGE_TEXTS)],
                complainant=complaint_services.ComplainantData(
                    name=f"Outage client {i + 1:02d}",
                    email=f"outage{i + 1:02d}@mail.example",
                    vulnerable_resilience=i % 6 == 0,
                    vulnerability_consent=i % 6 == 0,
                ),
                alleged_financial_loss=True,
                alleged_material_distress=i % 3 == 0,
                event_date=start.date(),
                awareness_date=start.date(),
            )
        )
    # Existing complaints that mention the outage belong to it too.
    earlier = list(
        Complaint.objects.filter(firm=firm, description__icontains="outage").values_list(
            "pk", flat=True
        )
    )
    services.incident_link(
        incident_id=outage.pk,
        complaint_ids=[c.pk for c in new] + earlier,
        actor=supervisor,
        now=end + timedelta(hours=2),
    )
    # The morning after: the first twelve assigned and acknowledged in bulk; the rest are left
    # for the demo user to act on from the incident page.
    morning = _day(now, 20, 9, 30)
    first = [c.pk for c in new[:12]]
    services.incident_bulk_assign(
        incident_id=outage.pk,
        owner_id=handlers[1].pk,
        complaint_ids=first,
        actor=supervisor,
        now=morning,
    )
    services.incident_bulk_acknowledge(
        incident_id=outage.pk, complaint_ids=first, actor=supervisor, now=morning
    )
    for c in new:
        services.complaint_root_cause_assign(
            complaint_id=c.pk,
            root_cause_id=causes["Matching-engine outage"].pk,
            actor=supervisor,
            now=morning,
        )

    depeg = services.incident_create(
        firm=firm,
        actor=supervisor,
        now=now,
        name=DEPEG_NAME,
        started_at=_day(now, 45, 6, 0),
        ended_at=_day(now, 43, 18, 0),
        description="GBPN traded at 0.94 on secondary markets for two days after a reserve "
        "attestation was delayed; redemptions queued. Scenario: issuer risk.",
    )
    stable = list(
        Complaint.objects.filter(firm=firm, activity=Activity.ISSUING_STABLECOIN).values_list(
            "pk", flat=True
        )[:6]
    )
    if stable:
        services.incident_link(
            incident_id=depeg.pk, complaint_ids=stable, actor=supervisor, now=now
        )

    _redress(ctx, firm, causes, handlers)
    _actions(ctx, firm, causes, outage, depeg, supervisor, handlers)


def _decided_at(complaint: Complaint) -> datetime:
    # Only complaints with a DISP response are picked here, so each has an outcome date.
    assert complaint.outcome_at is not None
    return complaint.outcome_at


def _redress(ctx: DemoContext, firm, causes, handlers) -> None:
    now = ctx.now
    decided = list(
        Complaint.objects.filter(
            firm=firm,
            status__in=[Status.FINAL_RESPONSE_SENT, Status.RESOLVED_SUMMARY],
            outcome__in=Outcome.counted_as_upheld(),
        ).order_by("outcome_at")
    )
    cause_cycle = [
        causes["Withdrawal queue backlog"],
        causes["Reconciliation error"],
        causes["No explanation given"],
        causes["Redemption delays"],
        causes["Unclear fee or spread disclosure"],
    ]
    for i, c in enumerate(decided):
        services.complaint_root_cause_assign(
            complaint_id=c.pk,
            root_cause_id=cause_cycle[i % len(cause_cycle)].pk,
            actor=c.owner,
            now=_decided_at(c),
        )
    if len(decided) < 5:
        return
    # The oldest decision gets the overdue payment, so its acceptance is weeks old.
    b, a, c, d, e = decided[:5]

    def offer(complaint, kind, amount, offered_at, **extra):
        return services.redress_offer(
            complaint_id=complaint.pk,
            actor=complaint.owner,
            now=offered_at,
            data=services.RedressData(kind=kind, amount_gbp=amount, **extra),
        )

    # Paid in full: crypto loss valued with evidence, plus 8% simple interest.
    t = _decided_at(a)
    loss = offer(
        a,
        RedressKind.FINANCIAL_LOSS,
        Decimal("1487.25"),
        t,
        description="Difference between the stuck withdrawal's value and today's price.",
        asset="ETH",
        quantity=Decimal("0.75"),
        valuation_date=london_date(t),
        unit_price_gbp=Decimal("1983.00"),
        price_source="Firm order book mid-price at 16:00 on the valuation date",
    )
    interest = offer(
        a,
        RedressKind.INTEREST,
        Decimal("22.80"),
        t,
        interest_basis=InterestBasis.SIMPLE_8,
        interest_from=london_date(t) - timedelta(days=70),
        interest_to=london_date(t),
    )
    for item in (loss, interest):
        services.redress_accept(item_id=item.pk, actor=a.owner, now=t + timedelta(days=2))
        services.redress_pay(
            item_id=item.pk,
            actor=a.owner,
            now=t + timedelta(days=5),
            payment_reference=f"FPS-{item.pk:06d}",
        )
    # Accepted long ago and never paid: overdue against the 28-day target.
    late = offer(
        b,
        RedressKind.DISTRESS,
        Decimal("150.00"),
        _decided_at(b),
        description="Distress and inconvenience for the delayed withdrawal.",
    )
    services.redress_accept(item_id=late.pk, actor=b.owner, now=_decided_at(b) + timedelta(days=1))
    # Accepted recently: due, not yet overdue.
    recent = offer(c, RedressKind.GOODWILL, Decimal("50.00"), _decided_at(c))
    services.redress_accept(
        item_id=recent.pk, actor=c.owner, now=max(_decided_at(c), now - timedelta(days=3))
    )
    # Declined.
    declined = offer(d, RedressKind.FINANCIAL_LOSS, Decimal("300.00"), _decided_at(d))
    services.redress_decline(
        item_id=declined.pk,
        actor=d.owner,
        now=_decided_at(d),
        reason="Complainant wants the full 12% price drop refunded.",
    )
    # Offered, awaiting the complainant: remedial action.
    offer(
        e,
        RedressKind.REMEDIAL_ACTION,
        None,
        _decided_at(e),
        description="Restore the staking position with the rewards it would have earned.",
    )


def _actions(ctx, firm, causes, outage, depeg, supervisor, handlers) -> None:
    now = ctx.now
    today = london_date(now)
    fixed = services.action_create(
        firm=firm,
        actor=supervisor,
        now=now - timedelta(days=80),
        title="Automate withdrawal queue alerts to the operations rota",
        root_cause_id=causes["Withdrawal queue backlog"].pk,
        owner_id=handlers[0].pk,
        due_on=today - timedelta(days=60),
        review_on=today - timedelta(days=5),
    )
    services.action_set_status(
        action_id=fixed.pk,
        actor=supervisor,
        now=now - timedelta(days=50),
        status=ActionStatus.DONE,
        fix_date=today - timedelta(days=50),
    )
    services.action_set_status(
        action_id=fixed.pk,
        actor=supervisor,
        now=now - timedelta(days=4),
        status=ActionStatus.VERIFIED_EFFECTIVE,
        review_note="Backlog complaints fell after the alerts went live; see the comparison.",
    )
    services.action_create(
        firm=firm,
        actor=supervisor,
        now=now - timedelta(days=20),
        title="Failover for the matching engine during scheduled data releases",
        description="Capacity test before every CPI/NFP release; status page within 10 minutes.",
        root_cause_id=causes["Matching-engine outage"].pk,
        incident_id=outage.pk,
        owner_id=supervisor.pk,
        due_on=today + timedelta(days=30),
        review_on=today + timedelta(days=120),
    )
    progress = services.action_create(
        firm=firm,
        actor=supervisor,
        now=now - timedelta(days=40),
        title="Publish a de-peg redemption playbook and customer notice templates",
        incident_id=depeg.pk,
        root_cause_id=causes["De-peg handling"].pk,
        owner_id=handlers[1].pk,
        due_on=today - timedelta(days=2),
        review_on=today + timedelta(days=60),
    )
    services.action_set_status(
        action_id=progress.pk, actor=supervisor, now=now, status=ActionStatus.IN_PROGRESS
    )
