"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from equipment.api.views import HandoverActViewSet, TabletKitViewSet

router = ApiRouter()
router.register("equipment/kits", TabletKitViewSet, basename="equipment-kit")
router.register("equipment/acts", HandoverActViewSet, basename="equipment-act")

urlpatterns = router.urls
