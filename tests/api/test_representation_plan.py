"""The complaints API renders its read bodies by a plan built once per serializer class
(common.representation.Planned, issue 18): the same JSON as DRF's field-by-field walk."""

from types import SimpleNamespace

import pytest
from rest_framework import serializers

from common.representation import Planned
from complaints.choices import Activity, Channel, Role
from complaints.serializers import ForwardedPartSerializer
from complaints.services import complaint_register
from complaints.services.intake import ComplainantData
from tests.api.conftest import NOW, client_for, member
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db


def _drf_walk(monkeypatch):
    """Every planned serializer rendered by DRF's own ``Serializer.to_representation`` (and
    ``Planned.render`` by the serializer's ``data``)."""
    monkeypatch.setattr(
        Planned,
        "render",
        classmethod(lambda cls, instance, context=None: cls(instance, context=context or {}).data),
    )
    monkeypatch.setattr(
        Planned,
        "represent",
        classmethod(
            lambda cls, instance, context, serializer, zone=False: (
                serializers.Serializer.to_representation(serializer, instance)
            )
        ),
    )


def _complaints(firm, handler):
    vulnerable = ComplainantData(
        name="Sam Doe",
        vulnerability_support_needs=True,
        vulnerable_health=True,
        vulnerability_consent=True,
        vulnerability_note="Hospital stay.",
        vulnerability_identified_by="disclosed",
    )
    make_complaint(
        firm=firm,
        received_at=london(2026, 3, 30, 9),
        actor=handler,
        owner_id=handler.pk,
        external_reference="CRM-7",
    )
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    complaint_register(
        firm=firm,
        actor=handler,
        now=NOW,
        received_at=london(2026, 4, 1, 12),
        channel=Channel.EMAIL,
        activity=Activity.OPERATING_CATP,
        description="Locked out.",
        event_date_unknown=True,
        complainant=vulnerable,
    )


def test_the_plan_renders_what_drf_renders(firm, handler, monkeypatch):
    """List and detail, for a reader who sees FG21/1 detail and one who does not, byte for
    byte as DRF's walk renders them (owner and no owner, a vulnerable complainant)."""
    _complaints(firm, handler)
    readers = [client_for(handler), client_for(member(firm, Role.REPORTING_OFFICER))]
    ids = [row["id"] for row in readers[0].get("/api/complaints/").json()["results"]]
    urls = ["/api/complaints/?page_size=20", "/api/complaints/?page_size=2&page=2"]
    urls += [f"/api/complaints/{pk}/" for pk in ids]
    planned = [reader.get(u) for reader in readers for u in urls]
    assert {r.status_code for r in planned} == {200}
    text = b"".join(r.content for r in planned)
    assert b'"vulnerability_note":"Hospital stay."' in text
    assert b'"vulnerability_note":null' in text
    assert b'"owner":null' in text and b'"owner":{"id"' in text
    _drf_walk(monkeypatch)
    walked = [reader.get(u) for reader in readers for u in urls]
    assert [r.content for r in walked] == [r.content for r in planned]


def test_a_nested_planned_serializer_renders_what_drf_renders(handler, monkeypatch):
    """A forwarded part (DISP 1.7) with its sender, and one whose sender is gone (null)."""
    part = {
        "to_firm": "Meridian",
        "to_contact": "complaints@meridian.test",
        "reason": "The custody part.",
        "sent_at": NOW,
        "sent_by": handler,
        "six_month_wording_included": True,
        "fos_six_month_deadline": None,
    }
    parts = [SimpleNamespace(**part), SimpleNamespace(**{**part, "sent_by": None})]
    planned = [ForwardedPartSerializer(p).data for p in parts]
    assert planned[0]["sent_by"]["username"] == handler.username
    assert planned[1]["sent_by"] is None
    _drf_walk(monkeypatch)
    assert [ForwardedPartSerializer(p).data for p in parts] == planned


def test_an_attribute_that_is_a_method_or_a_missing_relation_renders_as_drf_renders(
    monkeypatch,
):
    """The plan reads a one-attribute field by ``getattr``; a callable (called, as DRF calls
    it), a relation that does not exist (None) and a missing key go DRF's way."""
    from django.core.exceptions import ObjectDoesNotExist

    class Shape(Planned, serializers.Serializer):
        size = serializers.IntegerField()
        name = serializers.CharField()
        owner = serializers.CharField(allow_null=True)
        note = serializers.CharField(required=False)

    class Row:
        size = 3

        def name(self):
            return "called"

        @property
        def owner(self):
            raise ObjectDoesNotExist

    rows = [Row(), {"size": 4, "name": "keyed", "owner": "Jo"}]
    planned = [Shape(row).data for row in rows]
    assert planned == [
        {"size": 3, "name": "called", "owner": None},
        {"size": 4, "name": "keyed", "owner": "Jo"},
    ]
    _drf_walk(monkeypatch)
    assert [Shape(row).data for row in rows] == planned


