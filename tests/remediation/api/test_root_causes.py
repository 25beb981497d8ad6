"""API: the root-cause taxonomy and its assignment to complaints."""

import pytest

from remediation.services.root_causes import root_cause_create

pytestmark = pytest.mark.django_db


def test_root_cause_taxonomy_and_assignment(api, complaint, firm, supervisor):
    parent = root_cause_create(firm=firm, actor=supervisor, name="Platform")
    child = root_cause_create(firm=firm, actor=supervisor, name="Outage", parent_id=parent.pk)
    tree = api.get("/api/remediation/root-causes/").json()
    assert [(n["path"], n["depth"]) for n in tree] == [("Platform", 0), ("Platform › Outage", 1)]
    r = api.post(
        f"/api/remediation/complaints/{complaint.pk}/root-causes/",
        {"root_cause": child.pk},
        format="json",
    )
    assert r.status_code == 201 and r.json()["path"] == "Platform › Outage"
    dup = api.post(
        f"/api/remediation/complaints/{complaint.pk}/root-causes/",
        {"root_cause": child.pk},
        format="json",
    )
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate"
    assert (
        api.delete(
            f"/api/remediation/complaints/{complaint.pk}/root-causes/{child.pk}/"
        ).status_code
        == 204
    )
