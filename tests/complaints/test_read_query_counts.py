"""The reads a large exchange runs all day issue the same queries at 5 rows and at 20 (issue 18):
the queue ("mine", "team", search), the complaint page, and the API's complaint list and detail.
The detail fetches its complaint once; the list never counts every complaint of the firm."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.choices import Role
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)  # Mon 1 Jun 2026


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _add(firm, handler, colleague, start: int, stop: int) -> None:
    """Complaints across the tabs (mine, a colleague's, unassigned), each with some history."""
    for i in range(start, stop):
        c = make_complaint(
            firm=firm,
            received_at=london(2026, 3 + i % 3, 1 + i % 28, 10),
            owner_id=(handler.pk, colleague.pk, None)[i % 3],
            description=f"Withdrawal {i} delayed",
            actor=handler,
        )
        services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=NOW)


def _queries(send) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = send()
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def colleague(firm):
    return MembershipFactory(firm=firm, role=Role.HANDLER, team="Complaints").user


@pytest.fixture
def team_handler(firm, handler, colleague):
    handler.memberships.filter(firm=firm).update(team="Complaints")
    return handler


PAGES = {
    "queue mine": "/?tab=mine",
    "queue team": "/?tab=team",
    "queue team search": "/?tab=team&q=delayed",
    "queue mine overdue": "/?tab=mine&window=overdue&status=all",
    "queue unassigned": "/?tab=unassigned",
}


@pytest.mark.parametrize("view", PAGES)
def test_queue_pages_issue_the_same_queries_at_5_and_20_rows(
    client, firm, team_handler, colleague, view
):
    client.force_login(team_handler)
    _add(firm, team_handler, colleague, 0, 5)
    client.get(PAGES[view])  # warm the session
    small = _queries(lambda: client.get(PAGES[view]))
    _add(firm, team_handler, colleague, 5, 20)
    large = _queries(lambda: client.get(PAGES[view]))
    assert len(large) == len(small)


def test_complaint_page_issues_the_same_queries_at_5_and_20_history_rows(
    client, firm, handler, colleague
):
    client.force_login(handler)
    _add(firm, handler, colleague, 0, 5)
    c = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), owner_id=handler.pk)
    for n in range(5):
        services.complaint_add_note(complaint_id=c.pk, actor=handler, now=NOW, body=f"Note {n}")
    client.get(f"/complaints/{c.pk}/")
    small = _queries(lambda: client.get(f"/complaints/{c.pk}/"))
    _add(firm, handler, colleague, 5, 20)
    for n in range(5, 20):
        services.complaint_add_note(complaint_id=c.pk, actor=handler, now=NOW, body=f"Note {n}")
    large = _queries(lambda: client.get(f"/complaints/{c.pk}/"))
    assert len(large) == len(small)


def test_complaint_page_counts_unread_notifications_once_whatever_its_panels(
    client, firm, handler, colleague
):
    """The panels render with the request (and so with the context processors): the header's
    unread count is counted where it is shown, once, not once per panel."""
    client.force_login(handler)
    c = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), owner_id=handler.pk)
    client.get(f"/complaints/{c.pk}/")
    sql = _queries(lambda: client.get(f"/complaints/{c.pk}/"))
    unread = [q for q in sql if q.startswith("SELECT COUNT(") and "notifications_notification" in q]
    assert len(unread) == 1


def test_queue_count_stops_at_the_cap_and_the_page_says_so(
    client, firm, team_handler, colleague, monkeypatch
):
    """Like the API list: a broad view's count reads at most cap + 1 ids, and the page shows
    "N+" with the pages stopping at the cap, never a count it did not make."""
    from common.api import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "limit", 3)
    client.force_login(team_handler)
    _add(firm, team_handler, colleague, 0, 6)  # four in the team's queue
    sql = _queries(lambda: client.get("/?tab=team"))
    [count] = [q for q in sql if q.startswith("SELECT COUNT(") and "complaints_complaint" in q]
    assert "LIMIT 4" in count
    page = client.get("/?tab=team")
    html = page.content.decode()
    assert "3+ complaints (the pages show the first 3; narrow the filters" in html
    assert page.context["page"].paginator.num_pages == 1
    assert len(page.context["rows"]) == 3
    exact = client.get("/?tab=mine").content.decode()  # two: under the cap, counted exactly
    assert "2 complaints, nearest DISP deadline first." in exact


def _complaint_fetches(sql: list[str], pk: int) -> list[str]:
    """Queries reading the complaint row itself (not its history, notes or letters)."""
    own = re.compile(rf'FROM "complaints_complaint".*"complaints_complaint"\."id" = {pk}\b', re.S)
    return [q for q in sql if own.search(q)]


def test_api_detail_fetches_the_complaint_once_at_5_and_20_rows(firm, handler, colleague):
    """The access check and the body share one fetch of the row with everything it shows."""
    api = client_for(handler)
    _add(firm, handler, colleague, 0, 5)
    c = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), owner_id=handler.pk)
    url = f"/api/complaints/{c.pk}/"
    api.get(url)  # the token's last_used_at is written at most once a minute
    small = _queries(lambda: api.get(url))
    assert len(_complaint_fetches(small, c.pk)) == 1
    _add(firm, handler, colleague, 5, 20)
    large = _queries(lambda: api.get(url))
    assert len(large) == len(small)


