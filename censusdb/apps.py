from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CensusDbConfig(AppConfig):
    name = "censusdb"
    verbose_name = _("Census database")

    def ready(self) -> None:
        # census_export_enqueue hands exports to the task registered here, so that
        # censusdb.tasks imports censusdb.services and not the reverse.
        from censusdb.services import census_export_runner_register
        from censusdb.tasks import census_export_run_task

        census_export_runner_register(census_export_run_task)
        from censusdb import receivers  # noqa: F401  (the lists' and the campaign's hooks)
