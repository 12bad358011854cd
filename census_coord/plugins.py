"""Plug-in modules that apps contribute by name (``<app>/readiness_items.py``, ``<app>/demo.py``).

Django's ``autodiscover_modules`` imports the module of every installed app that has one (an
app without it is skipped; an error inside an existing module is raised, never hidden). The
modules come back in ``INSTALLED_APPS`` order, so a registry's order is the apps' order.
"""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


def plugin_modules(module_name: str) -> list[ModuleType]:
    """The ``<app>.<module_name>`` module of every installed app that has one, in app order."""
    autodiscover_modules(module_name)
    found = (sys.modules.get(f"{config.name}.{module_name}") for config in apps.get_app_configs())
    return [module for module in found if module is not None]
