"""REST API v1: each app keeps its routes in ``<app>/api/urls.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("institutions.api.urls")),
    path("", include("respondents.api.urls")),
    path("", include("equipment.api.urls")),
    path("", include("sync.api.urls")),
    path("", include("reminders.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
