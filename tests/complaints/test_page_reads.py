"""The complaint page reads what its panels share once a request (issue 18): the firm's members
(the owner and task forms) and its business-day calendar (the deadlines and the data-protection
clocks), and it stays within its query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)
# The page's queries for a handler (session, user, memberships, the complaint, its panels, its
# timeline): 33 before the members, calendar and complainant reads were shared. It must not
# grow.
BUDGET = 30


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _sql(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_complaint_page_reads_the_members_and_the_calendar_once(client, firm, handler):
    client.force_login(handler)
    c = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), owner_id=handler.pk)
    url = f"/complaints/{c.pk}/"
    client.get(url)  # warm the session
    sql = _sql(client, url)
    members = [q for q in sql if 'FROM "complaints_membership"' in q and '"is_active"' in q]
    holidays = [q for q in sql if 'FROM "complaints_bankholiday"' in q]
    assert len(members) == 1
    assert len(holidays) == 1
    assert len(sql) <= BUDGET, len(sql)
    html = client.get(url).content.decode()
    assert 'id="id_owner"' in html and 'id="id_task_assignee"' in html  # both forms list them
