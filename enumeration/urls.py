"""Stage-2 pages, under /lists/stage2/ as before they moved out of respondents."""

from django.urls import path

from enumeration import department_views, views, worklist_print

app_name = "enumeration"

urlpatterns = [
    path("enumeration/", views.worklist, name="worklist"),
    path("enumeration/institution/<int:institution>/", views.worklist, name="worklist_of"),
    path(
        "enumeration/institution/<int:institution>/print/",
        worklist_print.worklist_pdf,
        name="worklist_pdf",
    ),
    path("enumeration/person/<int:pk>/", views.enumeration_edit, name="enumeration_edit"),
    path(
        "enumeration/person/<int:pk>/certificate/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "enumeration/institution/<int:institution>/certificates/",
        department_views.certificates_bulk_issue,
        name="certificates_bulk_issue",
    ),
    path("certificates/", views.certificate_register, name="certificates"),
    path(
        "certificates/print/",
        department_views.certificates_bulk_pdf,
        name="certificates_bulk_pdf",
    ),
    path("people/search/", department_views.person_search_page, name="person_search"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("progress/", views.dashboard, name="progress"),
    path("progress/export/", views.progress_export, name="progress_export"),
    path("progress/reconciliation/", views.reconciliation, name="reconciliation"),
]
