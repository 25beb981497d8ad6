"""Two-factor sign-in (django-allauth's MFA: TOTP and single-use recovery codes), required for
every member of a firm that asks for it (``Firm.require_two_factor``).

Sign-in is allauth's: the username and password page (``SignInForm``, whose fields keep the
names ``username`` and ``password`` so django-axes counts failures per username and address as
before), then, for a user with an authenticator, the code page (``/accounts/2fa/authenticate/``).

``RequireTwoFactorMiddleware`` is the one enforcement point: a session signed in as a member of
any firm requiring it, without an authenticator, reaches only the set-up page (and what it needs:
the recovery codes it shows, sign-out, static files); every other page redirects there and the
API answers 403 ``two_factor_required``. API tokens are machine credentials, checked by DRF in the
view, not here: they are unaffected (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.forms import LoginForm
from allauth.account.views import LoginView
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from complaints.access import memberships

TWO_FACTOR_REQUIRED = "two_factor_required"


class SignInForm(LoginForm):
    """allauth's sign-in form with its ``login`` field posted as ``username``: django-axes reads
    the username from ``username`` (``AXES_USERNAME_FORM_FIELD``), password managers expect it,
    and the sign-in page keeps its field names."""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)


class SignInView(LoginView):
    """allauth's sign-in page, listing the identity providers firms have linked (by the name
    the administrator gave each)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = SocialApp.objects.filter(
            provider="openid_connect", firm__isnull=False
        ).order_by("name")
        return context


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def requires_two_factor(user) -> bool:
    """True when any firm the user belongs to requires two-factor sign-in (from the request's
    memberships, which the pages read anyway: no query of its own)."""
    return any(m.firm.require_two_factor for m in memberships(user))


def _open_paths() -> tuple[str, ...]:
    """What a member still setting up may reach: the set-up page, the password check before it,
    the recovery codes it leads to, signing out, and the static files those pages load."""
    return (
        reverse("mfa_activate_totp"),
        reverse("account_reauthenticate"),
        reverse("mfa_view_recovery_codes"),
        reverse("mfa_download_recovery_codes"),
        reverse("logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_open_paths())
            and requires_two_factor(user)
            and not has_two_factor(user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": TWO_FACTOR_REQUIRED,
                    "message": "Your firm requires two-factor sign-in: set it up at "
                    f"{reverse('mfa_activate_totp')} before using the API from this session.",
                    "fields": {},
                },
                status=403,
            )
        messages.warning(request, "Your firm requires two-factor sign-in: set it up to continue.")
        return redirect("mfa_activate_totp")
