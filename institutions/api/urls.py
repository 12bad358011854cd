"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from institutions.api.views import InstitutionViewSet

router = ApiRouter()
router.register("institutions", InstitutionViewSet, basename="institution")

urlpatterns = router.urls
