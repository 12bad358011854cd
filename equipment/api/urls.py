"""API routes of this app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from equipment.api.views import HandoverActViewSet, TabletKitViewSet

router = SimpleRouter()
router.register("equipment/kits", TabletKitViewSet, basename="equipment-kit")
router.register("equipment/acts", HandoverActViewSet, basename="equipment-act")

urlpatterns = router.urls
