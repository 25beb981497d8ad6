"""Every URL pattern, as every role and as users of another firm: no leak, nothing beyond the table.

Data-driven: the URL list comes from the resolver (UI, exports and /api/; the Django admin is
left out, it is for superusers only), the permissions from each view's own declaration
(``require_perm`` / ``RequirePermMixin.required_perm`` / DRF ``required_perm`` with
``HasFirmPerm``), the roles from ``ROLE_PERMISSIONS``, and the URL kwargs from
``tests/audit/url_objects.py``. A URL that declares nothing, or whose kwargs are not registered,
fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from complaints.access import ROLE_PERMISSIONS, HasFirmPerm, declared_perm
from complaints.choices import Role
from tests.audit.url_objects import URL_KWARGS, URL_NAME_KWARGS, UrlContext
from tests.audit.url_public import LOGIN_ONLY_URLS, PUBLIC_URLS
from tests.factories import FirmFactory, MembershipFactory

SKIPPED_NAMESPACES = {"admin"}
DENIED = {403, 404, 405}


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    # Each route signs in ten users: PBKDF2 would cost seconds per route, and the hash strength
    # is not under test here. Rejected imports write their error file under MEDIA_ROOT.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class Route:
    parts: tuple  # the chain of patterns from the root
    name: str | None
    callback: object

    @property
    def kwargs(self) -> list[str]:
        names: list[str] = []
        for part in self.parts:
            names += [n for n in part.pattern.regex.groupindex if n not in names]
        return names

    @property
    def label(self) -> str:
        return self.name or "".join(str(p.pattern) for p in self.parts)

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")


def walk(resolver=None, parts=(), namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIPPED_NAMESPACES or p.app_name in SKIPPED_NAMESPACES:
                continue
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from walk(p, (*parts, p), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield Route((*parts, p), name, p.callback)


ROUTES = list(walk())


def _fill_regex(regex: str, values: dict[str, str]) -> str:
    out, i = "", 0
    while i < len(regex):
        m = re.compile(r"\(\?P<(\w+)>").match(regex, i)
        if m:
            depth, j = 1, m.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            out += values[m.group(1)]
            i = j
            continue
        out += regex[i]
        i += 1
    out = out.lstrip("^").replace("\\Z", "").replace("$", "").replace("/?", "/")
    return re.sub(r"\\(.)", r"\1", out)


def build_path(route: Route, values: dict) -> str:
    path = ""
    for part in route.parts:
        pattern = part.pattern
        converters = getattr(pattern, "converters", {})
        text = str(pattern)
        if hasattr(pattern, "_route"):
            for name, conv in converters.items():
                text = re.sub(rf"<(?:\w+:)?{name}>", conv.to_url(values[name]), text)
        else:
            text = _fill_regex(pattern.regex.pattern, {k: str(v) for k, v in values.items()})
        path += text
    return "/" + path


def declaration(route: Route):
    cb = route.callback
    if route.is_api:
        cls = cb.cls
        if not any(issubclass(pc, HasFirmPerm) for pc in cls.permission_classes):
            return None
        return getattr(cls, "required_perm", None)
    view_class = getattr(cb, "view_class", None)
    if view_class is not None and getattr(view_class, "required_perm", None) is not None:
        return view_class.required_perm
    return getattr(cb, "required_perm", None)


def methods_for(route: Route) -> list[str]:
    return ["GET", "POST", "PUT", "PATCH", "DELETE"] if route.is_api else ["GET", "POST"]


def action_for(route: Route, method: str, values: dict) -> str | None:
    """The action a declaration may be keyed by: a DRF viewset's action for the method, or the
    URL kwarg a ``require_perm(..., action_kwarg=...)`` view reads (complaints:act)."""
    actions = getattr(route.callback, "actions", None) or {}
    if actions:
        return actions.get(method.lower())
    kwarg = getattr(route.callback, "action_kwarg", None)
    return str(values[kwarg]) if kwarg else None


def kwarg_values(route: Route, ctx: UrlContext) -> tuple[dict, bool, list[str]]:
    values, scoped, missing = {}, False, []
    overrides = URL_NAME_KWARGS.get(route.name or "", {})
    for name in route.kwargs:
        kw = overrides.get(name) or URL_KWARGS.get(name)
        if kw is None:
            missing.append(name)
            continue
        values[name] = kw.factory(ctx)
        scoped = scoped or kw.scoped
    return values, scoped, missing


def _request(client, method: str, path: str):
    return getattr(client, method.lower())(path, follow=False)


def test_the_walker_sees_the_ui_exports_and_api():
    names = {r.name for r in ROUTES}
    assert {"audit:index", "audit:complaint", "audit:complaint_csv", "login"} <= names
    assert not any((r.name or "").startswith("admin:") for r in ROUTES)
    # /api/ patterns are walked too (each app's api_urls).
    api_includes = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/"]
    assert api_includes and isinstance(api_includes[0], URLResolver)


def test_every_url_declares_its_permission_or_is_listed_as_public():
    undeclared = [
        r.label
        for r in ROUTES
        if r.name not in PUBLIC_URLS and r.name not in LOGIN_ONLY_URLS and declaration(r) is None
    ]
    assert undeclared == [], (
        "These URLs do not go through complaints.access (require_perm / RequirePermMixin / "
        "HasFirmPerm with required_perm), nor are listed in tests/audit/url_objects.py: "
        f"{undeclared}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_no_leak_and_nothing_beyond_the_access_table(route, client):
    if route.name in PUBLIC_URLS:
        return
    owner = FirmFactory(name="Owning Firm Ltd")
    other = FirmFactory(name="Other Firm Ltd")
    ctx = UrlContext(firm=owner)
    values, scoped, missing = kwarg_values(route, ctx)
    assert not missing, (
        f"{route.label}: register URL kwarg(s) {missing} in tests/audit/url_objects.py "
        "(URL_KWARGS or URL_NAME_KWARGS) so the isolation test can fill them"
    )
    path = build_path(route, values)
    assert resolve(path).func is route.callback, f"{route.label}: built {path} resolves elsewhere"
    failures: list[str] = []

    # Signed out: never a page of data.
    for method in methods_for(route):
        status = _request(client, method, path).status_code
        if 200 <= status < 300:
            failures.append(f"anonymous {method} {path} -> {status}")

    decl = declaration(route)
    login_only = route.name in LOGIN_ONLY_URLS

    # Users of another firm, whatever their role there: another firm's object is a 404, and
    # nothing of the owning firm appears on their pages. A login-only URL's object is the
    # user's own (a notification): it is a 404 to the owning firm's other members too.
    outsiders = [
        (f"{role} of another firm", MembershipFactory(firm=other, role=role).user) for role in Role
    ]
    if login_only:
        outsiders += [
            (f"{role} of the owning firm", MembershipFactory(firm=owner, role=role).user)
            for role in Role
        ]
    for who, outsider in outsiders:
        client.force_login(outsider)
        statuses = {}
        for method in methods_for(route):
            response = _request(client, method, path)
            statuses[method] = response.status_code
            if scoped and response.status_code not in (404, 405):
                failures.append(f"{who}: {method} {path} -> {response.status_code}, expected 404")
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            body = content.decode(errors="replace")
            leaked = [m for m in ctx.leak_markers if m in body]
            if leaked:
                failures.append(f"{who}: {method} {path} shows {leaked}")
        if scoped and 404 not in statuses.values():
            failures.append(f"{who}: {path} never answered 404: {statuses}")
        client.logout()

    if login_only:
        assert not failures, "\n".join(failures)
        return

    # Each role of the owning firm: denied beyond the table, served within it.
    for role in Role:
        member = MembershipFactory(firm=owner, role=role).user
        client.force_login(member)
        for method in methods_for(route):
            needed = declared_perm(decl, method, action_for(route, method, values))
            allowed = needed is not None and needed in ROLE_PERMISSIONS[role]
            if allowed and method != "GET":
                continue  # do not act: a permitted write is the owning app's own test
            status = _request(client, method, path).status_code
            if not allowed and status not in DENIED:
                failures.append(
                    f"{role}: {method} {path} -> {status} but the table does not "
                    f"allow {needed or 'this method'}"
                )
            if allowed and (status in (403, 404) or status >= 500):
                failures.append(f"{role}: GET {path} -> {status} although allowed {needed}")
        client.logout()

    assert not failures, "\n".join(failures)
