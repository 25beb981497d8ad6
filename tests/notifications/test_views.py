"""The inbox: a user's own notifications, unread count for the header, mark as read."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from notifications.models import Notification
from notifications.selectors import unread_context
from notifications.services import deadline_watch_run
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(firm, owner):
    for day in (2, 7, 13):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 6, 9, 10), send_emails=False)
    return list(Notification.objects.filter(recipient=owner))


def test_unread_count_provider_is_registered_and_counts_own_unread(
    owner, supervisor, notified, django_assert_num_queries
):
    assert (
        "notifications.selectors.unread_context"
        in (settings.TEMPLATES[0]["OPTIONS"]["context_processors"])
    )
    request = RequestFactory().get("/")
    request.user = owner
    with django_assert_num_queries(2):  # memberships (cached per request) and the count
        assert unread_context(request) == {"unread_notifications": 6}
    Notification.objects.filter(pk=notified[0].pk).update(read_at=london(2026, 6, 9, 11))
    assert unread_context(request) == {"unread_notifications": 5}


def test_list_shows_own_unread_notifications(
    client, owner, notified, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have <strong>6</strong> unread notifications" in html
    assert html.count('id="notification-') == 6
    assert "8-week final or holding response missed" in html


def test_list_query_count_does_not_grow_with_notifications(
    client, firm, owner, notified, django_assert_max_num_queries
):
    client.force_login(owner)
    client.get(reverse("notifications:list"))
    for day in (14, 15, 16, 17):
        make_complaint(firm=firm, received_at=london(2026, 4, day, 10), owner_id=owner.pk)
    deadline_watch_run(now=london(2026, 6, 12, 10), send_emails=False)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_mark_read_with_htmx_returns_the_row(client, owner, notified):
    client.force_login(owner)
    n = notified[0]
    response = client.post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{n.pk}"' in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_and_show_all(client, owner, notified):
    client.force_login(owner)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You have no unread notifications" in page
    page = client.get(reverse("notifications:list") + "?show=all").content.decode()
    assert page.count('id="notification-') == 6


def test_another_users_notification_is_404(client, firm, notified):
    stranger = MembershipFactory(firm=firm).user
    client.force_login(stranger)
    response = client.post(reverse("notifications:mark_read", args=[notified[0].pk]))
    assert response.status_code == 404
    notified[0].refresh_from_db()
    assert notified[0].read_at is None


def test_notifications_of_a_firm_the_user_left_are_hidden(client, firm, owner, notified):
    owner.memberships.all().delete()
    client.force_login(owner)
    page = client.get(reverse("notifications:list") + "?show=all").content.decode()
    assert 'id="notification-' not in page


def test_open_redirect_is_refused(client, owner, notified):
    client.force_login(owner)
    response = client.post(
        reverse("notifications:mark_all_read"), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("notifications:list")


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "login" in response.url
