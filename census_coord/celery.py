"""Celery application.

Configuration is read from Django settings (``CELERY_*``). When ``CELERY_BROKER_URL`` is
unset the settings make tasks run eagerly in-process, so the embedded default needs no
broker.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.local")

app = Celery("census_coord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_start(**kwargs: object) -> None:
    """A worker writes the audit trail too: the same start check as the web process."""
    # Local: this module loads with the settings package (census_coord/__init__), before Django.
    from census_coord.startup import refuse_unsafe_start

    refuse_unsafe_start()
