from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnumerationConfig(AppConfig):
    name = "enumeration"
    verbose_name = _("Enumeration")

    def ready(self) -> None:
        from enumeration import receivers  # noqa: F401  (respondents' and institutions' hooks)
