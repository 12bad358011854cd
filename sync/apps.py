from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    verbose_name = _("Tablet sync records")

    def ready(self) -> None:
        from sync import receivers, schema  # noqa: F401  (equipment's hooks; device key scheme)
