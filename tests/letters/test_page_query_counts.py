"""The letters reads that had no query-count guard issue the same queries at 2 rows and at 6
(issue 18: query-count tests guard every page and API list): the letter templates list (the
firm's own templates), the FOS leaflet page and the API's list of the leaflet's versions. (The
letters workspace and a complaint's letters in the API: tests/letters/test_views_api.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from letters import leaflets
from letters.choices import LetterType
from letters.services import letter_template_save
from tests.factories import london, tiny_pdf
from tests.query_counts import same_at_2_and_6

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


def test_templates_list_same_queries_at_2_and_6_firm_templates(client, firm, admin_user):
    types = LetterType.values[:6]
    assert len(types) == 6

    def add(start, stop):
        for letter_type in types[start:stop]:
            letter_template_save(
                firm_id=firm.pk,
                letter_type=letter_type,
                actor=admin_user,
                now=NOW,
                subject="Your complaint {{ reference }}",
                body="Dear {{ complainant_name }}",
            )

    def shown(response, n):
        own = [row["type"] for row in response.context["rows"] if row["own"]]
        assert own == types[:n]
        assert response.content.decode().count("Firm version 1") == n

    client.force_login(admin_user)
    same_at_2_and_6(client, reverse("letters:templates"), add, shown)


def _add_leaflets(firm, admin_user):
    def add(start, stop):
        for i in range(start, stop):
            leaflets.leaflet_upload(
                firm_id=firm.pk,
                actor=admin_user,
                now=NOW,
                file_name="fos-leaflet.pdf",
                data=tiny_pdf(f"Your complaint and the ombudsman edition {i}"),
                label=f"Edition {i}",
                checked_on=date(2026, 4, 1),
            )

    return add


def test_fos_leaflet_page_same_queries_at_2_and_6_versions(client, firm, admin_user):
    def shown(response, n):
        body = response.content.decode()
        assert all(f"Edition {i}" in body for i in range(n))

    client.force_login(admin_user)
    same_at_2_and_6(client, reverse("letters:fos_leaflet"), _add_leaflets(firm, admin_user), shown)


def test_api_fos_leaflets_same_queries_at_2_and_6_versions(client, firm, admin_user):
    def shown(response, n):
        labels = {row["label"] for row in response.json()}
        assert {f"Edition {i}" for i in range(n)} <= labels

    client.force_login(admin_user)
    same_at_2_and_6(
        client, f"/api/firms/{firm.pk}/fos-leaflets/", _add_leaflets(firm, admin_user), shown
    )
