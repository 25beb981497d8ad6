"""factory_boy factories. Complaints are made through the register service so their deadlines
are real; everything else is a plain row."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import cast
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from complaints.choices import Activity, Channel, Role
from complaints.models import Complainant, Firm, FirmActivity, Membership
from complaints.services import ComplainantData, complaint_register
from letters.models import FosLeaflet

LONDON = ZoneInfo("Europe/London")


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF saying ``text`` (readable by pypdf), built by hand: fast enough for
    every test firm's leaflet."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEST_LEAFLET_PDF = tiny_pdf("Test copy of the FOS leaflet")


def give_leaflet(firm: Firm, data: bytes = TEST_LEAFLET_PDF) -> FosLeaflet:
    """A leaflet on file for ``firm`` (DISP 1.6.2R(1)(d)), as a plain row."""
    latest = FosLeaflet.objects.current_for(firm.pk)
    leaflet = FosLeaflet(
        firm=firm,
        version=latest.version + 1 if latest else 1,
        label="Test edition",
        file_name="leaflet.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        checked_on=date(2026, 1, 5),
        uploaded_at=london(2026, 1, 5, 9),
    )
    leaflet.file.save("leaflet.pdf", ContentFile(data), save=False)
    leaflet.save()
    return leaflet


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

    @factory.post_generation
    def fos_leaflet(self, create, extracted, **kwargs):
        """Test firms have the FOS leaflet on file, so letters saying it is enclosed can go;
        ``fos_leaflet=False`` for a firm without one (DISP 1.6.2R(1)(d))."""
        if create and extracted is not False:
            give_leaflet(cast(Firm, self))


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
