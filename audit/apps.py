from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from audit import checks, signals  # noqa: F401  (deploy check; login/logout receivers)
        from audit.mixins import session_search_for_every_admin

        # The admin modules were imported by the admin's own ready() (the first app):
        # third-party ones too (accounts' groups, axes' attempts) then post their search.
        session_search_for_every_admin()
