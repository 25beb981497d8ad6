"""A complainant's page: every complaint (status, deadline), letter and redress item of theirs,
linked from the queue and the complaint page; another firm's complainant is a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from complaints import services
from complaints.choices import Role
from remediation.services import RedressData, redress_offer
from tests.factories import ComplainantFactory, FirmFactory, MembershipFactory, london
from tests.factories import make_complaint as _make

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _record(firm, handler, person, n: int) -> None:
    for i in range(n):
        complaint = _make(
            firm=firm, received_at=london(2026, 5, 4 + i, 10), complainant=person, actor=handler
        )
        services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
        redress_offer(
            complaint_id=complaint.pk,
            actor=handler,
            now=NOW,
            data=RedressData(kind="goodwill", amount_gbp=Decimal("25.00"), description="Sorry"),
        )


def test_complainant_page_lists_every_complaint_letter_and_redress_item(client, firm, handler):
    person = ComplainantFactory(firm=firm, name="Ada Lovelace")
    _record(firm, handler, person, 2)
    someone_else = _make(firm=firm, received_at=london(2026, 5, 4, 10), reference="NOT-ADA")
    client.force_login(handler)
    response = client.get(f"/complaints/complainants/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["rows"]) == 2
    assert "NOT-ADA" not in html
    assert len(response.context["letters"]) == 2  # the acknowledgements
    assert "Acknowledgement" in html
    assert "Redress" in html and html.count("Goodwill") == 2
    assert "£50.00" in html  # offered, awaiting an answer: both items
    # Linked from the complaint page and the queue.
    page = client.get(f"/complaints/{someone_else.pk}/").content.decode()
    assert f"/complaints/complainants/{someone_else.complainant_id}/" in page
    queue = client.get("/?tab=team").content.decode()
    assert f'href="/complaints/complainants/{person.pk}/"' in queue

    stranger = MembershipFactory(firm=FirmFactory(), role=Role.SUPERVISOR).user
    client.force_login(stranger)
    assert client.get(f"/complaints/complainants/{person.pk}/").status_code == 404


@pytest.mark.parametrize("complaints", [1, 3])
def test_complainant_page_query_count_is_constant(
    client, firm, handler, complaints, django_assert_max_num_queries
):
    person = ComplainantFactory(firm=firm)
    _record(firm, handler, person, complaints)
    client.force_login(handler)
    client.get("/")  # warm the session
    # session, user, memberships, the complainant, its complaints, holidays, letters, the
    # redress items and their totals, the header's notification count.
    with django_assert_max_num_queries(10):
        response = client.get(f"/complaints/complainants/{person.pk}/")
    assert len(response.context["rows"]) == complaints
