"""A complainant's representatives (DISP 2.7.2R: a complaint may be brought by a person
authorised by the complainant or by law): recording one with the evidence of its authority,
when letters may go to it, renewing and ending that authority, and the page and API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from common.errors import PermissionDeniedError, ValidationFailed
from complaints.models import Representative
from complaints.services import (
    Authority,
    RepresentativeData,
    representative_add,
    representative_end,
    representative_record_authority,
)
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 8, 10)
LOA = Authority(
    document="Letter of authority signed by Jo Bloggs",
    reference="EV-2026-0042",
    received_on=date(2026, 4, 7),
    expires_on=date(2026, 10, 7),
)
CMC = RepresentativeData(
    kind="claims_manager",
    name="ClaimRight Ltd",
    email="cases@claimright.example",
    address="2 Claim Street\nLeeds\nLS2 2BB",
    regulator_reference="FRN 830000",
    copy_to_complainant=True,
    authority=LOA,
)


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=london(2026, 4, 6, 10), actor=handler)


def _add(complaint, actor, data=CMC, now=NOW) -> Representative:
    return representative_add(complaint_id=complaint.pk, actor=actor, now=now, data=data)


def test_disp_2_7_2r_representative_with_checked_unexpired_authority_receives_letters(
    complaint, handler
):
    rep = _add(complaint, handler)
    assert rep.authority_checked_by == handler and rep.authority_checked_on == date(2026, 4, 8)
    assert rep.is_professional
    assert rep.authority_problem(date(2026, 4, 8)) is None
    assert Representative.objects.correspondent_for(complaint.complainant_id) == rep
    assert rep.history.first().history_change_reason == "representative.add"


@pytest.mark.parametrize(
    ("authority", "on", "field"),
    [
        (Authority(), date(2026, 4, 8), "authority_received_on"),
        (LOA, date(2026, 10, 8), "authority_expires_on"),
    ],
)
def test_disp_2_7_2r_no_letters_to_a_representative_without_valid_authority(
    complaint, handler, authority, on, field
):
    rep = _add(complaint, handler, RepresentativeData(**{**CMC.__dict__, "authority": authority}))
    problem = rep.authority_problem(on)
    assert problem is not None and problem[0] == field


def test_disp_2_7_2r_the_day_the_authority_expires_it_is_still_valid(complaint, handler):
    rep = _add(complaint, handler)
    assert rep.authority_problem(date(2026, 10, 7)) is None


def test_professional_representative_needs_its_fca_or_sra_reference(complaint, handler):
    with pytest.raises(ValidationFailed) as exc:
        _add(complaint, handler, RepresentativeData(**{**CMC.__dict__, "regulator_reference": ""}))
    assert "regulator_reference" in exc.value.fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "cousin"}, "kind"),
        ({"name": " "}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "", "address": ""}, "address"),
        (
            {"authority": Authority(document="LoA", received_on=date(2026, 4, 9))},
            "authority_received_on",
        ),
        ({"authority": Authority(received_on=date(2026, 4, 7))}, "authority_document"),
        (
            {
                "authority": Authority(
                    document="LoA", received_on=date(2026, 4, 7), expires_on=date(2026, 4, 1)
                )
            },
            "authority_expires_on",
        ),
    ],
)
def test_bad_representative_input_names_the_field(complaint, handler, changes, field):
    with pytest.raises(ValidationFailed) as exc:
        _add(complaint, handler, RepresentativeData(**{**CMC.__dict__, **changes}))
    assert field in exc.value.fields
    assert not Representative.objects.exists()


def test_one_representative_at_a_time_receives_the_letters(complaint, handler):
    _add(complaint, handler)
    with pytest.raises(ValidationFailed) as exc:
        _add(
            complaint,
            handler,
            RepresentativeData(
                kind="solicitor", name="Law LLP", email="a@law.example", regulator_reference="SRA 1"
            ),
        )
    assert "receives_letters" in exc.value.fields
    helper = RepresentativeData(kind="trusted_person", name="Sam Bloggs", receives_letters=False)
    assert _add(complaint, handler, helper).is_professional is False


def test_renewed_authority_is_recorded_as_checked_by_whoever_records_it(
    complaint, handler, supervisor
):
    rep = _add(complaint, handler)
    renewed = Authority(document="Renewed LoA", reference="EV-2", received_on=date(2026, 4, 8))
    later = london(2026, 11, 2, 9)
    rep = representative_record_authority(
        complaint_id=complaint.pk,
        representative_id=rep.pk,
        actor=supervisor,
        now=later,
        authority=renewed,
    )
    assert rep.authority_checked_by == supervisor and rep.authority_expires_on is None
    assert rep.authority_problem(date(2026, 11, 2)) is None


def test_a_representative_that_stopped_acting_gets_no_more_letters(complaint, handler):
    rep = _add(complaint, handler)
    rep = representative_end(
        complaint_id=complaint.pk,
        representative_id=rep.pk,
        actor=handler,
        now=NOW,
        reason="Client withdrew authority",
    )
    assert rep.authority_problem(date(2026, 4, 8))[0] == "ended_on"
    assert Representative.objects.correspondent_for(complaint.complainant_id) is None
    with pytest.raises(ValidationFailed):
        representative_end(
            complaint_id=complaint.pk,
            representative_id=rep.pk,
            actor=handler,
            now=NOW,
            reason="again",
        )


def test_only_a_handler_of_the_firm_records_a_representative(complaint, firm):
    viewer = MembershipFactory(firm=firm, role="reporting_officer").user
    with pytest.raises(PermissionDeniedError):
        _add(complaint, viewer)


def test_representative_page_records_one_and_the_complaint_page_shows_letters_go_to_them(
    client, complaint, handler
):
    client.force_login(handler)
    url = reverse("complaints:representative_add", args=[complaint.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"kind": "claims_manager", "name": "ClaimRight Ltd", "email": "x@y.example"}
    )
    assert bad.status_code == 400 and "FCA reference" in bad.content.decode()
    posted = client.post(
        url,
        {
            "kind": "claims_manager",
            "name": "ClaimRight Ltd",
            "email": "cases@claimright.example",
            "regulator_reference": "FRN 830000",
            "receives_letters": "on",
            "authority_document": "Letter of authority",
            "authority_received_on": "2026-04-07",
        },
    )
    assert posted.status_code == 302
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "ClaimRight Ltd" in page and "Letters go to them" in page


def test_representatives_api_lists_records_and_ends(complaint, handler):
    api = client_for(handler)
    url = reverse("api-representatives", args=[complaint.pk])
    bad = api.post(
        url, {"kind": "solicitor", "name": "Law LLP", "email": "a@law.example"}, format="json"
    )
    assert bad.status_code == 400 and "regulator_reference" in bad.json()["fields"]
    created = api.post(
        url,
        {
            "kind": "solicitor",
            "name": "Law LLP",
            "email": "a@law.example",
            "regulator_reference": "SRA 12345",
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["is_professional"] is True and body["letters_go_to_them"] is False
    assert body["authority_problem"]["field"] == "authority_received_on"
    rep_id = body["id"]
    authority = api.post(
        reverse("api-representative-authority", args=[complaint.pk, rep_id]),
        {"authority_document": "Letter of authority", "authority_received_on": "2026-01-02"},
        format="json",
    )
    assert authority.status_code == 200 and authority.json()["letters_go_to_them"] is True
    ended = api.post(
        reverse("api-representative-end", args=[complaint.pk, rep_id]),
        {"reason": "Instructions ended"},
        format="json",
    )
    assert ended.status_code == 200 and ended.json()["ended_on"]
    assert len(api.get(url).json()) == 1
    assert (
        api.post(
            reverse("api-representative-end", args=[complaint.pk, 999999]),
            {"reason": "x"},
            format="json",
        ).status_code
        == 404
    )


def test_disp_1_9_retention_anonymises_the_representatives_with_the_complainant(firm, handler):
    from notifications.retention import retention_run
    from tests.notifications.test_retention import AFTER, RECEIVED, _closed

    c = _closed(firm, handler, received=RECEIVED)
    helper = RepresentativeData(kind="trusted_person", name="Sam Bloggs", address="1 Lane")
    rep = _add(c, handler, helper, now=RECEIVED.replace(hour=12))
    retention_run(now=AFTER)
    rep.refresh_from_db()
    assert (rep.name, rep.email, rep.address) == ("Anonymised representative", "", "")
    assert {h.name for h in rep.history.all()} == {"Anonymised representative"}
