"""Who may see and do what: the one place every view, API endpoint, export and command asks.

Access is per firm membership. Reads are scoped to the user's firms; an object of another firm
is a 404 (never a 403 that would confirm it exists). Permissions are named capabilities granted
to roles in ``ROLE_PERMISSIONS``; the README's access table is generated from it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import BasePermission

from common.compiled import ANY_ID, Compiled
from common.http import AuthenticatedRequest

from .choices import Role
from .models import Complaint, ComplaintQuerySet, Firm, Membership


class FirmRequest(AuthenticatedRequest):
    """A request past ``require_perm``: the user is signed in, the firm the page acts in is
    ``firm_id`` (its membership ``membership``), and a page about one object finds it on
    ``scoped_object`` (another firm's was a 404, beyond the role a 403)."""

    firm_id: int
    membership: Membership | None
    scoped_object: Any


class Perm(StrEnum):
    VIEW_COMPLAINTS = "view_complaints"
    HANDLE_COMPLAINTS = "handle_complaints"  # log, import, acknowledge, respond, notes, redress
    ASSIGN_COMPLAINTS = "assign_complaints"
    REOPEN_COMPLAINTS = "reopen_complaints"
    APPROVE_LETTERS = "approve_letters"
    REVIEW_AUDIT = "review_audit"
    MANAGE_REMEDIATION = "manage_remediation"  # incidents, action register
    VIEW_MI = "view_mi"
    MANAGE_FOS = "manage_fos"
    VIEW_RETURNS = "view_returns"  # periods, snapshots, returns and their exports
    PREPARE_RETURNS = "prepare_returns"
    APPROVE_RETURNS = "approve_returns"
    MANAGE_FIRM = "manage_firm"  # settings, templates, calendars, taxonomy, users, API tokens
    VIEW_VULNERABILITY_DETAIL = "view_vulnerability_detail"  # FG21/1 drivers, note, source


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.HANDLER: frozenset(
        {
            Perm.VIEW_COMPLAINTS,
            Perm.HANDLE_COMPLAINTS,
            Perm.ASSIGN_COMPLAINTS,
            Perm.MANAGE_FOS,
            Perm.VIEW_VULNERABILITY_DETAIL,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Perm.VIEW_COMPLAINTS,
            Perm.HANDLE_COMPLAINTS,
            Perm.ASSIGN_COMPLAINTS,
            Perm.REOPEN_COMPLAINTS,
            Perm.APPROVE_LETTERS,
            Perm.REVIEW_AUDIT,
            Perm.MANAGE_REMEDIATION,
            Perm.VIEW_MI,
            Perm.MANAGE_FOS,
            Perm.VIEW_RETURNS,
            Perm.APPROVE_RETURNS,
            Perm.VIEW_VULNERABILITY_DETAIL,
        }
    ),
    Role.REPORTING_OFFICER: frozenset(
        {
            Perm.VIEW_COMPLAINTS,
            Perm.VIEW_MI,
            Perm.VIEW_RETURNS,
            Perm.PREPARE_RETURNS,
            Perm.APPROVE_RETURNS,
        }
    ),
    Role.ADMIN: frozenset(
        {Perm.VIEW_COMPLAINTS, Perm.REVIEW_AUDIT, Perm.VIEW_MI, Perm.MANAGE_FIRM}
    ),
}


# Compiled once per process (issue 18): every page reads the user's memberships.
_MEMBERSHIPS = Compiled(Membership.objects.select_related("firm").filter(user_id=ANY_ID), ANY_ID)


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = user._memberships_cache = _MEMBERSHIPS.objects(user.pk)
    return cached


def firm_ids(user, perm: Perm | None = None) -> list[int]:
    """The firms in which ``user`` holds ``perm`` (or any role, when perm is None)."""
    return [
        m.firm_id for m in memberships(user) if perm is None or perm in ROLE_PERMISSIONS[m.role]
    ]


def firms(user, perm: Perm | None = None) -> QuerySet[Firm]:
    return Firm.objects.filter(pk__in=firm_ids(user, perm))


def role_in(user, firm_id: int) -> str | None:
    return next((m.role for m in memberships(user) if m.firm_id == firm_id), None)


def has_perm(user, firm_id: int, perm: Perm) -> bool:
    role = role_in(user, firm_id)
    return role is not None and perm in ROLE_PERMISSIONS[role]


