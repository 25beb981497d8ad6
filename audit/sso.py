"""Who may come in through django-allauth: nobody signs themselves up, and a single sign-on
through a firm's identity provider (OpenID Connect) finds an existing member of that firm.

A firm's provider is an allauth ``SocialApp`` (provider ``openid_connect``: the issuer URL in
its settings' ``server_url``, the client ID and secret) linked from ``Firm.identity_provider``.
A sign-in through it gets in only when the provider says the e-mail address is verified
(``email_verified``) and exactly one active user with that address (case-insensitive) is a member
of that firm; the account is then linked to the provider's subject (``sub``), and later
sign-ins find it by the subject, still only while the membership lasts. Anything else is
refused with a page saying so: no account and no membership is ever made by signing in.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render

from complaints.models import Firm, Membership

from .signin import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Wrong passwords are django-axes' to count (per username and address), not allauth's:
        its ``login_failed`` limit is left to the second step, wrong codes (settings)."""
        self._login_failed_rl_usage = None

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits see the client behind the trusted proxies, as django-axes does."""
        return client_address(request) or super().get_client_ip(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        app = sociallogin.account.get_provider().app
        firm = Firm.objects.filter(identity_provider__pk=app.pk).first() if app.pk else None
        if firm is None:
            raise _refused(request, None, "This identity provider is not any firm's.")
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = member_by_verified_email(firm, sociallogin)
            if user is None:
                raise _refused(
                    request,
                    firm,
                    "Your identity provider did not give a verified e-mail address of a member "
                    f"of {firm.name}. Ask your firm administrator to add you with the address "
                    "your identity provider holds.",
                )
            sociallogin.connect(request, user)
        if not (user.is_active and Membership.objects.filter(user=user, firm=firm).exists()):
            raise _refused(request, firm, f"You are no longer a member of {firm.name}.")


def member_by_verified_email(firm: Firm, sociallogin: SocialLogin):
    verified = {a.email.lower() for a in sociallogin.email_addresses if a.verified and a.email}
    if len(verified) != 1:
        return None
    users = list(
        get_user_model().objects.filter(
            email__iexact=verified.pop(), is_active=True, memberships__firm=firm
        )[:2]
    )
    return users[0] if len(users) == 1 else None


def _refused(request: HttpRequest, firm: Firm | None, reason: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(
        render(
            request,
            "socialaccount/refused.html",
            {"firm": firm, "reason": reason},
            status=403,
        )
    )
