"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from respondents.api.review import ArrivalViewSet, DepartureViewSet, RespondentListReviewViewSet
from respondents.api.views import ImportJobViewSet, RespondentListViewSet, RespondentViewSet

router = ApiRouter()
router.register("respondent-lists", RespondentListViewSet, basename="respondent-list")
router.register(
    r"respondent-lists/(?P<list_pk>[0-9]+)/respondents", RespondentViewSet, basename="respondent"
)
router.register("import-jobs", ImportJobViewSet, basename="import-job")
# Review and amendments (respondents/api/review.py): actions on the same paths.
router.register("respondent-lists", RespondentListReviewViewSet, basename="respondent-list-review")
router.register("respondent-lists", ArrivalViewSet, basename="respondent-list-amendment")
router.register(
    r"respondent-lists/(?P<list_pk>[0-9]+)/respondents",
    DepartureViewSet,
    basename="respondent-amendment",
)

urlpatterns = router.urls
