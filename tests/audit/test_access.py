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

from complaints.access import (
    ROLE_PERMISSIONS,
    HasFirmPerm,
    Perm,
    RequirePermMixin,
    declared_perm,
    require_perm,
)
from complaints.audit.management.commands.access_table import DOC_PATH, render_access_table
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
