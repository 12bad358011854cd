"""Pages of the census-database import, under /census-db/."""

from django.urls import path

from censusdb import reconciliation_views, views

app_name = "censusdb"

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("forms/", views.record_list_view, name="record_list"),
    path("counts/", views.counts, name="counts"),
    path("reconciliation/", reconciliation_views.reconciliation, name="reconciliation"),
    path(
        "reconciliation/export/",
        reconciliation_views.reconciliation_export,
        name="reconciliation_export",
    ),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
]
