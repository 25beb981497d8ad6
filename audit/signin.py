"""Sign-in protection: whose address a request comes from, and the password-reset throttle.

The client address (used by django-axes for the lockout and by the password-reset throttle) is
``REMOTE_ADDR`` unless that address is one of ``TRUSTED_PROXIES``. Only then is
``X-Forwarded-For`` believed, and only as far as django-ipware reads it with the configured
number of proxies (``TRUSTED_PROXY_COUNT``): each proxy appends the address it received the
request from, so the client is the entry that many hops from the right. Anything the client
itself put in the header sits further left and is never read. A request that reaches the app
directly (not through a trusted proxy) has its header ignored, so it cannot dodge the lockout.
"""

from __future__ import annotations

import hashlib
import ipaddress
from functools import cache

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ipware import get_client_ip


@cache
def _trusted_networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # a dual-stack socket's ::ffff:10.0.0.1 is the proxy's 10.0.0.1
    return any(ip in net for net in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, through the trusted proxies if any (see above).

    django-axes calls this (``AXES_CLIENT_IP_CALLABLE``) for every sign-in attempt.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(remote):
        return remote
    # X-Forwarded-For names the client and every proxy but the last one (which is REMOTE_ADDR),
    # and ipware counts the proxies named in the header: hence one fewer.
    address, _routable = get_client_ip(
        request,
        proxy_count=max(settings.TRUSTED_PROXY_COUNT - 1, 0),
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    # A trusted proxy that sent no usable header: the proxy is all we know.
    return address or remote


# --- password reset throttle -------------------------------------------------------------


def _over_limit(kind: str, value: str, limit: int) -> bool:
    """Count one request against ``kind``/``value`` in the current window; True past the limit."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
    key = f"password-reset:{kind}:{digest}"
    django_cache.add(key, 0, timeout=settings.PASSWORD_RESET_WINDOW.total_seconds())
    try:
        count = django_cache.incr(key)
    except ValueError:  # expired between add and incr: a fresh window
        django_cache.add(key, 1, timeout=settings.PASSWORD_RESET_WINDOW.total_seconds())
        count = 1
    return count > limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per e-mail address entered.

    The per-account count is kept for whatever address is typed, whether or not an account has
    it, so the answer (the usual "check your e-mail" page, or the 429 page) says nothing about
    which accounts exist.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = str(request.POST.get("email", "")).strip().lower()
        by_address = _over_limit(
            "address", client_address(request) or "", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        )
        by_account = bool(email) and _over_limit(
            "account", email, settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
        )
        if by_address or by_account:
            minutes = int(settings.PASSWORD_RESET_WINDOW.total_seconds() // 60)
            response = render(
                request,
                "registration/password_reset_throttled.html",
                {"minutes": minutes},
                status=429,
            )
            response["Retry-After"] = str(minutes * 60)
            return response
        return super().post(request, *args, **kwargs)
