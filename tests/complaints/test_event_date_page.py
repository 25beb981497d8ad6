"""The complaint page: a final response waits for the event date, or a record that it is
unknown (CP26/4 para 3.24), and the handler records it with the page's action."""

import pytest
import time_machine
from django.urls import reverse

from complaints import services
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 16)


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_cp26_4_para_3_24_page_disables_the_final_response_until_the_event_date_is_recorded(
    client, firm, handler
):
    c = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, event_date_unknown=False)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=london(2026, 4, 3, 8))
    client.force_login(handler)
    detail = reverse("complaints:detail", args=[c.pk])

    response = client.get(detail)
    final = next(a for a in response.context["actions"] if a.spec.name == "send_final_response")
    assert not final.enabled
    assert "Record the date of the act or omission complained of" in response.content.decode()

    c.refresh_from_db()
    posted = client.post(
        reverse("complaints:act", args=[c.pk, "record_event_date"]),
        {"expected_version": c.version, "event_date_unknown": "on"},
    )
    assert posted.status_code == 302
    response = client.get(detail)
    final = next(a for a in response.context["actions"] if a.spec.name == "send_final_response")
    assert final.enabled
    assert "Recorded as unknown" in response.content.decode()
