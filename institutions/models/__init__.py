from institutions.models.campaign import Campaign
from institutions.models.institution import Institution, ResponsibleStaff
from institutions.models.provisioning import Provisioning
from institutions.models.reference import District, InstitutionType, Region
from institutions.models.training import Seminar, SeminarAttendance, attended_campaign_seminar

__all__ = [
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
