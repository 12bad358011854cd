from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import schema  # noqa: F401  (registers the token scheme for OpenAPI)
        from accounts.roles import sync_role_groups
        from census_coord import policy  # noqa: F401  (registers the named permission rules)

        # Permissions exist only after every app has migrated, so the role groups get
        # their permissions here rather than in a migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