def sees_vulnerability(user, firm_id: int) -> bool:
    """FG21/1 detail (drivers, note, how identified) of ``firm_id``'s complainants: health is
    special category data (UK GDPR Art 9), so only roles that respond to it read it."""
    return has_perm(user, firm_id, Perm.VIEW_VULNERABILITY_DETAIL)


def complaints_for(user, perm: Perm = Perm.VIEW_COMPLAINTS) -> ComplaintQuerySet:
    return Complaint.objects.filter(firm_id__in=firm_ids(user, perm))


def get_firm_or_404(user, firm_id: int, perm: Perm | None = None) -> Firm:
    if firm_id not in firm_ids(user, perm):
        raise Http404("No such firm.")
    return Firm.objects.get(pk=firm_id)


def get_complaint_or_404(user, pk: int, perm: Perm = Perm.VIEW_COMPLAINTS) -> Complaint:
    """A complaint the user may see; another firm's (or one beyond the role) is a 404."""
    try:
        return complaints_for(user, perm).select_related("firm", "complainant", "owner").get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint.") from None


# --- One enforcement point --------------------------------------------------------------------
# Every UI view, export and API endpoint declares the permission it needs; the URL isolation test
# (tests/audit/test_url_isolation.py) reads these declarations, so an undeclared view fails CI.

