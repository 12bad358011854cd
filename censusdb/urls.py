"""Pages of the census-database import, under /census-db/."""

from django.urls import path

from censusdb import views

app_name = "censusdb"

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("forms/", views.record_list_view, name="record_list"),
    path("counts/", views.counts, name="counts"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
]
