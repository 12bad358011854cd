"""API routes of this app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from reminders.api.views import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
