from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CensusDbConfig(AppConfig):
    name = "censusdb"
    verbose_name = _("Census database")
