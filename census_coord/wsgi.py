"""WSGI entry point (gunicorn census_coord.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.production")

application = get_wsgi_application()

from census_coord.startup import refuse_unsafe_start  # noqa: E402  (needs Django set up)

refuse_unsafe_start()
