"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from census_coord.health import healthz
from census_coord.views import home

admin.site.site_header = admin.site.site_title = "Census coordination"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("institutions/", include("institutions.urls")),
    path("lists/", include("respondents.urls")),
    path("equipment/", include("equipment.urls")),
    path("sync/", include("sync.urls")),
    path("reminders/", include("reminders.urls")),
    path("api/v1/", include("census_coord.api_urls")),
    path("admin/", admin.site.urls),
]

# The database going away answers 503 (JSON for the API), not an HTML 500.
handler500 = "census_coord.unavailable.handler500"
