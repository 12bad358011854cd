from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespondentsConfig(AppConfig):
    name = "respondents"
    verbose_name = _("Respondent lists")

    def ready(self) -> None:
        # The import supervisor enqueues through the task registered here, so that
        # respondents.tasks imports respondents.importing.supervision and not the reverse.
        from respondents.importing.supervision import import_runner_register
        from respondents.tasks import respondent_import_run

        import_runner_register(respondent_import_run)