def test_api_list_counts_at_most_a_bounded_number_of_rows(firm, handler, colleague):
    """No COUNT(*) over every complaint of the firm: the count reads a LIMIT subquery."""
    api = client_for(handler)
    _add(firm, handler, colleague, 0, 5)
    api.get("/api/complaints/?page_size=10")
    small = _queries(lambda: api.get("/api/complaints/?page_size=10"))
    _add(firm, handler, colleague, 5, 20)
    response = api.get("/api/complaints/?page_size=10")
    assert response.json()["count"] == 20 and response.json()["count_exact"] is True
    large = _queries(lambda: api.get("/api/complaints/?page_size=10"))
    assert len(large) == len(small)
    [count] = [q for q in large if "COUNT(" in q]
    assert "LIMIT 10001" in count


def test_api_list_beyond_the_count_limit_says_the_count_is_not_exact(
    firm, handler, colleague, monkeypatch
):
    from common.api import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "limit", 3)
    api = client_for(handler)
    _add(firm, handler, colleague, 0, 5)
    body = api.get("/api/complaints/?page_size=2").json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (3, False, 2)
    assert body["next"] is not None


def test_broad_queue_search_filters_the_rows_and_finds_the_same_complaints(
    client, firm, team_handler, colleague, monkeypatch
):
    """More matches than SEARCH_IDS: the search becomes a filter on the rows, same answer."""
    from complaints.selectors import queue

    client.force_login(team_handler)
    _add(firm, team_handler, colleague, 0, 12)
    url = "/?tab=team&q=delayed"
    selective = [row.complaint.pk for row in client.get(url).context["rows"]]
    monkeypatch.setattr(queue, "SEARCH_IDS", 3)
    broad = [row.complaint.pk for row in client.get(url).context["rows"]]
    assert broad == selective and len(broad) == 8  # the unassigned four are no team's


def test_common_word_search_is_counted_only_as_far_as_the_page_and_says_so(
    client, firm, team_handler, colleague, monkeypatch
):
    """A word in most of the view's rows (the bounded probe finds it among the first rows) is a
    filter on the rows in queue order, never a trawl of the trigram indexes, and its matches
    are counted to the end of the page asked for and one past: the page says "More than N"
    and offers the next page, the last page counts exactly."""
    from complaints.selectors import queue as selector

    views = importlib.import_module("complaints.views.queue")
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(team_handler)
    _add(firm, team_handler, colleague, 0, 12)  # eight in the team's queue, all "delayed"
    url = "/?tab=team&q=delayed"
    sql = _queries(lambda: client.get(url))
    assert not [q for q in sql if "UNION ALL" in q and "LIKE" in q and "LIMIT 5001" in q]
    # The probe (at most SEARCH_PROBE rows) is the only count: the matches are counted from the
    # page's keys, read in queue order to the end of page 1 of 3 rows and one past it.
    [probe] = [q for q in sql if q.startswith("SELECT COUNT(*) FROM (") and "LIKE" in q]
    assert f"LIMIT {selector.SEARCH_PROBE})" in probe
    [keys] = [q for q in sql if "UNION ALL" in q and "LIKE" in q]
    assert keys.endswith("LIMIT 4")
    first = client.get(url)
    html = first.content.decode()
    assert "More than 3 complaints match (a broad search is counted only as far as" in html
    assert first.context["page"].has_next() and "Page 1</span>" in html
    last = client.get(url + "&page=3")
    assert "8 complaints, nearest DISP deadline first." in last.content.decode()
    assert len(last.context["rows"]) == 2 and not last.context["page"].has_next()
    # The same complaints as the selective path's, page after page.
    pages = [client.get(f"{url}&page={n}").context["rows"] for n in (1, 2, 3)]
    broad = [row.complaint.pk for rows in pages for row in rows]
    monkeypatch.setattr(selector, "SEARCH_PROBE_BROAD", 10_000)  # never broad by the probe
    selective = [
        row.complaint.pk for n in (1, 2, 3) for row in client.get(f"{url}&page={n}").context["rows"]
    ]
    assert broad == selective and len(broad) == 8


def test_sorted_broad_search_is_counted_from_its_page_ids_and_finds_the_same_complaints(
    client, firm, team_handler, colleague, monkeypatch
):
    """Sorted by another column, a broad search too counts its matches from the ids its page
    is cut from (the first page's and one past), not by a second scan."""
    from complaints.selectors import queue as selector

    views = importlib.import_module("complaints.views.queue")
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(team_handler)
    _add(firm, team_handler, colleague, 0, 12)
    url = "/?tab=team&q=delayed&sort=-received"
    sql = _queries(lambda: client.get(url))
    [probe] = [q for q in sql if q.startswith("SELECT COUNT(*) FROM (") and "LIKE" in q]
    [ids] = [q for q in sql if "LIKE" in q and q.endswith("LIMIT 4")]

    def pages() -> list[int]:
        return [
            row.complaint.pk
            for n in (1, 2, 3)
            for row in client.get(f"{url}&page={n}").context["rows"]
        ]

    broad = pages()
    monkeypatch.setattr(selector, "SEARCH_PROBE_BROAD", 10_000)  # never broad by the probe
    assert broad == pages() and len(broad) == 8


def test_api_list_naming_no_filter_lists_what_the_default_ordering_lists(firm, handler, colleague):
    """An unfiltered page skips the filter form: the same rows, count and body as naming the
    default ordering, which goes through it."""
    api = client_for(handler)
    _add(firm, handler, colleague, 0, 6)
    plain = api.get("/api/complaints/?page_size=4").json()
    named = api.get("/api/complaints/?page_size=4&ordering=-received_at").json()
    assert plain["results"] == named["results"] and len(plain["results"]) == 4
    assert (plain["count"], named["count"]) == (6, 6)
