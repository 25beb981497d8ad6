"""The single enforcement point: require_perm, RequirePermMixin, HasFirmPerm, and the table."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from audit.management.commands.access_table import DOC_PATH, render_access_table
from complaints.access import (
    ROLE_PERMISSIONS,
    HasFirmPerm,
    Perm,
    RequirePermMixin,
    declared_perm,
    ensure_perm,
    require_perm,
)
from complaints.models import Complaint
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def _request(user, method="get", path="/x/", firm_id=None):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    request.session = {"firm_id": firm_id} if firm_id else {}
    return request


@require_perm({"read": Perm.VIEW_COMPLAINTS, "write": Perm.HANDLE_COMPLAINTS})
def firm_page(request):
    return HttpResponse(f"firm {request.firm_id}")


@require_perm(Perm.REVIEW_AUDIT, model=Complaint, kwarg="complaint_id")
def complaint_page(request, complaint_id):
    return HttpResponse(request.scoped_object.reference)


class ComplaintView(RequirePermMixin, View):
    required_perm = Perm.REOPEN_COMPLAINTS
    scoped_model = Complaint
    scoped_kwarg = "pk"

    def get(self, request, pk):
        return HttpResponse("ok")


def test_access_table_in_docs_is_generated_from_role_permissions(capsys):
    """docs/access.md is exactly the access_table command's output: code and docs agree."""
    call_command("access_table")
    assert capsys.readouterr().out == DOC_PATH.read_text(encoding="utf-8")
    call_command("access_table", "--check")
    for perm in Perm:
        assert f"`{perm.value}`" in render_access_table()


def test_the_table_marks_exactly_what_each_role_holds():
    rows = [
        line for line in render_access_table().splitlines() if line.startswith("| ") and "`" in line
    ]
    for perm, row in zip(Perm, rows, strict=True):
        marks = [cell.strip() for cell in row.split("|")[2:-1]]
        assert marks == ["✔" if perm in perms else "—" for perms in ROLE_PERMISSIONS.values()]


def test_require_perm_uses_the_role_in_the_firm_selected_in_the_session(firm, firm_b):
    user = MembershipFactory(firm=firm, role="reporting_officer").user
    MembershipFactory(firm=firm_b, role="handler", user=user)

    assert firm_page(_request(user, firm_id=firm.pk)).content == f"firm {firm.pk}".encode()
    with pytest.raises(PermissionDenied):  # reporting officers do not handle complaints
        firm_page(_request(user, "post", firm_id=firm.pk))
    # Switch to firm B, where the same user is a handler.
    assert firm_page(_request(user, "post", firm_id=firm_b.pk)).status_code == 200


def test_require_perm_sends_anonymous_users_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    response = firm_page(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_firms_object_is_404_a_colleagues_beyond_the_role_is_403(
    firm, firm_b, supervisor, handler
):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert complaint_page(_request(supervisor), complaint_id=complaint.pk).status_code == 200
    with pytest.raises(PermissionDenied):
        complaint_page(_request(handler), complaint_id=complaint.pk)
    outsider = MembershipFactory(firm=firm_b, role="supervisor").user
    with pytest.raises(Http404):
        complaint_page(_request(outsider), complaint_id=complaint.pk)
    with pytest.raises(Http404):
        complaint_page(_request(supervisor), complaint_id=complaint.pk + 999)


def test_class_based_views_declare_and_enforce_the_same_way(firm, firm_b, supervisor, handler):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    view = ComplaintView.as_view()
    assert view(_request(supervisor), pk=complaint.pk).status_code == 200
    with pytest.raises(PermissionDenied):
        view(_request(handler), pk=complaint.pk)
    with pytest.raises(Http404):
        view(_request(MembershipFactory(firm=firm_b, role="supervisor").user), pk=complaint.pk)


def test_declared_perm_picks_the_most_specific_entry():
    decl = {
        "approve": Perm.APPROVE_LETTERS,
        "POST": Perm.HANDLE_COMPLAINTS,
        "read": Perm.VIEW_COMPLAINTS,
    }
    assert declared_perm(decl, "POST", "approve") == Perm.APPROVE_LETTERS
    assert declared_perm(decl, "post") == Perm.HANDLE_COMPLAINTS
    assert declared_perm(decl, "HEAD") == Perm.VIEW_COMPLAINTS
    assert declared_perm(decl, "DELETE") is None  # undeclared methods are refused
    assert declared_perm(Perm.VIEW_MI, "DELETE") == Perm.VIEW_MI


class ComplaintAPI(APIView):
    permission_classes = [HasFirmPerm]
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "write": Perm.REOPEN_COMPLAINTS}

    def get(self, request, pk):
        complaint = Complaint.objects.get(pk=pk)
        self.check_object_permissions(request, complaint)
        return Response({"reference": complaint.reference})

    post = get


