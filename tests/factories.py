"""factory_boy factories. Complaints are made through the register service so their deadlines
are real; everything else is a plain row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from complaints.choices import Activity, Channel, Role
from complaints.models import Complainant, Firm, FirmActivity, Membership
from complaints.services import ComplainantData, complaint_register

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> datetime:
    """An aware Europe/London datetime: london(2026, 4, 2, 16) is Thu 2 Apr 2026 16:00."""
    return datetime(*args, tzinfo=LONDON)


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Firm {n} Ltd")
    frn = factory.Sequence(lambda n: f"{900000 + n}")
    reference_prefix = factory.Sequence(
        lambda n: "F" + "".join(chr(65 + int(d)) for d in f"{n:03d}")
    )
    nation = "england"

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if not create:
            return
        for activity in (
            extracted if extracted is not None else [Activity.OPERATING_CATP, Activity.SAFEGUARDING]
        ):
            FirmActivity.objects.create(firm=self, activity=activity, from_uk_establishment=True)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Handler"
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    firm = factory.SubFactory(FirmFactory)
    role = Role.HANDLER


class ComplainantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complainant

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Complainant {n}")
    email = factory.LazyAttribute(lambda c: f"c{c.name.split()[-1]}@example.test")


def make_complaint(
    *,
    firm: Firm,
    received_at: datetime,
    actor=None,
    now: datetime | None = None,
    complainant: Complainant | None = None,
    **kwargs,
):
    """Register a complaint through the service (the only write path)."""
    params = {
        "channel": Channel.EMAIL,
        "activity": Activity.OPERATING_CATP,
        "description": "My withdrawal has been pending for ten days.",
        "alleged_financial_loss": True,
    }
    params.update(kwargs)
    # A final or holding response needs the event date or a record that it is unknown
    # (CP26/4 para 3.24): complaints made without a date say it is unknown (the firm's default
    # wording then offers the Financial Ombudsman Service, as before).
    if params.get("event_date") is None:
        params.setdefault("event_date_unknown", True)
    if complainant is not None:
        params["complainant_id"] = complainant.pk
    elif "complainant_id" not in params:
        params["complainant"] = ComplainantData(name="Jo Bloggs", email="jo@example.test")
    return complaint_register(
        firm=firm, actor=actor, now=now or received_at, received_at=received_at, **params
    )
