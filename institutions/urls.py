from django.urls import path

from institutions import campaign_views, staff_views, views

app_name = "institutions"

urlpatterns = [
    path("campaign/", campaign_views.campaign_select, name="campaign_select"),
    path("department/", views.department_home, name="department_home"),
    path("department/readiness.xlsx", views.readiness_export, name="readiness_export"),
    path("department/reports/", staff_views.report_queue, name="report_queue"),
    path(
        "department/reports/<str:kind>/<int:pk>/confirm/",
        staff_views.report_confirm,
        name="report_confirm",
    ),
    path(
        "department/reports/<str:kind>/<int:pk>/return/",
        staff_views.report_return,
        name="report_return",
    ),
    path("department/seminars/", staff_views.department_seminars, name="department_seminars"),
    path(
        "department/seminars/<int:pk>/attendance.pdf",
        staff_views.attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path("mine/", views.officer_home, name="officer_home"),
    path("mine/staff/", staff_views.staff_part, name="staff_part"),
    path("mine/orders/new/", staff_views.order_report, name="order_report"),
    path("mine/orders/<int:pk>/", staff_views.order_correct, name="order_correct"),
    path("mine/staff/new/", staff_views.staff_report, name="staff_report"),
    path("mine/staff/<int:pk>/", staff_views.staff_correct, name="staff_correct"),
    path(
        "mine/staff/<int:pk>/provisioning/",
        staff_views.provisioning_report,
        name="provisioning_report",
    ),
    path("mine/seminars/", staff_views.officer_seminars, name="officer_seminars"),
    path("mine/seminars/<int:pk>/sign-up/", staff_views.seminar_sign_up, name="seminar_sign_up"),
    path(
        "mine/attendance/<int:pk>/cancel/",
        staff_views.seminar_sign_up_cancel,
        name="seminar_sign_up_cancel",
    ),
    path(
        "mine/attendance/<int:pk>/attended/",
        staff_views.attendance_report,
        name="attendance_report",
    ),
    path("orders/<int:pk>/scan/", staff_views.order_scan, name="order_scan"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
]
