from django.urls import path

from institutions import views

app_name = "institutions"

urlpatterns = [
    path("department/", views.department_home, name="department_home"),
    path("mine/", views.officer_home, name="officer_home"),
]
