"""Demo letters. The foundation demo already sends most letters (its lifecycle calls generate
them); this adds what random data may miss, so every letter type and variant exists as a sent
letter: a PSD/EMD holding response, each final response variant, consent to waive, a
time-barred rejection, a partial forward, an offshore activity (FOS not available). It also
gives Northgate its own acknowledgement template (version 2) and four-eyes approval for
rejections, with one letter awaiting approval."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from complaints import services
from complaints.choices import Activity, ForwardPart, Outcome, Regime, RepresentativeKind
from complaints.models import Complaint
from demo import dataprotection
from demo.complaints import DemoContext
from letters import defaults
from letters import services as letters
from letters.choices import LetterStatus, LetterType
from letters.models import Letter, LetterTemplate

REASONS = (
    "Our records show that the withdrawal was held for a routine source-of-funds review, as our "
    "terms allow, and was released as soon as the review ended."
)
REDRESS = "We will pay £150 into your account within 14 days for the inconvenience caused."


def _register(ctx, firm, *, days_ago: float, name: str, activity=Activity.OPERATING_CATP, **kw):
    received = (ctx.now - timedelta(days=days_ago)).replace(hour=10, minute=5, microsecond=0)
    owner = ctx.users["handler"] if firm.reference_prefix == "NDX" else ctx.users["scot.handler"]
    if kw.get("event_date") is None:
        # CP26/4 para 3.24: the handler says when the act happened, or that it is not known
        # (the firm's default wording then offers the Financial Ombudsman Service).
        kw.setdefault("event_date_unknown", True)
    return (
        services.complaint_register(
            firm=firm,
            actor=owner,
            now=received,
            received_at=received,
            channel="email",
            activity=activity,
            description=kw.pop("description", "My withdrawal was delayed and I lost money."),
            complainant=services.ComplainantData(
                name=name,
                email=name.lower().replace(" ", ".") + "@mail.example",
                address="14 Albion Street\nLeeds\nLS1 6HX",
            ),
            alleged_financial_loss=True,
            owner_id=owner.pk,
            **kw,
        ),
        owner,
        received,
    )


def _at(received: datetime, now: datetime, days: float) -> datetime:
    return min(received + timedelta(days=days), now)


def _register_and_investigate(ctx, firm, **kw):
    """Registered, acknowledged and under investigation: ready for a response letter."""
    c, owner, received = _register(ctx, firm, **kw)
    services.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=_at(received, ctx.now, 0.1))
    services.complaint_start_investigation(
        complaint_id=c.pk, actor=owner, now=_at(received, ctx.now, 0.2)
    )
    return c, owner, received


def _draft_rejection(ctx, *, days_ago: float, name: str, hours_ago: float):
    """An investigated complaint with a drafted final response rejecting it (four eyes)."""
    c, owner, _received = _register_and_investigate(
        ctx, ctx.firms["north"], days_ago=days_ago, name=name
    )
    draft = letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=owner,
        now=ctx.now - timedelta(hours=hours_ago),
        outcome=Outcome.NOT_UPHELD,
        reasons=REASONS,
    )
    return draft, owner


def _welsh(ctx: DemoContext, north) -> None:
    """Northgate offers letters in Welsh: a complainant who asked for Welsh, in large print,
    gets a Welsh acknowledgement and a Welsh final response (DISP 1 Annex 3R in English)."""
    services.firm_set_offers_welsh(
        firm_id=north.pk,
        actor=ctx.users["admin"],
        now=ctx.now - timedelta(days=60),
        offers_welsh=True,
    )
    c, owner, received = _register(ctx, north, days_ago=45, name="Rhian Evans")
    services.complainant_set_adjustments(
        complaint_id=c.pk,
        actor=owner,
        now=received,
        adjustments=services.Adjustments(
            preferred_channel="post",
            contact_times="Weekday mornings, before 11:00",
            large_print=True,
            letter_language="cy",
        ),
    )
    services.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=_at(received, ctx.now, 0.1))
    services.complaint_start_investigation(
        complaint_id=c.pk, actor=owner, now=_at(received, ctx.now, 0.2)
    )
    services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=owner,
        now=_at(received, ctx.now, 30),
        outcome=Outcome.NOT_UPHELD,
        summary="Roedd y cais i dynnu arian yn destun adolygiad arferol o ffynhonnell yr arian, "
        "fel y mae ein telerau yn ei ganiatáu.",
    )


def load(ctx: DemoContext) -> None:
    north = ctx.firms["north"]
    if LetterTemplate.objects.filter(firm=north).exists():
        return  # loaded before: the command is idempotent
    now = ctx.now
    admin, supervisor = ctx.users["admin"], ctx.users["supervisor"]

    # Northgate's own acknowledgement wording (version 2 keeps the standard DISP text).
    subject, body = defaults.default_template(LetterType.ACKNOWLEDGEMENT)
    letters.letter_template_save(
        firm_id=north.pk,
        letter_type=LetterType.ACKNOWLEDGEMENT,
        actor=admin,
        now=now - timedelta(days=400),
        subject=subject,
        body=body,
        note="Adopted the standard wording",
    )
    letters.letter_template_save(
        firm_id=north.pk,
        letter_type=LetterType.ACKNOWLEDGEMENT,
        actor=admin,
        now=now - timedelta(days=2),
        subject=subject,
        body=body.replace(
            "Thank you for contacting us.",
            "Thank you for contacting Northgate. We are sorry you have had reason to complain.",
        ),
        note="Warmer opening line",
    )

    # PSD/EMD holding response (DISP 1.6.2AR(2)): within 15 business days of receipt.
    c, owner, received = _register_and_investigate(
        ctx,
        north,
        days_ago=9,
        name="Priya Nair",
        regime=Regime.PSD_EMD,
        description="A card top-up of £500 left my bank but never reached my fiat wallet.",
    )
    services.complaint_send_holding_response(
        complaint_id=c.pk,
        actor=owner,
        now=_at(received, now, 6),
        reasons="Our card acquirer has not yet returned the payment trace we asked for.",
    )

    # Each final response variant, and consent to waive the time limits (no six-month limit).
    variants = [
        ("Tom Ellis", Outcome.UPHELD, False, "The delay was our error.", REDRESS),
        ("Nadia Khan", Outcome.PARTIALLY_UPHELD, False, REASONS, REDRESS),
        ("Owen Price", Outcome.GOODWILL, False, "", REDRESS),
        ("Beth Lowe", Outcome.NOT_UPHELD, False, REASONS, ""),
        ("Carl Meyer", Outcome.NOT_UPHELD, True, REASONS, ""),
    ]
    for i, (name, outcome, consent, reasons, redress) in enumerate(variants):
        c, owner, received = _register_and_investigate(ctx, north, days_ago=40 + i, name=name)
        services.complaint_send_final_response(
            complaint_id=c.pk,
            actor=owner,
            now=_at(received, now, 30),
            outcome=outcome,
            consents_to_waive=consent,
            summary=reasons,
            redress_summary=redress,
        )

    # Activity not carried on from a UK establishment: "the FOS is not available".
    c, owner, received = _register_and_investigate(
        ctx,
        north,
        days_ago=35,
        name="Lena Fischer",
        activity=Activity.LENDING_BORROWING,
        description="The interest on my crypto loan was charged at the wrong rate.",
    )
    services.complaint_send_final_response(
        complaint_id=c.pk,
        actor=owner,
        now=_at(received, now, 20),
        outcome=Outcome.NOT_UPHELD,
        summary="The rate charged is the one in your loan agreement, clause 4.2.",
    )

    # Time-barred (DISP 1.8): event more than six years before the complaint.
    c, owner, received = _register(
        ctx,
        north,
        days_ago=20,
        name="Gordon Bell",
        event_date=(now - timedelta(days=365 * 7)).date(),
        awareness_date=(now - timedelta(days=365 * 7)).date(),
    )
    services.complaint_reject_time_barred(complaint_id=c.pk, actor=owner, now=_at(received, now, 2))

    # Time-barred and open to the Ombudsman: a 2021 fee on the firm's e-money card account, a
    # service outside the new cryptoasset activities (DISP 2.8.2R(2); Annex 3R variant (2)).
    c, owner, received = _register(
        ctx,
        north,
        days_ago=18,
        name="Agnes Moore",
        activity=Activity.OTHER,
        description="A foreign-exchange fee on my e-money card in 2021 was never explained.",
        event_date=(now - timedelta(days=365 * 7 + 30)).date(),
        awareness_date=(now - timedelta(days=365 * 7)).date(),
    )
    services.complaint_reject_time_barred(complaint_id=c.pk, actor=owner, now=_at(received, now, 2))

    # Acts before the regime began (CP26/4 para 3.24), complained of after it: the firm answers
    # under its own procedure and the letter says plainly the Ombudsman cannot consider it.
    commencement = settings.CRYPTO_COMMENCEMENT_DATE
    if (now.date() - commencement).days > 60:
        c, owner, received = _register_and_investigate(
            ctx,
            north,
            days_ago=(now.date() - commencement).days - 9,
            name="Walter Grant",
            description="My withdrawal in the week before the new rules was held for 3 days.",
            event_date=commencement - timedelta(days=6),
            awareness_date=commencement - timedelta(days=6),
        )
        services.complaint_send_final_response(
            complaint_id=c.pk,
            actor=owner,
            now=_at(received, now, 21),
            outcome=Outcome.NOT_UPHELD,
            summary=REASONS,
        )

    _welsh(ctx, north)

    # Part of a complaint forwarded (DISP 1.7), drafted and sent from the workspace.
    c, owner, received = _register(ctx, north, days_ago=12, name="Ruth Adams")
    notice = letters.letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FORWARDING_NOTICE,
        actor=owner,
        now=_at(received, now, 1),
        other_firm_name="Meridian Crypto Brokers Ltd",
        other_firm_contact="complaints@meridian.example\n2 Dock Street\nLeith EH6 6AA",
        reasons="Meridian executed the disputed trade as the introducing broker.",
        forward_part=ForwardPart.PART,
    )
    services.complaint_send_letter(letter_id=notice.pk, actor=owner, now=_at(received, now, 1))

    # Four-eyes approval for rejections at Northgate, with one letter awaiting approval.
    letters.approval_policy_set(
        firm_id=north.pk,
        letter_type=LetterType.FINAL_REJECTED,
        required=True,
        actor=admin,
        now=now - timedelta(days=1),
    )
    draft, owner = _draft_rejection(ctx, days_ago=25, name="Ian Shaw", hours_ago=3)
    letters.letter_submit_for_approval(
        letter_id=draft.pk, actor=owner, now=now - timedelta(hours=2)
    )
    # And one rejected complaint approved by the supervisor and sent.
    draft, owner = _draft_rejection(ctx, days_ago=30, name="Maya Cole", hours_ago=5)
    letters.letter_approve(letter_id=draft.pk, actor=supervisor, now=now - timedelta(hours=4))
    services.complaint_send_letter(letter_id=draft.pk, actor=owner, now=now - timedelta(hours=4))

    # A claims management company acts for the complainant with a checked letter of authority
    # (DISP 2.7.2R): the acknowledgement goes to the company, with the complainant's copy.
    c, owner, received = _register(ctx, north, days_ago=4, name="Tom Hughes")
    services.representative_add(
        complaint_id=c.pk,
        actor=owner,
        now=_at(received, now, 0.05),
        data=services.RepresentativeData(
            kind=RepresentativeKind.CLAIMS_MANAGER,
            name="ClaimRight Ltd",
            address="2 Claim Street\nLeeds\nLS2 2BB",
            email="cases@claimright.example",
            regulator_reference="FRN 830000",
            copy_to_complainant=True,
            authority=services.Authority(
                document="Letter of authority signed by Tom Hughes",
                reference="LOA-TH-0001",
                received_on=received.date(),
            ),
        ),
    )
    services.complaint_acknowledge(complaint_id=c.pk, actor=owner, now=_at(received, now, 0.1))

    # The data-protection letters (DPA 2018 s.164A), sent by their own services once the demo's
    # clock is late enough for s.164A.
    expected = set(LetterType.values)
    if not dataprotection.load(ctx, _register):
        expected -= set(LetterType.data_protection_types())

    ctx.complaints = list(Complaint.objects.filter(firm__in=ctx.firms.values()))
    missing = expected - set(
        Letter.objects.filter(status=LetterStatus.SENT).values_list("letter_type", flat=True)
    )
    if missing:
        raise RuntimeError(f"Demo letters missing: {sorted(missing)}")