PERM_DESCRIPTIONS: dict[Perm, str] = {
    Perm.VIEW_COMPLAINTS: "See complaints, complainants, letters and deadlines of the firm",
    Perm.HANDLE_COMPLAINTS: (
        "Log (or import a register of), acknowledge, investigate, answer, forward and note "
        "complaints; record their redress and root causes"
    ),
    Perm.ASSIGN_COMPLAINTS: "Assign and reassign complaints to handlers",
    Perm.REOPEN_COMPLAINTS: "Reopen a closed or answered complaint",
    Perm.APPROVE_LETTERS: "Approve DISP letters before they are sent",
    Perm.REVIEW_AUDIT: "Review and export audit trails (per complaint and per user)",
    Perm.MANAGE_REMEDIATION: "Manage incidents (linking, bulk actions) and the action register",
    Perm.VIEW_MI: "See management information and dashboards",
    Perm.MANAGE_FOS: "Record and track Financial Ombudsman Service referrals",
    Perm.VIEW_RETURNS: "See SUP 16.34 reporting periods, client snapshots, returns and exports",
    Perm.PREPARE_RETURNS: "Prepare SUP 16.34 complaints returns",
    Perm.APPROVE_RETURNS: "Approve SUP 16.34 complaints returns for submission",
    Perm.MANAGE_FIRM: (
        "Firm settings, letter templates, calendars, the root-cause taxonomy, users and API tokens"
    ),
    Perm.VIEW_VULNERABILITY_DETAIL: (
        "See a complainant's vulnerability detail (FG21/1 drivers, how it was identified, the "
        "note); everyone else sees only that support needs are recorded"
    ),
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def declared_perm(declaration, method: str, action: str | None = None) -> Perm | None:
    """The permission a view declares for one request.

    ``declaration`` is a Perm, or a dict keyed by DRF action name, HTTP method, "read"/"write"
    or "*" (most specific first).
    """
    if declaration is None or isinstance(declaration, Perm):
        return declaration
    method = method.upper()
    for key in (action, method, "read" if method in SAFE_METHODS else "write", "*"):
        if key is not None and key in declaration:
            return declaration[key]
    return None


def current_membership(request) -> Membership | None:
    """The membership the user works in now: the firm picked in the session, else the first."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    ms = memberships(request.user)
    if not ms:
        return None
    firm_id = request.session.get("firm_id")
    return next((m for m in ms if m.firm_id == firm_id), ms[0])


def firm_id_of(obj, firm_path: str = "firm_id") -> int:
    """Follow ``firm_path`` ("firm_id", "complaint__firm_id", ...) from an object to its firm."""
    value = obj
    for part in firm_path.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Firm) else value


def scope_queryset(queryset: QuerySet, user, perm: Perm | None = None, firm_path="firm_id"):
    """Only rows of the firms in which ``user`` holds ``perm`` (any role when None)."""
    return queryset.filter(**{f"{firm_path}__in": firm_ids(user, perm)})


MAX_ID = 2**63 - 1


def _clean_pk(queryset: QuerySet, pk):
    """A URL's id as the primary key's type; a malformed or out-of-range id is a 404 (never a
    500 from the database)."""
    from django.core.exceptions import ValidationError
    from django.db import models

    field = queryset.model._meta.pk
    if isinstance(field, models.IntegerField | models.AutoField):
        text = str(pk)
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
            raise Http404("Not found.")
        return int(text)
    try:
        return field.to_python(pk)
    except ValidationError:
        raise Http404("Not found.") from None


def get_scoped_object_or_404(
    queryset: QuerySet, user, pk, perm: Perm, firm_path="firm_id", fetch=None
):
    """An object of one of the user's firms, or 404; PermissionDenied when the object is in the
    user's firm but their role there lacks ``perm`` (the object's existence is not a secret to
    a colleague, and 403 tells them why). ``fetch(pk)``: reads the object (or None) instead of
    ``queryset`` (a query compiled once, issue 18); its firm is then checked here."""
    from django.core.exceptions import PermissionDenied

    pk = _clean_pk(queryset, pk)
    if fetch is None:
        obj = scope_queryset(queryset, user, None, firm_path).filter(pk=pk).first()
    elif (obj := fetch(pk)) is not None and firm_id_of(obj, firm_path) not in firm_ids(user):
        obj = None
    if obj is None:
        raise Http404("Not found.")
    try:
        allowed = has_perm(user, firm_id_of(obj, firm_path), perm)
    except AttributeError:
        # A many-valued path (a user's memberships__firm_id): allowed in any of those firms.
        allowed = scope_queryset(queryset, user, perm, firm_path).filter(pk=pk).exists()
    if not allowed:
        raise PermissionDenied(f"Your role does not allow this ({perm.value}).")
    return obj


def ensure_perm(user, firm_id: int, perm: Perm) -> None:
    """A second permission an action needs beyond the view's declared one (e.g. a bulk
    acknowledgement also needs handle_complaints), or one in a firm named in the request body.
    Raises PermissionDenied (a 403 in the UI and the API)."""
    from django.core.exceptions import PermissionDenied

    if not has_perm(user, firm_id, perm):
        raise PermissionDenied(f"Your role in this firm does not allow this ({perm.value}).")


def _queryset(model) -> QuerySet:
    return model._default_manager.all() if hasattr(model, "_default_manager") else model


def check_request(
    request,
    perm: Perm,
    *,
    model=None,
    kwarg: str | None = None,
    kwargs=None,
    firm_path: str = "firm_id",
    any_firm: bool = False,
    fetch=None,
):
    """The check behind ``require_perm`` and ``RequirePermMixin``.

    Without ``model`` the user must hold ``perm`` in the firm selected in the session, or with
    ``any_firm`` in at least one of their firms (a page listing across firms, which scopes its
    rows to ``request.firm_ids``). With ``model``, the object named by URL kwarg ``kwarg`` must
    be in one of the user's firms (else 404) and the user must hold ``perm`` in that object's
    firm (else 403); the object is put on ``request.scoped_object`` so the view does not load
    it twice; ``fetch(pk)`` reads it, if given (``get_scoped_object_or_404``).
    """
    from django.core.exceptions import PermissionDenied

    membership = current_membership(request)
    request.membership = membership
    request.firm_ids = firm_ids(request.user, perm)
    if model is not None:
        obj = get_scoped_object_or_404(
            _queryset(model), request.user, (kwargs or {})[kwarg], perm, firm_path, fetch
        )
        request.scoped_object = obj
        try:
            request.firm_id = firm_id_of(obj, firm_path)
        except AttributeError:
            request.firm_id = membership.firm_id if membership else None
        return obj
    if any_firm:
        if not request.firm_ids:
            raise PermissionDenied(f"Your role does not allow this in any firm ({perm.value}).")
        if membership is not None and membership.firm_id in request.firm_ids:
            request.firm_id = membership.firm_id
        else:
            request.firm_id = request.firm_ids[0]
        return None
    if membership is None or perm not in ROLE_PERMISSIONS[membership.role]:
        raise PermissionDenied(f"Your role in this firm does not allow this ({perm.value}).")
    request.firm_id = membership.firm_id
    return None


def require_perm(
    perm,
    *,
    model=None,
    kwarg: str = "pk",
    firm_path: str = "firm_id",
    any_firm: bool = False,
    action_kwarg: str | None = None,
    fetch=None,
):
    """Decorate a function view: sign-in required, then ``check_request``.

    ``perm`` is a Perm or a per-method dict (see ``declared_perm``), e.g.
    ``{"read": Perm.VIEW_COMPLAINTS, "write": Perm.HANDLE_COMPLAINTS}``. With ``action_kwarg``
    the URL kwarg of that name picks an entry first (``{"reopen": Perm.REOPEN_COMPLAINTS,
    "POST": Perm.HANDLE_COMPLAINTS}`` for ``.../act/<action>/``). A method the declaration does
    not name is a 405. ``fetch(pk)`` reads the ``model`` object (``get_scoped_object_or_404``).
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            action = kwargs.get(action_kwarg) if action_kwarg else None
            needed = declared_perm(perm, request.method, action)
            if needed is None:
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed([])
            check_request(
                request,
                needed,
                model=model,
                kwarg=kwarg,
                kwargs=kwargs,
                firm_path=firm_path,
                any_firm=any_firm,
                fetch=fetch,
            )
            return view(request, *args, **kwargs)

        # Read back by the URL isolation audit (tests/audit/test_url_isolation.py).
        vars(wrapper).update(required_perm=perm, action_kwarg=action_kwarg)
        return wrapper

    return decorator


