"""The work queue: tabs, DISP-deadline order, filters, search, pagination, constant queries."""

from __future__ import annotations

import pytest
import time_machine

from complaints import services
from complaints.choices import Activity, Outcome, Regime, Role
from complaints.views.queue import PAGE_SIZE
from tests.factories import ComplainantFactory, MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)  # Mon 1 Jun 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_in(client, handler):
    client.force_login(handler)
    return client


def refs(response) -> list[str]:
    return [row.complaint.reference for row in response.context["rows"]]


def test_queue_is_sorted_by_next_disp_deadline_nulls_last(client_in, firm, handler):
    mk = lambda ref, when, **kw: make_complaint(  # noqa: E731
        firm=firm, received_at=when, reference=ref, owner_id=handler.pk, actor=handler, **kw
    )
    mk("LATE-FR", london(2026, 4, 13, 10))  # final response due Mon 8 Jun 2026
    mk("SRC-SOON", london(2026, 5, 29, 10))  # SRC Wed 3 Jun 2026
    mk("OVERDUE", london(2026, 4, 1, 10))  # final response due Wed 27 May 2026: breached
    mk("FEEDBACK", london(2026, 5, 30, 10), alleged_financial_loss=False)  # no DISP deadline
    mk("SAME-DAY-B", london(2026, 5, 29, 11))  # same SRC deadline, received later
    response = client_in.get("/?tab=mine")
    assert refs(response) == ["OVERDUE", "SRC-SOON", "SAME-DAY-B", "LATE-FR", "FEEDBACK"]
    html = response.content.decode()
    assert "Final response overdue since Wed 27 May 2026" in html
    assert "SRC by close of business Wed 3 Jun 2026" in html
    assert "Final response due in 7 days" in html
    # Colour is never the only signal.
    assert "Breached" in html and "Due soon" in html and "On track" in html


def test_tabs_mine_team_unassigned(client_in, firm, handler):
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    received = london(2026, 5, 28, 10)
    make_complaint(firm=firm, received_at=received, reference="MINE", owner_id=handler.pk)
    make_complaint(firm=firm, received_at=received, reference="THEIRS", owner_id=colleague.pk)
    make_complaint(firm=firm, received_at=received, reference="NOBODY")
    assert refs(client_in.get("/")) == ["MINE"]
    assert sorted(refs(client_in.get("/?tab=team"))) == ["MINE", "NOBODY", "THEIRS"]
    assert refs(client_in.get("/?tab=unassigned")) == ["NOBODY"]


def test_team_tab_uses_the_membership_team_when_set(client, firm):
    me = MembershipFactory(firm=firm, role=Role.HANDLER, team="Payments")
    mate = MembershipFactory(firm=firm, role=Role.HANDLER, team="Payments")
    other = MembershipFactory(firm=firm, role=Role.HANDLER, team="Custody")
    received = london(2026, 5, 28, 10)
    for ref, owner in (("A", me.user), ("B", mate.user), ("C", other.user)):
        make_complaint(firm=firm, received_at=received, reference=ref, owner_id=owner.pk)
    client.force_login(me.user)
    assert sorted(refs(client.get("/?tab=team"))) == ["A", "B"]


def test_filters_status_activity_owner_window_vulnerable(client_in, firm, handler):
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    fragile = ComplainantFactory(firm=firm, vulnerable_capability=True)
    make_complaint(
        firm=firm, received_at=london(2026, 4, 1, 10), reference="OVERDUE", actor=handler
    )
    make_complaint(
        firm=firm,
        received_at=london(2026, 5, 29, 10),
        reference="DUE-2BD",
        owner_id=colleague.pk,
        complainant=fragile,
    )
    make_complaint(
        firm=firm,
        received_at=london(2026, 5, 27, 10),
        reference="WEEK",
        activity=Activity.SAFEGUARDING,
        regime=Regime.PSD_EMD,  # 15 business days: Wed 17 Jun 2026; SRC Mon 1 Jun
    )
    acked = make_complaint(firm=firm, received_at=london(2026, 5, 11, 10), reference="ACKED")
    services.complaint_acknowledge(complaint_id=acked.pk, actor=handler, now=NOW)
    closed = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), reference="DONE")
    services.complaint_resolve_summary(
        complaint_id=closed.pk, actor=handler, now=NOW, outcome=Outcome.UPHELD
    )

    base = "/?tab=team"
    assert "DONE" not in refs(client_in.get(base))  # open complaints by default
    assert "DONE" in refs(client_in.get(base + "&status=all"))
    assert refs(client_in.get(base + "&status=resolved_summary")) == ["DONE"]
    assert refs(client_in.get(base + "&status=acknowledged")) == ["ACKED"]
    assert refs(client_in.get(base + "&activity=safeguarding")) == ["WEEK"]
    assert refs(client_in.get(base + f"&owner={colleague.pk}")) == ["DUE-2BD"]
    assert "DUE-2BD" not in refs(client_in.get(base + "&owner=none"))
    assert refs(client_in.get(base + "&window=overdue")) == ["OVERDUE"]
    # Mon 1 Jun + 2 business days = Wed 3 Jun: the SRC of DUE-2BD and WEEK (today).
    assert sorted(refs(client_in.get(base + "&window=2bd"))) == ["DUE-2BD", "WEEK"]
    assert "ACKED" not in refs(client_in.get(base + "&window=7d"))
    assert refs(client_in.get(base + "&vulnerable=on")) == ["DUE-2BD"]