def _api(user, method, pk):
    request = getattr(APIRequestFactory(), method)(f"/api/x/{pk}/")
    force_authenticate(request, user=user)
    return ComplaintAPI.as_view()(request, pk=pk)


def test_drf_has_firm_perm(firm, firm_b, supervisor, handler):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert _api(handler, "get", complaint.pk).status_code == 200
    assert _api(handler, "post", complaint.pk).status_code == 403  # handlers cannot reopen
    assert _api(supervisor, "post", complaint.pk).status_code == 200
    outsider = MembershipFactory(firm=firm_b, role="supervisor").user
    assert _api(outsider, "get", complaint.pk).status_code == 404
    assert _api(outsider, "post", complaint.pk).status_code == 404
    no_firm = MembershipFactory(firm=firm_b, role="admin").user
    assert _api(no_firm, "post", complaint.pk).status_code == 403  # holds it in no firm


@require_perm(
    {"reopen": Perm.REOPEN_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS},
    model=Complaint,
    action_kwarg="action",
)
def act_page(request, pk, action):
    return HttpResponse(action)


def test_require_perm_can_key_the_permission_by_a_url_action(firm, supervisor, handler):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert act_page(_request(handler, "post"), pk=complaint.pk, action="close").status_code == 200
    with pytest.raises(PermissionDenied):  # reopening is the supervisor's
        act_page(_request(handler, "post"), pk=complaint.pk, action="reopen")
    assert act_page(_request(supervisor, "post"), pk=complaint.pk, action="reopen").content == (
        b"reopen"
    )
    assert act_page(_request(handler, "get"), pk=complaint.pk, action="close").status_code == 405


@require_perm(Perm.VIEW_MI, any_firm=True)
def cross_firm_page(request):
    return HttpResponse(",".join(map(str, request.firm_ids)))


def test_require_perm_any_firm_lists_the_firms_where_the_role_allows_it(firm, firm_b):
    user = MembershipFactory(firm=firm, role="handler").user  # no MI here
    with pytest.raises(PermissionDenied):
        cross_firm_page(_request(user, firm_id=firm.pk))
    MembershipFactory(firm=firm_b, role="reporting_officer", user=user)
    user = type(user).objects.get(pk=user.pk)  # memberships are cached per user object
    # Allowed although the selected firm is the one without MI; only firm B is listed.
    assert cross_firm_page(_request(user, firm_id=firm.pk)).content == str(firm_b.pk).encode()


def test_a_malformed_or_out_of_range_id_is_a_404(firm, supervisor):
    for bad in ("abc", "1.5", "-1", "0", str(2**63), "١٢"):
        with pytest.raises(Http404):
            complaint_page(_request(supervisor), complaint_id=bad)


def test_ensure_perm_is_a_403_for_a_second_permission(firm, handler):
    ensure_perm(handler, firm.pk, Perm.HANDLE_COMPLAINTS)
    with pytest.raises(PermissionDenied):
        ensure_perm(handler, firm.pk, Perm.REOPEN_COMPLAINTS)


class ScopedComplaintAPI(APIView):
    permission_classes = [HasFirmPerm]
    required_perm = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.REOPEN_COMPLAINTS}
    scoped_model = Complaint

    def get(self, request, pk):
        return Response({"reference": self.scoped_object.reference})

    post = get


def _scoped_api(user, method, pk):
    request = getattr(APIRequestFactory(), method)(f"/api/y/{pk}/")
    force_authenticate(request, user=user)
    return ScopedComplaintAPI.as_view()(request, pk=pk)


def test_drf_scoped_object_is_a_404_to_any_outsider_before_the_role_is_asked(
    firm, firm_b, supervisor, handler
):
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 6, 10))
    assert _scoped_api(handler, "get", complaint.pk).data == {"reference": complaint.reference}
    assert _scoped_api(handler, "post", complaint.pk).status_code == 403
    assert _scoped_api(supervisor, "post", complaint.pk).status_code == 200
    # An administrator of another firm holds reopen nowhere: still a 404, never a 403 that
    # would confirm the complaint exists.
    for role in ("admin", "supervisor"):
        outsider = MembershipFactory(firm=firm_b, role=role).user
        assert _scoped_api(outsider, "post", complaint.pk).status_code == 404
    # A method the view does not declare is a 405; a malformed id a 404.
    assert _scoped_api(supervisor, "delete", complaint.pk).status_code == 405
    assert _scoped_api(supervisor, "get", "abc").status_code == 404
