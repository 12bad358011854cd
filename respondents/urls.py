from django.urls import path

from respondents import list_paper_views, review_views, views
from respondents.importing import views as import_views

app_name = "respondents"

urlpatterns = [
    path("mine/", views.my_list, name="my_list"),
    path("board/", views.board, name="board"),
    path("board/review/", review_views.board_review, name="board_review"),
    path("conflicts/", views.conflict_queue, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict_resolve, name="conflict_resolve"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/add/", views.row_add, name="row_add"),
    path("<int:pk>/rows/<int:row>/edit/", views.row_edit, name="row_edit"),
    path("<int:pk>/rows/<int:row>/delete/", views.row_delete, name="row_delete"),
    path("<int:pk>/rows/<int:row>/departure/", views.departure_record, name="departure"),
    path("<int:pk>/arrival/", views.arrival_add, name="arrival_add"),
    path("<int:pk>/submit/", views.list_submit, name="submit"),
    path("<int:pk>/review/", views.list_review, name="review"),
    path("<int:pk>/export/", views.list_export, name="export"),
    # The list as a paper (respondents.list_paper_views)
    path("<int:pk>/pdf/", list_paper_views.list_pdf, name="list_pdf"),
    path("<int:pk>/pdf/prepare/", list_paper_views.list_pdf_prepare, name="list_pdf_prepare"),
    path("<int:pk>/pdf/file/", list_paper_views.list_pdf_file, name="list_pdf_file"),
    path("<int:pk>/signed-scans/", list_paper_views.signed_scans, name="signed_scans"),
    path(
        "<int:pk>/signed-scans/<int:scan>/",
        list_paper_views.signed_scan_download,
        name="signed_scan_download",
    ),
    # File imports (respondents.importing.views)
    path("<int:pk>/import/", import_views.import_upload, name="import_upload"),
    path("imports/<int:job>/", import_views.import_job, name="import_job"),
    path("imports/<int:job>/status/", import_views.import_job_status, name="import_job_status"),
    path(
        "imports/<int:job>/errors.<str:kind>",
        import_views.import_job_errors,
        name="import_job_errors",
    ),
    path(
        "import-template/<str:language>.<str:kind>",
        import_views.import_template,
        name="import_template",
    ),
]