class RequirePermMixin:
    """Class-based views: declare ``required_perm`` (and ``scoped_model``/``scoped_kwarg``/
    ``firm_path`` for views about one object, ``any_firm`` for lists across firms)."""

    required_perm = None
    scoped_model = None
    scoped_kwarg = "pk"
    firm_path = "firm_id"
    any_firm = False

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import ImproperlyConfigured, PermissionDenied

        if self.required_perm is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare required_perm")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        needed = declared_perm(self.required_perm, request.method)
        if needed is None:
            raise PermissionDenied("Not allowed.")
        check_request(
            request,
            needed,
            model=self.scoped_model,
            kwarg=self.scoped_kwarg,
            kwargs=kwargs,
            firm_path=self.firm_path,
            any_firm=self.any_firm,
        )
        return super().dispatch(request, *args, **kwargs)


class HasFirmPerm(BasePermission):
    """DRF: the view declares ``required_perm`` (Perm or per-action/method dict) and optionally
    ``firm_path`` (default "firm_id").

    - A view about one object declares ``scoped_model`` (a model or queryset) and
      ``scoped_kwarg`` (default "pk"), and may read it by ``scoped_fetch(pk)``: the object is
      looked up before anything else, so another firm's object is a 404 whatever the method or
      the outsider's role, and one in the user's firm where their role lacks the permission is
      a 403. The object is ``view.scoped_object``.
    - A list (no scoped object) needs the permission in at least one firm; the view scopes its
      queryset with ``scope_queryset``/``firm_ids`` (``request.firm_ids`` holds them).
    - A method the declaration does not name is a 405.
    - Views calling ``get_object``/``check_object_permissions`` get the same 404/403 per object.
    """

    message = "Your role does not allow this."

    def _perm(self, request, view) -> Perm | None:
        return declared_perm(
            getattr(view, "required_perm", None), request.method, getattr(view, "action", None)
        )

    def has_permission(self, request, view) -> bool:
        from django.core.exceptions import PermissionDenied

        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        perm = self._perm(request, view)
        if perm is None:
            raise drf_exceptions.MethodNotAllowed(request.method)
        model = getattr(view, "scoped_model", None)
        kwarg = getattr(view, "scoped_kwarg", "pk")
        view_kwargs = getattr(view, "kwargs", None) or {}
        if model is not None and kwarg in view_kwargs:
            firm_path = getattr(view, "firm_path", "firm_id")
            try:
                obj = get_scoped_object_or_404(
                    _queryset(model),
                    user,
                    view_kwargs[kwarg],
                    perm,
                    firm_path,
                    getattr(view, "scoped_fetch", None),
                )
            except PermissionDenied as exc:
                raise drf_exceptions.PermissionDenied(str(exc)) from None
            view.scoped_object = obj
            request.firm_id = firm_id_of(obj, firm_path)
            return True
        request.firm_ids = firm_ids(user, perm)
        if not request.firm_ids:
            raise drf_exceptions.PermissionDenied(
                f"Your role does not allow this in any of your firms ({perm.value})."
                if memberships(user)
                else "You are not a member of any firm."
            )
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        firm_id = firm_id_of(obj, getattr(view, "firm_path", "firm_id"))
        if firm_id not in firm_ids(request.user):
            raise drf_exceptions.NotFound()
        perm = self._perm(request, view)
        return perm is not None and has_perm(request.user, firm_id, perm)
