"""Celery application.

Configuration is read from Django settings (``CELERY_*``). When ``CELERY_BROKER_URL`` is
unset the settings make tasks run eagerly in-process, so the embedded default needs no
broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.local")

app = Celery("census_coord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
