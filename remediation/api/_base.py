"""The base views every remediation endpoint builds on: firm-scoped access and the actor."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from common.dates import london_date
from complaints import access
from complaints.access import HasFirmPerm, Perm, ensure_perm
from complaints.api.converters import path_param
from complaints.models import Complaint

from ..models import Incident, RedressItem

READ = {"read": Perm.VIEW_COMPLAINTS}
READ_HANDLE = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}


class FirmApiView(APIView):
    """complaints.access's HasFirmPerm: each view declares ``required_perm`` per method; a view
    about one object names its ``scoped_model`` and reads ``self.scoped_object`` (another
    firm's is a 404, a colleague's beyond the role a 403)."""

    permission_classes = [HasFirmPerm]
    required_perm: dict[str, Perm] = {}
    scoped_object: Any  # set by HasFirmPerm before the handler runs

    @property
    def actor(self) -> AbstractBaseUser:
        """The signed-in user acting (HasFirmPerm has already turned anonymous callers away)."""
        user = self.request.user
        if not isinstance(user, AbstractBaseUser):
            raise NotAuthenticated
        return user


@extend_schema(parameters=[path_param("id", "The complaint's id (another firm's is a 404).")])
class ComplaintScoped(FirmApiView):
    scoped_model = Complaint.objects.select_related("firm")


@extend_schema(parameters=[path_param("id", "The redress item's id (another firm's is a 404).")])
class ItemScoped(FirmApiView):
    scoped_model = RedressItem.objects.select_related("complaint")
    firm_path = "complaint__firm_id"


@extend_schema(parameters=[path_param("id", "The incident's id (another firm's is a 404).")])
class IncidentScoped(FirmApiView):
    scoped_model = Incident


def today() -> date:
    return london_date(timezone.now())


def single_firm(request: Request, perm: Perm, firm_id: int | None) -> int:
    """The firm a create acts in: the one named, or the caller's only firm with ``perm``."""
    ids = access.firm_ids(request.user, perm)
    if firm_id is not None:
        if firm_id not in access.firm_ids(request.user):
            raise Http404
        ensure_perm(request.user, firm_id, perm)
        return firm_id
    if len(ids) == 1:
        return int(ids[0])
    raise serializers.ValidationError({"firm": ["You belong to several firms: say which."]})