def test_date_times_render_as_drf_renders_them(monkeypatch, settings):
    """The plan writes a plain DateTimeField's aware value in the zone it looked up once per
    render (UTC as ``Z``, British Summer Time as +01:00); a naive value, a string, a field with
    its own format or time zone, a value before the zone's range (DRF's refusal), and settings
    other than USE_TZ with ISO 8601 go DRF's way."""
    from datetime import UTC, datetime, timedelta, timezone

    from django.utils import timezone as django_timezone
    from rest_framework.settings import api_settings

    class Stamps(Planned, serializers.Serializer):
        plain = serializers.DateTimeField()
        formatted = serializers.DateTimeField(format="%d/%m/%Y %H:%M")
        in_utc = serializers.DateTimeField(default_timezone=UTC)

    values = [
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        datetime(2026, 7, 5, 9, 30, 15, 120, tzinfo=UTC),
        datetime(2026, 7, 5, 9, 30),
        datetime(2026, 7, 5, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
        "2026-07-05 as given",
    ]
    rows = [{"plain": v, "formatted": v, "in_utc": v} for v in values]
    too_early = {"plain": datetime(1, 1, 1, tzinfo=UTC), "formatted": None, "in_utc": None}

    def rendered():
        out = [Stamps(row).data for row in rows]
        try:
            out.append(Stamps(too_early).data)
        except serializers.ValidationError as refusal:
            out.append(refusal.detail)
        return out

    def same_as_drf():
        mine = rendered()
        with monkeypatch.context() as walk:
            _drf_walk(walk)
            assert rendered() == mine
        return mine

    planned = same_as_drf()
    assert planned[0]["plain"] == "2026-01-05T09:30:00Z"
    assert planned[1]["plain"] == "2026-07-05T10:30:15.000120+01:00"
    assert planned[1]["in_utc"] == "2026-07-05T09:30:15.000120Z"
    assert planned[1]["formatted"] == "05/07/2026 10:30"
    assert planned[2]["plain"] == "2026-07-05T09:30:00+01:00"
    assert planned[3]["plain"] == "2026-07-05T15:30:00+01:00"
    assert planned[4]["plain"] == "2026-07-05 as given"
    assert planned[5] == ["Datetime value out of range."]
    asked = []
    zone = django_timezone.get_current_timezone
    monkeypatch.setattr(django_timezone, "get_current_timezone", lambda: asked.append(1) or zone())
    assert Stamps(rows[0]).data == planned[0]
    assert len(asked) == 2  # the render's, and the formatted field's own (DRF's)
    settings.USE_TZ = False
    assert same_as_drf()[1]["plain"] == "2026-07-05T09:30:15.000120"
    settings.USE_TZ = True
    monkeypatch.setattr(api_settings, "DATETIME_FORMAT", "%Y-%m-%d %H:%M")
    assert same_as_drf()[1]["plain"] == "2026-07-05 10:30"


def test_render_refuses_a_serializer_with_methods_of_its_own_every_time():
    """``Planned.render`` builds no serializer to call a SerializerMethodField on: it refuses
    such a class (checked once per class that passes, never cached for one that fails)."""

    class Named(Planned, serializers.Serializer):
        name = serializers.SerializerMethodField()

        def get_name(self, row):
            return "x"

    class Plain(Planned, serializers.Serializer):
        name = serializers.CharField()

    for _ in range(2):
        with pytest.raises(AssertionError):
            Named.render({"name": "a"})
        assert Plain.render({"name": "a"}) == {"name": "a"}


def test_booleans_render_as_drf_renders_them(monkeypatch):
    """A bool is written as itself; a word, a number, a nullable field's "null" and a field
    with words of its own go DRF's way."""

    class Strict(serializers.BooleanField):
        TRUE_VALUES = {"on"}
        FALSE_VALUES = {"off"}

    class Flags(Planned, serializers.Serializer):
        flag = serializers.BooleanField(allow_null=True)
        strict = Strict()

    rows = [
        {"flag": True, "strict": "on"},
        {"flag": False, "strict": "off"},
        {"flag": "yes", "strict": True},
        {"flag": 0, "strict": "maybe"},
        {"flag": "null", "strict": None},
    ]
    planned = [Flags(row).data for row in rows]
    assert [row["flag"] for row in planned] == [True, False, True, False, None]
    assert [row["strict"] for row in planned] == [True, False, True, True, None]
    _drf_walk(monkeypatch)
    assert [Flags(row).data for row in rows] == planned
