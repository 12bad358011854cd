"""App configs that give third-party apps a translated name in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (locked-out sign-ins) names itself "Axes"; the Department reads it in
    kk/ru. Its models' names are translated in locale_overrides/."""

    verbose_name = _("Sign-in protection")
