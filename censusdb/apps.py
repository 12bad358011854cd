from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CensusDbConfig(AppConfig):
    name = "censusdb"
    verbose_name = _("Census database")

    def ready(self) -> None:
        # The receivers of equipment's return_blocking and of the lists' and campaign's hooks.
        from censusdb import receivers  # noqa: F401
        from censusdb.services import census_export_runner_register
        from censusdb.tablet_delivery import forms_received
        from censusdb.tasks import census_export_run_task
        from sync.hooks import forms_received_register

        # census_export_enqueue hands exports to the task registered here, so that
        # censusdb.tasks imports censusdb.services and not the reverse.
        census_export_runner_register(census_export_run_task)
        # The sync board's "forms received" per tablet comes from the census database.
        forms_received_register(forms_received)
