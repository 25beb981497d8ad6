"""Everything under /accounts/: signing in and out, the password, the second factor, a firm's
identity provider. Only the django-allauth pages the product uses are mounted (no sign-up, no
e-mail management); the password reset is Django's, throttled (audit.signin)."""

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .signin import ThrottledPasswordResetView
from .twofactor import SignInView

sign_in = SignInView.as_view()

urlpatterns = [
    # allauth's sign-in (the second factor follows it); "login" is the name the pages use.
    path("login/", sign_in, name="login"),
    path("login/", sign_in, name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inactive/", account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Throttled per address and per account; allauth's own links name it account_reset_password.
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="account_reset_password"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The second factor: set up, sign in with, recovery codes (allauth.mfa).
    path("2fa/", include("allauth.mfa.urls")),
    # A firm's identity provider (OpenID Connect): /accounts/oidc/<provider id>/login/.
    path(
        "3rdparty/login/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("3rdparty/login/error/", social_views.login_error, name="socialaccount_login_error"),
    path("3rdparty/signup/", social_views.signup, name="socialaccount_signup"),
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
]
