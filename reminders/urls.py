from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
