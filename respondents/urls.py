from django.urls import include, path

from respondents import views

app_name = "respondents"

urlpatterns = [
    path("mine/", views.my_list, name="my_list"),
    path("board/", views.board, name="board"),
    path("conflicts/", views.conflict_queue, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict_resolve, name="conflict_resolve"),
    path("stage2/", include("respondents.urls_stage2")),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/add/", views.row_add, name="row_add"),
    path("<int:pk>/rows/<int:row>/edit/", views.row_edit, name="row_edit"),
    path("<int:pk>/rows/<int:row>/delete/", views.row_delete, name="row_delete"),
    path("<int:pk>/rows/<int:row>/departure/", views.departure_record, name="departure"),
    path("<int:pk>/arrival/", views.arrival_add, name="arrival_add"),
    path("<int:pk>/submit/", views.list_submit, name="submit"),
    path("<int:pk>/review/", views.list_review, name="review"),
    path("<int:pk>/export/", views.list_export, name="export"),
]
