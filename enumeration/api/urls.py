"""API routes of stage 2, included under /api/v1/."""

from django.urls import path

from enumeration.api.views import EnumerationBatchView

urlpatterns = [
    path("enumerations/batch/", EnumerationBatchView.as_view(), name="enumeration-batch"),
]
