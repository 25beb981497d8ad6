"""Root-cause MI (DISP 1.3.3R, DISP 1.9.2G): dashboard figures against a hand-counted fixture,
and constant query counts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.exports import column_key
from complaints import services as cs
from complaints.choices import Activity, Outcome
from complaints.models import Complaint
from remediation import mi, services
from remediation.models import RedressKind
from tests.factories import ComplainantFactory, london, make_complaint

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 1)
PERIOD = {"date_from": date(2026, 4, 1), "date_to": date(2026, 5, 31), "today": TODAY}


def _pay(c, actor, kind, amount, at):
    item = services.redress_offer(
        complaint_id=c.pk,
        actor=actor,
        now=at,
        data=services.RedressData(kind=kind, amount_gbp=Decimal(amount)),
    )
    services.redress_accept(item_id=item.pk, actor=actor, now=at + timedelta(hours=1))
    services.redress_pay(
        item_id=item.pk, actor=actor, now=at + timedelta(hours=2), payment_reference="FPS"
    )


def _investigate(c, actor):
    at = c.received_at
    cs.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=at + timedelta(hours=1))
    cs.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=at + timedelta(hours=2))


@pytest.fixture
def fixture(firm, handler, supervisor):
    """Seven complaints, hand-counted in the tests below (received 1 Apr – 31 May 2026)."""
    admin = supervisor
    outage = services.root_cause_create(firm=firm, actor=admin, name="Outage")
    comms = services.root_cause_create(firm=firm, actor=admin, name="Communication")
    incident = services.incident_create(
        firm=firm,
        actor=admin,
        now=london(2026, 4, 2, 20),
        name="Outage 2 Apr",
        started_at=london(2026, 4, 2, 8),
        ended_at=london(2026, 4, 2, 12),
    )

    def mk(day, **kw):
        return make_complaint(firm=firm, received_at=day, actor=handler, now=day, **kw)

    # A: upheld on time, £100 paid, root cause outage, incident, vulnerable complainant.
    a = mk(
        london(2026, 4, 2, 10),
        complainant=ComplainantFactory(firm=firm, vulnerable_health=True),
    )
    _investigate(a, handler)
    cs.complaint_send_final_response(
        complaint_id=a.pk, actor=handler, now=london(2026, 4, 10, 12), outcome=Outcome.UPHELD
    )
    _pay(a, handler, RedressKind.FINANCIAL_LOSS, "100.00", london(2026, 4, 11, 9))
    # B: not upheld, final response 5 Jun after its 29 May due date: breached.
    b = mk(london(2026, 4, 3, 10))
    _investigate(b, handler)
    cs.complaint_send_final_response(
        complaint_id=b.pk, actor=handler, now=london(2026, 6, 5, 12), outcome=Outcome.NOT_UPHELD
    )
    # C: staking, still investigating on 1 Jul, due 30 Jun: breached; two root causes.
    c = mk(london(2026, 5, 5, 10), activity=Activity.STAKING)
    _investigate(c, handler)
    # D: staking, SRC with a goodwill payment of £50: counted as upheld, never breached.
    d = mk(london(2026, 5, 6, 10), activity=Activity.STAKING)
    _pay(d, handler, RedressKind.GOODWILL, "50.00", london(2026, 5, 6, 11))
    cs.complaint_resolve_summary(
        complaint_id=d.pk, actor=handler, now=london(2026, 5, 6, 15), outcome=Outcome.GOODWILL
    )
    # E: withdrawn: received, not decided.
    e = mk(london(2026, 5, 7, 10))
    cs.complaint_withdraw(complaint_id=e.pk, actor=handler, now=london(2026, 5, 8, 10))
    # F: feedback, not a complaint: never counted. G: received before the period.
    mk(london(2026, 5, 20, 10), alleged_financial_loss=False)
    g = mk(london(2026, 3, 31, 10))
    for comp, cause in ((a, outage), (b, comms), (c, outage), (c, comms), (g, outage)):
        services.complaint_root_cause_assign(
            complaint_id=comp.pk, root_cause_id=cause.pk, actor=handler, now=TODAY_DT
        )
    services.incident_link(
        incident_id=incident.pk, complaint_ids=[a.pk, g.pk], actor=admin, now=TODAY_DT
    )
    return firm


TODAY_DT = london(2026, 7, 1, 9)


def fig(row):
    return (row.received, row.decided, row.upheld, row.breached, row.redress_paid)


def test_dashboard_figures_match_the_hand_count(fixture):
    data = mi.dashboard(Complaint.objects.filter(firm=fixture), **PERIOD)
    assert fig(data.total) == (5, 3, 2, 2, Decimal("150.00"))
    assert data.total.upheld_rate == Decimal("66.7")
    months = {r.label: fig(r) for r in data.tables["month"]}
    assert months == {
        "Apr 2026": (2, 2, 1, 1, Decimal("100.00")),
        "May 2026": (3, 1, 1, 1, Decimal("50.00")),
    }
    activity = {r.key: fig(r) for r in data.tables["activity"]}
    assert activity == {
        Activity.OPERATING_CATP: (3, 2, 1, 1, Decimal("100.00")),
        Activity.STAKING: (2, 1, 1, 1, Decimal("50.00")),
    }
    causes = {r.label: fig(r) for r in data.tables["root_cause"]}
    assert causes == {
        "Outage": (2, 1, 1, 1, Decimal("100.00")),
        "Communication": (2, 1, 0, 2, Decimal("0.00")),
        "No root cause recorded": (2, 1, 1, 0, Decimal("50.00")),
    }
    incidents = {r.label: fig(r) for r in data.tables["incident"]}
    assert incidents == {
        "Outage 2 Apr": (1, 1, 1, 0, Decimal("100.00")),
        "Not linked to an incident": (4, 2, 1, 2, Decimal("50.00")),
    }
    vulnerability = {r.label: fig(r) for r in data.tables["vulnerability"]}
    assert vulnerability == {
        "Vulnerable complainant": (1, 1, 1, 0, Decimal("100.00")),
        "No vulnerability recorded": (4, 2, 1, 2, Decimal("50.00")),
    }


def test_fg21_1_mi_by_driver_and_failure_to_respond(fixture, handler):
    """Counts, upheld and redress by FG21/1 driver (overlapping rows) and for complaints caused
    or worsened by a failure to respond to vulnerability; aggregate only, no names."""
    a = Complaint.objects.get(firm=fixture, complainant__vulnerable_health=True)
    cs.complaint_set_vulnerability(
        complaint_id=a.pk,
        actor=handler,
        now=TODAY_DT,
        complainant_vulnerable=True,
        vulnerability_failure=True,
    )
    data = mi.dashboard(Complaint.objects.filter(firm=fixture), **PERIOD)
    drivers = {r.key: fig(r) for r in data.tables["vulnerability_driver"]}
    none = (0, 0, 0, 0, Decimal("0.00"))
    assert drivers == {
        "vulnerable_health": (1, 1, 1, 0, Decimal("100.00")),
        "vulnerable_life_events": none,
        "vulnerable_resilience": none,
        "vulnerable_capability": none,
        "support_needs_only": none,
        "vulnerability_failure": (1, 1, 1, 0, Decimal("100.00")),
    }


def test_dashboard_is_one_query_per_table(fixture, django_assert_num_queries):
    with django_assert_num_queries(7):
        mi.dashboard(Complaint.objects.filter(firm=fixture), **PERIOD)


def test_dashboard_page_query_count_does_not_grow_with_complaints(
    client, firm, handler, supervisor
):
    client.force_login(supervisor)

    def count() -> int:
        client.get("/remediation/")  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get("/remediation/?date_from=2026-04-01&date_to=2026-05-31").status_code
                == 200
            )
        return len(ctx)

    make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), actor=handler)
    few = count()
    for day in range(3, 13):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), actor=handler)
    assert count() == few


def test_charts_are_accessible_svg_with_a_table_and_csv_behind_each(client, fixture, supervisor):
    client.force_login(supervisor)
    page = client.get("/remediation/?date_from=2026-04-01&date_to=2026-05-31").content.decode()
    for key in mi.DIMENSIONS:
        assert f'<svg id="chart-{key}" class="chart" role="img"' in page
        assert f'aria-labelledby="chart-{key}-t chart-{key}-d"' in page
        assert f'<table id="table-{key}">' in page
        assert f"/remediation/mi/{key}.csv?date_from=2026-04-01" in page
    assert "<script" not in page.split("</header>")[1]
    response = client.get("/remediation/mi/activity.csv?date_from=2026-04-01&date_to=2026-05-31")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [column_key(title) for title in rows[0]] == [
        "group",
        "complaints_received",
        "decided",
        "upheld",
        "upheld_rate_pct",
        "breached_deadlines",
        "redress_paid_gbp",
    ]
    assert rows[1:] == [
        ["Operating a qualifying CATP (art. 9S)", "3", "2", "1", "50.0", "1", "100.00"],
        [
            "Arranging qualifying cryptoasset staking (art. 9Z6)",
            "2",
            "1",
            "1",
            "100.0",
            "1",
            "50.00",
        ],
        ["All complaints", "5", "3", "2", "66.7", "2", "150.00"],
    ]


def test_mi_is_for_supervisors_not_handlers(client, handler, reporting_officer):
    client.force_login(handler)
    assert client.get("/remediation/").status_code == 403
    assert client.get("/remediation/mi/month.csv").status_code == 403
    client.force_login(reporting_officer)
    assert client.get("/remediation/").status_code == 200


def test_mi_csv_quotes_a_formula_in_a_name_and_heads_columns_for_people(
    client, fixture, supervisor
):
    """OWASP CSV injection: an incident named "=HYPERLINK(...)" reaches the MI CSV quoted."""
    from remediation.models import Incident

    Incident.objects.filter(firm=fixture).update(name='=HYPERLINK("http://x")')
    client.force_login(supervisor)
    response = client.get("/remediation/mi/incident.csv?date_from=2026-04-01&date_to=2026-05-31")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Incident (group)", "Complaints received"]
    assert '\'=HYPERLINK("http://x")' in [r[0] for r in rows]
