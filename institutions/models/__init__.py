from institutions.models.campaign import Campaign
from institutions.models.institution import Institution, ResponsibleStaff
from institutions.models.reference import District, InstitutionType, Region

__all__ = [
    "Campaign",
    "District",
    "Institution",
    "InstitutionType",
    "Region",
    "ResponsibleStaff",
]
