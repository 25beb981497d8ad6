"""The remediation pages that list rows issue the same queries at 2 rows and at 6 (issue 18:
query-count tests guard every page): incidents, an incident's complaints, the redress ledger,
the root-cause taxonomy, the action register and a complaint's remediation page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from remediation.models import RedressKind
from remediation.services.actions import action_create
from remediation.services.incidents import incident_create, incident_link
from remediation.services.redress import RedressData, redress_offer
from remediation.services.root_causes import root_cause_create
from tests.factories import make_complaint
from tests.query_counts import count_get

from .conftest import OFFERED, OUTAGE_END, OUTAGE_NOW, OUTAGE_START, investigating

pytestmark = pytest.mark.django_db


def _same_at_2_and_6(client, user, url, add) -> None:
    """``add(start, stop)`` adds rows ``start``..``stop - 1`` to what ``url`` lists."""
    client.force_login(user)
    add(0, 2)
    client.get(url)  # warm the session
    small = count_get(client, url)[0]
    add(2, 6)
    assert count_get(client, url)[0] == small


def _offer(complaint_id: int, actor, amount: int):
    return redress_offer(
        complaint_id=complaint_id,
        actor=actor,
        now=OFFERED,
        data=RedressData(kind=RedressKind.FINANCIAL_LOSS, amount_gbp=Decimal(amount)),
    )


def test_incidents_page_same_queries_at_2_and_6_incidents(client, firm, supervisor):
    def add(start, stop):
        for i in range(start, stop):
            incident_create(
                firm=firm,
                actor=supervisor,
                now=OUTAGE_NOW,
                name=f"Outage {i}",
                started_at=OUTAGE_START - timedelta(days=i),
                ended_at=OUTAGE_END - timedelta(days=i),
            )

    _same_at_2_and_6(client, supervisor, reverse("remediation:incidents"), add)


def test_incident_page_same_queries_at_2_and_6_linked_complaints(
    client, firm, supervisor, handler, incident
):
    def add(start, stop):
        linked = [
            make_complaint(
                firm=firm,
                received_at=OUTAGE_START + timedelta(minutes=10 * i),
                owner_id=handler.pk,
                now=OUTAGE_NOW,
            ).pk
            for i in range(start, stop)
        ]
        incident_link(
            incident_id=incident.pk, complaint_ids=linked, actor=supervisor, now=OUTAGE_NOW
        )

    url = reverse("remediation:incident", args=[incident.pk])
    _same_at_2_and_6(client, supervisor, url, add)


def test_redress_ledger_same_queries_at_2_and_6_offers(client, firm, handler):
    def add(start, stop):
        for i in range(start, stop):
            _offer(investigating(firm, handler).pk, handler, 100 + i)

    _same_at_2_and_6(client, handler, reverse("remediation:ledger"), add)


def test_complaint_remediation_page_same_queries_at_2_and_6_offers(client, handler, complaint):
    def add(start, stop):
        for i in range(start, stop):
            _offer(complaint.pk, handler, 100 + i)

    url = reverse("remediation:complaint", args=[complaint.pk])
    _same_at_2_and_6(client, handler, url, add)


def test_root_cause_taxonomy_same_queries_at_2_and_6_causes(client, firm, admin_user):
    def add(start, stop):
        for i in range(start, stop):
            parent = root_cause_create(firm=firm, actor=admin_user, name=f"Cause {i}")
            root_cause_create(firm=firm, actor=admin_user, name=f"Detail {i}", parent_id=parent.pk)

    _same_at_2_and_6(client, admin_user, reverse("remediation:root_causes"), add)


def test_action_register_same_queries_at_2_and_6_actions(client, firm, supervisor, handler, tree):
    def add(start, stop):
        for i in range(start, stop):
            action_create(
                firm=firm,
                actor=supervisor,
                now=OUTAGE_NOW,
                title=f"Failover {i}",
                root_cause_id=tree["platform"].pk,
                owner_id=handler.pk,
                due_on=date(2026, 4, 30),
                review_on=date(2026, 5, 31),
            )

    _same_at_2_and_6(client, supervisor, reverse("remediation:actions"), add)