def test_search_over_reference_complainant_name_and_description(client_in, firm):
    received = london(2026, 5, 28, 10)
    make_complaint(firm=firm, received_at=received, reference="NDX-2026-00042")
    make_complaint(
        firm=firm,
        received_at=received,
        reference="BY-NAME",
        complainant=ComplainantFactory(firm=firm, name="Zanele Mokoena"),
    )
    make_complaint(
        firm=firm, received_at=received, reference="BY-TEXT", description="Staking rewards unpaid"
    )
    assert refs(client_in.get("/?tab=team&q=00042")) == ["NDX-2026-00042"]
    assert refs(client_in.get("/?tab=team&q=mokoena")) == ["BY-NAME"]
    assert refs(client_in.get("/?tab=team&q=STAKING")) == ["BY-TEXT"]


def test_pagination_keeps_the_filters(client_in, firm):
    person = ComplainantFactory(firm=firm)
    for i in range(PAGE_SIZE + 3):
        make_complaint(
            firm=firm,
            received_at=london(2026, 5, 28, 10),
            reference=f"P{i:03d}",
            complainant=person,
        )
    first = client_in.get("/?tab=team&activity=operating_catp")
    assert len(refs(first)) == PAGE_SIZE
    assert "activity=operating_catp&amp;page=2" in first.content.decode()
    second = client_in.get("/?tab=team&activity=operating_catp&page=2")
    assert len(refs(second)) == 3


def test_htmx_filtering_returns_only_the_results(client_in, firm):
    make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), reference="X-1")
    response = client_in.get("/?tab=team", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "X-1" in html and "<html" not in html


def _load(firm, handler, colleague, n: int) -> None:
    people = [ComplainantFactory(firm=firm, vulnerable_health=i % 3 == 0) for i in range(min(n, 7))]
    for i in range(n):
        make_complaint(
            firm=firm,
            received_at=london(2026, 4 + i % 2, 1 + i % 28, 10),
            complainant=people[i % len(people)],
            owner_id=(handler.pk, colleague.pk, None)[i % 3],
            regime=(Regime.STANDARD, Regime.PSD_EMD)[i % 2],
        )


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_query_count_is_constant(client_in, firm, handler, rows, django_assert_num_queries):
    """Same number of queries at 5 and 50 rows: rows come with their complainant and owner,
    and the business-day countdown uses one calendar built per request."""
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    _load(firm, handler, colleague, rows)
    client_in.get("/?tab=team")  # warm the session
    # 13: session, user, memberships, members, holidays, count, the page's keys (the SRC and
    # response-deadline streams merged in one query), its rows, the header's unread
    # notification count (notifications' context provider), the open FOS deadlines (one
    # query, registered by the fos app), the data-protection acknowledgements and subject
    # access requests due (one query each, docs/data-protection.md) and the saved views.
    with django_assert_num_queries(13):
        response = client_in.get("/?tab=team&status=all")
    assert len(response.context["rows"]) == rows


def test_fos_response_deadlines_show_in_the_queue_like_disp_deadlines(client_in, firm, handler):
    """Deadlines the FOS set the firm appear on the handler's queue, colour-coded and worded."""
    from datetime import date

    from fos.services import fos_deadline_add
    from tests.fos.helpers import at, log, responded_complaint

    complaint = responded_complaint(firm=firm, actor=handler, received=london(2026, 1, 5, 10))
    referral = log(complaint, handler, referred_on=date(2026, 3, 2))
    fos_deadline_add(
        referral_id=referral.pk,
        actor=handler,
        now=at(date(2026, 3, 2)),
        description="Send the complaint file",
        due_on=date(2026, 3, 6),
    )
    body = client_in.get("/").content.decode()
    assert "Other deadlines: set by the Financial Ombudsman" in body
    assert "FOS: Send the complaint file" in body
    assert complaint.reference in body
    assert "Breached" in body  # 6 Mar 2026 has passed


def test_a_queue_row_escapes_what_people_typed(client_in, firm, handler):
    """Rows are written in Python (``{% queue_row %}``): the complainant's name and the owner's
    name are escaped as the template escaped them, never emitted as markup."""
    handler.first_name, handler.last_name = "<i>Han</i>", "D'Ler"
    handler.save()
    person = ComplainantFactory(firm=firm, name='<script>alert("x")</script> & Co')
    make_complaint(
        firm=firm,
        received_at=london(2026, 5, 28, 10),
        reference="ESC-1",
        owner_id=handler.pk,
        complainant=person,
    )
    html = client_in.get("/?tab=mine").content.decode()
    assert "ESC-1" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "<script>alert" not in html
    assert "&lt;i&gt;Han&lt;/i&gt; D&#x27;Ler" in html
