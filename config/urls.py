from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    path("letters/", include("complaints.letters.urls")),
    path("remediation/", include("complaints.remediation.urls")),
    path("notifications/", include("complaints.notifications.urls")),
    path("intake/", include("complaints.intake.urls")),
    path("fos/", include("fos.urls")),
    path("reporting/", include("reporting.urls")),
    path("audit/", include("complaints.audit.urls")),
    path("", include("complaints.urls")),
]

handler404 = "common.errorviews.not_found"
handler500 = "common.errorviews.server_error"
