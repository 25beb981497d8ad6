"""Two workers running the deadline watch at the same moment send every notice once.

Real PostgreSQL, one connection per thread. Both runs are held after reading the ledger (so
both believe nothing was sent yet) until the other has read it too: only the unique ledger
key, inserted before any notification, stops the second run from sending everything again.
"""

import threading

import pytest
from django.db import connection

from notifications import services
from notifications.models import Notice, Notification
from tests.factories import london, make_complaint

NOW = london(2026, 6, 9, 10)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_watch_runs_send_each_notice_once(firm, owner, supervisor, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.fail("concurrency is tested on PostgreSQL (set DATABASE_URL)")
    for day in (2, 7, 13):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    # Registering queued (eager) per-complaint checks at today's date; start from a clean ledger.
    Notice.objects.all().delete()
    both_read = threading.Barrier(2, timeout=10)
    real = services._already_issued

    def read_then_wait(keys):
        seen = real(keys)
        both_read.wait()
        return seen

    monkeypatch.setattr(services, "_already_issued", read_then_wait)
    results: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = services.deadline_watch_run(now=NOW, send_emails=False)
        except Exception as exc:  # surfaced by the assertion below
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert all(not isinstance(r, Exception) for r in results.values()), results
    assert sorted(r.notices for r in results.values()) == [0, 6]
    assert Notice.objects.count() == 6
    # Acknowledgement and 8-week breaches, each to the owner and the supervisor, once.
    assert Notification.objects.count() == 12
    assert Notification.objects.filter(recipient=owner).count() == 6
