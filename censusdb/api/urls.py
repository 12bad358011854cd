"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from censusdb.api.reconciliation import ReconciliationViewSet
from censusdb.api.views import CensusExportViewSet

router = ApiRouter()
router.register("census-exports", CensusExportViewSet, basename="census-export")
router.register("census-reconciliation", ReconciliationViewSet, basename="census-reconciliation")

urlpatterns = router.urls
