"""WSGI entry point (gunicorn census_coord.wsgi).

Once the app is loaded its objects (modules, models, settings, the URL and template
machinery) live as long as the process: ``gc.freeze`` moves them out of the collector's
reach, so that the full collections a request's allocations trigger now and then do not
walk 140,000 objects each time (about 5 ms a request on the readiness board,
docs/PERFORMANCE.md, round 4). Nothing is leaked: frozen objects are never freed anyway.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.production")

application = get_wsgi_application()

from census_coord.startup import refuse_unsafe_start  # noqa: E402  (needs Django set up)

refuse_unsafe_start()
gc.freeze()
