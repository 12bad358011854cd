"""API routes of this app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from sync.api.views import SyncRecordViewSet

router = SimpleRouter()
router.register("sync-records", SyncRecordViewSet, basename="sync-record")

urlpatterns = router.urls
