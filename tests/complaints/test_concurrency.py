"""Two handlers acting on one complaint at once: one succeeds, the other gets a clear conflict.

Real PostgreSQL, two connections (one per thread). The first service is held inside its
transaction, after it has locked and read the row, until the second has started; without the
row lock both would read 'received' and both would succeed.
"""

import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import pre_save

from common.errors import ConflictError
from complaints import services
from complaints.choices import Status
from complaints.models import Complaint
from tests.factories import london, make_complaint

NOW = london(2026, 4, 3, 10, 0)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acknowledgements_give_one_success_and_one_conflict(firm, handler):
    if connection.vendor != "postgresql":
        pytest.fail("row-lock concurrency is tested on PostgreSQL (set DATABASE_URL)")
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def hold_first_save(sender, instance, **kwargs):
        if threading.current_thread().name == "first":
            first_holds_lock.set()
            second_started.wait(5)
            time.sleep(0.3)  # let the second reach the row lock and block on it

    def run(name: str) -> None:
        try:
            if name == "second":
                first_holds_lock.wait(5)
                second_started.set()
            c = services.complaint_acknowledge(complaint_id=complaint.pk, actor=handler, now=NOW)
            results[name] = c.status
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    pre_save.connect(hold_first_save, sender=Complaint)
    try:
        threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("first", "second")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    finally:
        pre_save.disconnect(hold_first_save, sender=Complaint)

    assert results["first"] == Status.ACKNOWLEDGED
    assert isinstance(results["second"], ConflictError), results["second"]
    assert results["second"].extra["status"] == Status.ACKNOWLEDGED
    assert "acknowledged" in results["second"].message
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.version == complaint.version + 1
    assert fresh.communications.count() == 1
    assert Complaint.history.filter(id=complaint.pk).count() == 2
