from django.urls import path

from equipment import views

app_name = "equipment"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kits/", views.kit_list, name="kit_list"),
    path("kits/<int:pk>/replace/", views.kit_replace, name="kit_replace"),
    path("acts/", views.act_list, name="act_list"),
    path("acts/new/", views.act_create, name="act_create"),
    path("acts/<int:pk>/", views.act_detail, name="act_detail"),
    path("acts/<int:pk>/sign/", views.act_sign, name="act_sign"),
    path("acts/<int:pk>/cancel/", views.act_cancel, name="act_cancel"),
    path("acts/<int:pk>/return/", views.act_return, name="act_return"),
    path("acts/<int:pk>/pdf/", views.act_pdf, name="act_pdf"),
    path("acts/<int:pk>/scan/", views.act_scan, name="act_scan"),
    path("returns/<int:pk>/pdf/", views.return_pdf, name="return_pdf"),
    path("overdue/", views.overdue, name="overdue"),
    path("blanks/", views.blanks_report, name="blanks"),
]
