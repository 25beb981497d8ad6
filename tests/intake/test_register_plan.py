"""What plan_row keeps for the commit reads the complaint as its attributes read it, and the
deadline rules complaints share are never changed in place."""

from operator import attrgetter

import pytest

from complaints.choices import CommunicationKind
from complaints.deadlines import calendar_for_firm
from complaints.models import Firm
from intake import columns
from intake.services.plan import COMPLAINT_COLUMNS, Context, plan_row
from letters.rendering import fos_available_for

from .test_register_import import GOOD, NOW, row, to_csv

pytestmark = pytest.mark.django_db
LETTERS_WITH_FOS_RIGHT = {
    CommunicationKind.SUMMARY_RESOLUTION,
    CommunicationKind.FINAL_RESPONSE,
    CommunicationKind.TIME_BARRED_REJECTION,
    CommunicationKind.FORWARDING_NOTICE,
}


def _plans(firm, rows):
    firm = Firm.objects.prefetch_related("activities").get(pk=firm.pk)
    ctx = Context(firm, None, calendar_for_firm(firm), keep=True)
    planned = [plan_row(ctx, r, now=NOW) for r in columns.parse(to_csv(rows), "csv")]
    assert all(p is not None for _, p in planned), [r.errors for r, p in planned if p is None]
    return [p for _, p in planned]


def test_a_snapshot_holds_what_the_complaints_attributes_read(firm):
    """Snapshots read the instance's dict (Django keeps each concrete field's value there under
    its attname): the same values the attributes (the state machine's and the foreign keys'
    descriptors among them) answer, every column present."""
    for plan in _plans(firm, GOOD):
        c = plan.complaint
        assert set(COMPLAINT_COLUMNS) <= set(c.__dict__)
        assert plan.snapshots[-1][1] == attrgetter(*COMPLAINT_COLUMNS)(c)
        assert c.__dict__["status"] == c.status and c.__dict__["firm_id"] == c.firm.pk


def test_complaints_with_the_same_deadlines_share_their_rules_unchanged(firm):
    rows = [row("P-1"), row("P-2"), row("P-3", status="acknowledged")]
    rows[2]["acknowledged_at"] = "2026-04-03 09:00"
    rows.append(
        row(
            "P-4",
            status="holding_response_sent",
            acknowledged_at="2026-04-03 09:00",
            holding_response_sent_at="2026-05-29 10:00",
        )
    )
    first, second, third, holding = (p.complaint for p in _plans(firm, rows))
    assert first.deadline_rules is second.deadline_rules is third.deadline_rules
    assert "promised_final_response" in holding.deadline_rules
    assert "promised_final_response" not in first.deadline_rules
    assert list(holding.deadline_rules)[-1] == "promised_final_response"


def test_a_letters_fos_right_is_the_complaints_fos_decision_after_its_step(firm):
    """A response's letter asks once whether the FOS can consider the complaint, before the
    transition: the answer is the one the complaint gives after it (the FOS decision reads
    the activity, the firm and the event date, which no response changes)."""
    event = {"event_date": "2026-03-01"}  # before the regime's commencement: no FOS
    rows = [*GOOD, *(row(r["firm_reference"] + "-E", **{**r, **event}) for r in GOOD[2:7])]
    rights = set()
    for plan in _plans(firm, rows):
        fos = fos_available_for(plan.complaint)
        for kind, _at, fos_right, six_month, _text in plan.communications:
            if kind in LETTERS_WITH_FOS_RIGHT:
                assert fos_right == fos, (plan.row.values["firm_reference"], kind)
                assert six_month <= fos
                rights.add(fos_right)
    assert rights == {True, False}


def test_shared_deadline_rules_refuse_a_change_in_place_and_copy_as_plain_dicts(firm):
    """Complaints share one rules dict per DISP clock result: a change in place would rewrite
    every complaint holding it (and every later one in the process), so it is refused, inner
    dicts included; a copy is a plain dict of its own; the JSON is a dict's."""
    import copy
    import json
    import pickle

    first, second = (p.complaint for p in _plans(firm, [row("S-1"), row("S-2")]))
    shared = first.deadline_rules
    assert shared is second.deadline_rules
    before = json.dumps(shared)
    for change in (
        lambda r: r.__setitem__("x", {}),
        lambda r: r.update(x={}),
        lambda r: r.pop("final_response"),
        lambda r: r.setdefault("x", {}),
        lambda r: r.clear(),
        lambda r: r.popitem(),
        lambda r: r.__delitem__("final_response"),
        lambda r: r["final_response"].__setitem__("label", "changed"),
    ):
        with pytest.raises(TypeError, match="read-only"):
            change(shared)
    assert json.dumps(second.deadline_rules) == before
    for made in (copy.deepcopy(shared), pickle.loads(pickle.dumps(shared))):
        assert made == shared and type(made) is dict
        assert type(made["final_response"]) is dict
        made["final_response"]["label"] = "mine"  # a copy is the caller's to change
    assert json.loads(before) == shared
