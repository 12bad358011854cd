"""REST API v1: each app keeps its routes in ``<app>/api/urls.py``.

The Swagger UI is the "split" view: its init script is a separate URL, not inline, so it
works under the Content-Security-Policy (script-src 'self').
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("institutions.api.urls")),
    path("", include("respondents.api.urls")),
    path("", include("enumeration.api.urls")),
    path("", include("equipment.api.urls")),
    path("", include("sync.api.urls")),
    path("", include("censusdb.api.urls")),
    path("", include("reminders.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
