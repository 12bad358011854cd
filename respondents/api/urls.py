"""API routes of this app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from respondents.api import enumeration

router = SimpleRouter()

urlpatterns = router.urls
urlpatterns += enumeration.urlpatterns
