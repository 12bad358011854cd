from institutions.models.campaign import Campaign
from institutions.models.institution import AppointmentOrder, Institution, ResponsibleStaff
from institutions.models.provisioning import Provisioning
from institutions.models.reference import District, InstitutionType, Region
from institutions.models.training import Seminar, SeminarAttendance, attended_campaign_seminar

__all__ = [
    "AppointmentOrder",
    "Campaign",
    "District",
    "Institution",
    "InstitutionType",
    "Provisioning",
    "Region",
    "ResponsibleStaff",
    "Seminar",
    "SeminarAttendance",
    "attended_campaign_seminar",
]
