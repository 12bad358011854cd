from django.urls import path

from institutions import views

app_name = "institutions"

urlpatterns = [
    path("department/", views.department_home, name="department_home"),
    path("department/readiness.xlsx", views.readiness_export, name="readiness_export"),
    path("mine/", views.officer_home, name="officer_home"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
]
