"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from sync.api.views import SyncRecordViewSet

router = ApiRouter()
router.register("sync-records", SyncRecordViewSet, basename="sync-record")

urlpatterns = router.urls
