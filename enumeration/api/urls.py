"""API routes of stage 2, included under /api/v1/."""

from django.urls import path

from census_coord.routers import ApiRouter
from enumeration.api.outcomes import CertificateViewSet, OutcomeViewSet
from enumeration.api.views import EnumerationBatchView

router = ApiRouter()
router.register("enumerations", OutcomeViewSet, basename="enumeration-outcome")
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = [
    path("enumerations/batch/", EnumerationBatchView.as_view(), name="enumeration-batch"),
    *router.urls,
]
