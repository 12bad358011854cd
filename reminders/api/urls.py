"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from reminders.api.views import NotificationViewSet

router = ApiRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
