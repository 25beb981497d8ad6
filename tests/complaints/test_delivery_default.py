"""'Email' is never the preselected delivery for a complainant with no e-mail address (issue 16):
every form offering a delivery (the complaint's action forms, the data-protection panel, the
letter's send form, an incident's bulk acknowledgement) preselects post for them."""

import re

import pytest

from complaints.services.dataprotection import dpa_complaint_record
from letters.content import default_delivery
from letters.models import Letter
from remediation.services.incidents import incident_bulk_acknowledge, incident_create
from tests.factories import ComplainantFactory, london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 7, 2, 10)


def _selected_methods(page: str) -> list[str]:
    """The preselected option of every "method" select on the page."""
    found = []
    for select in re.findall(r'<select name="method"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select)
        found.append(chosen[0] if chosen else "(none)")
    return found


@pytest.mark.parametrize("preferred", ["", "email"])
def test_no_email_address_means_post_is_preselected_everywhere(
    client, firm, handler, supervisor, preferred
):
    person = ComplainantFactory(firm=firm, email="", preferred_channel=preferred)
    assert person.letter_channel == "post"
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, complainant=person)
    dpa_complaint_record(
        complaint_id=complaint.pk, actor=handler, now=RECEIVED, summary="Shared my address."
    )
    client.force_login(handler)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    methods = _selected_methods(page)
    # The acknowledgement, SRC, forwarding ... and the data-protection acknowledgement.
    assert len(methods) >= 3
    assert set(methods) == {"post"}, methods

    incident = incident_create(
        firm=firm, actor=supervisor, now=RECEIVED, name="Outage", started_at=RECEIVED
    )
    from remediation.services.incidents import incident_link

    incident_link(
        incident_id=incident.pk, complaint_ids=[complaint.pk], actor=supervisor, now=RECEIVED
    )
    run = incident_bulk_acknowledge(incident_id=incident.pk, actor=handler, now=RECEIVED)
    assert [r["ok"] for r in run.results] == [True], run.results
    letter = Letter.objects.get(complaint=complaint)
    assert default_delivery(letter) == "post"
    assert letter.delivery != "email"


def test_with_an_address_email_stays_the_default(client, firm, handler):
    person = ComplainantFactory(firm=firm)
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, complainant=person)
    client.force_login(handler)
    assert set(_selected_methods(client.get(f"/complaints/{complaint.pk}/").content.decode())) == {
        "email"
    }
