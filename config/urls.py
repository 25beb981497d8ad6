from django.contrib import admin
from django.urls import include, path

from audit.signin import ThrottledPasswordResetView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: password reset throttled per address and per account (audit.signin).
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    path("letters/", include("letters.urls")),
    path("remediation/", include("remediation.urls")),
    path("notifications/", include("notifications.urls")),
    path("intake/", include("intake.urls")),
    path("fos/", include("fos.urls")),
    path("reporting/", include("reporting.urls")),
    path("audit/", include("audit.urls")),
    path("", include("complaints.urls")),
]

handler404 = "common.errorviews.not_found"
handler500 = "common.errorviews.server_error"
