"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from census_coord.health import healthz
from census_coord.views import favicon, home

admin.site.site_header = _("Census coordination")
admin.site.site_title = _("Census coordination")
admin.site.index_title = _("Administration")

# Django's error views, in the site layout, translated, with a way back (census_coord.views).
handler403 = "census_coord.views.permission_denied"
handler404 = "census_coord.views.page_not_found"
handler500 = "census_coord.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's, a PDF).
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("institutions/", include("institutions.urls")),
    # Stage 2 kept the paths it had under respondents (bookmarks, API clients).
    path("lists/stage2/", include("enumeration.urls")),
    path("lists/", include("respondents.urls")),
    path("equipment/", include("equipment.urls")),
    path("sync/", include("sync.urls")),
    path("census-db/", include("censusdb.urls")),
    path("reminders/", include("reminders.urls")),
    path("api/v1/", include("census_coord.api_urls")),
    path("admin/", admin.site.urls),
]

# The database going away answers 503 (JSON for the API), not an HTML 500.
handler500 = "census_coord.unavailable.handler500"
