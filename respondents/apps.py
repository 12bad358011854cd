from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespondentsConfig(AppConfig):
    name = "respondents"
    verbose_name = _("Respondent lists")

    def ready(self) -> None:
        # The import supervisor enqueues through the task registered here, so that
        # respondents.tasks imports respondents.importing.supervision and not the reverse.
        # The list paper's jobs likewise.
        from respondents.importing.supervision import import_runner_register
        from respondents.list_paper_jobs import list_paper_renderer_register
        from respondents.tasks import list_paper_render, respondent_import_run

        import_runner_register(respondent_import_run)
        list_paper_renderer_register(list_paper_render)
