"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from respondents.api.views import ImportJobViewSet, RespondentListViewSet, RespondentViewSet

router = ApiRouter()
router.register("respondent-lists", RespondentListViewSet, basename="respondent-list")
router.register(
    r"respondent-lists/(?P<list_pk>[0-9]+)/respondents", RespondentViewSet, basename="respondent"
)
router.register("import-jobs", ImportJobViewSet, basename="import-job")

urlpatterns = router.urls
