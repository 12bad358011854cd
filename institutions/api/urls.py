"""API routes of this app, included under /api/v1/."""

from census_coord.routers import ApiRouter
from institutions.api.staff import (
    AppointmentOrderViewSet,
    ProvisioningViewSet,
    SeminarAttendanceViewSet,
    SeminarViewSet,
    StaffViewSet,
)
from institutions.api.views import InstitutionViewSet

router = ApiRouter()
router.register("institutions", InstitutionViewSet, basename="institution")
# The institutions' own part, ¶5–7 (institutions/api/staff.py).
router.register("appointment-orders", AppointmentOrderViewSet, basename="appointment-order")
router.register("staff", StaffViewSet, basename="staff")
router.register("provisioning", ProvisioningViewSet, basename="provisioning")
router.register("seminars", SeminarViewSet, basename="seminar")
router.register("seminar-attendances", SeminarAttendanceViewSet, basename="seminar-attendance")

urlpatterns = router.urls
