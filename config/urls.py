from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The Django admin signs in through the product's sign-in (password, lockout, second factor),
# never through a password-only form of its own.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign-in, two-factor, single sign-on and the password (audit.signin_urls).
    path("accounts/", include("audit.signin_urls")),
    path("api/", include("config.api_urls")),
    path("letters/", include("letters.urls")),
    path("remediation/", include("remediation.urls")),
    path("notifications/", include("notifications.urls")),
    path("intake/", include("intake.urls")),
    path("fos/", include("fos.urls")),
    path("evidence/", include("evidence.urls")),
    path("reporting/", include("reporting.urls")),
    path("audit/", include("audit.urls")),
    path("inbox/", include("inbox.urls")),
    path("", include("complaints.urls")),
]

handler404 = "common.errorviews.not_found"
handler500 = "common.errorviews.server_error"
