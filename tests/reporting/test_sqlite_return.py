"""The demo database (SQLite, ``make demo``) imports a snapshot and computes a return through
the same SQL as PostgreSQL (the CTE, INSERT ... SELECT and the active clients table), run in a
subprocess against a fresh SQLite file; and reads a colleague's audit activity (one UNION over
every history table, which nested would overflow SQLite's parser)."""

from tests.sqlite_demo import GROUP, run_script

pytestmark = GROUP

SCRIPT = """
import django
django.setup()
from datetime import date
from reporting import selectors
from reporting.choices import Metric
from reporting.models import ActiveClient, ReturnItem
from reporting.services import return_compute
from tests.factories import FirmFactory, london, make_complaint
from tests.reporting.helpers import load_snapshot, position, uphold

firm = FirmFactory()
a = make_complaint(firm=firm, received_at=london(2028, 2, 1, 10))
make_complaint(firm=firm, received_at=london(2028, 2, 3, 10))
uphold(a, london(2028, 3, 1, 10))
load_snapshot(firm, date(2028, 3, 31), [
    position("A", "A1", vulnerable=True), position("B", "B1"), position("Z", "Z1", balance="0"),
])
assert ActiveClient.objects.count() == 2
v = return_compute(firm=firm, period_end=date(2028, 3, 31), actor=None, now=london(2028, 4, 20))
assert (v.complaints_received, v.complaints_upheld) == (2, 1), v.figures()
assert (v.active_clients, v.vulnerable_active_retail_customers) == (2, 1), v.figures()
assert ReturnItem.objects.filter(version=v, metric=Metric.RECEIVED).count() == 2
page, rows = selectors.version_items_page(v, Metric.ACTIVE_CLIENTS, after="A")
assert [r.item.client_id for r in rows] == ["B"]
v2 = return_compute(firm=firm, period_end=date(2028, 3, 31), actor=None, now=london(2028, 4, 21))
assert v2.changes["items"] == {}, v2.changes
# A colleague's audit activity reads every history table in one UNION on SQLite too.
from audit.selectors import user_activity
from tests.factories import UserFactory
assert user_activity(UserFactory().pk, firm_ids=[firm.pk]).page.paginator.count == 0
print("ok")
"""


def test_sqlite_imports_a_snapshot_and_computes_a_return(migrated_sqlite, tmp_path):
    out = run_script(migrated_sqlite, tmp_path, SCRIPT, MEDIA_ROOT=str(tmp_path / "media"))
    assert out.strip().endswith("ok")
