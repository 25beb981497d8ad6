"""The demo database (SQLite, ``make demo``) serves every queue tab and order.

PostgreSQL reads the queue as two index-ordered streams, each LIMITed, merged by a UNION; SQLite
cannot LIMIT inside a UNION ("LIMIT/OFFSET not allowed in subqueries of compound statements"),
which crashed the demo's team tab. Run in a subprocess against a copy of the migrated SQLite
demo database (tests/sqlite_demo.py)."""

from tests.sqlite_demo import GROUP, run_script

pytestmark = GROUP

SCRIPT = """
import django
django.setup()
from django.test import Client
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

firm = FirmFactory()
user = MembershipFactory(firm=firm, role="handler").user
refs = [
    make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner).reference
    for day, owner in ((1, user.pk), (2, None), (3, user.pk))
]
client = Client()
client.force_login(user)
for url in ("/?tab=mine", "/?tab=team", "/?tab=team&q=Withdrawal", "/?tab=team&sort=reference",
            "/?tab=mine&window=overdue&status=all"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
page = client.get("/?tab=mine").content.decode()
assert refs[0] in page and refs[2] in page and refs[1] not in page, page
print("ok")
"""


def test_the_demo_database_serves_every_queue_tab(migrated_sqlite, tmp_path):
    out = run_script(migrated_sqlite, tmp_path, SCRIPT, MEDIA_ROOT=str(tmp_path / "media"))
    assert out.strip().endswith("ok")
