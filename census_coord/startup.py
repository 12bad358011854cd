"""What a production process checks before it serves anything."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command


def refuse_unsafe_start() -> None:
    """Run the database deployment checks (``audit.E001``: the application's role must
    not own the audit table) and stop the process on an error.

    ``SystemCheckError`` propagates, so gunicorn's worker fails to boot and a Celery worker
    exits, instead of running with a trail it could rewrite. ``STARTUP_DATABASE_CHECKS``
    is on in production settings only.
    """
    if not getattr(settings, "STARTUP_DATABASE_CHECKS", False):
        return
    call_command("check", deploy=True, tags=["database"], databases=["default"], fail_level="ERROR")
