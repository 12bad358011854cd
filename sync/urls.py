from django.urls import path

from sync import views

app_name = "sync"

urlpatterns = [
    path("", views.board, name="board"),
    path("usb/", views.usb_offloads, name="usb_offloads"),
    path("usb/new/", views.usb_offload_create, name="usb_offload_create"),
    path("usb/<int:pk>/uploaded/", views.usb_mark_uploaded, name="usb_mark_uploaded"),
    path("usb/<int:pk>/verified/", views.usb_mark_verified, name="usb_mark_verified"),
    path("institutions/<int:pk>/", views.institution_history, name="institution_history"),
    path("kits/<int:pk>/device-key/", views.kit_device_key, name="kit_device_key"),
]
