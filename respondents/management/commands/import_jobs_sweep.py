"""Hand stuck import jobs to a worker again, as the beat task does every minute.

    python manage.py import_jobs_sweep

For a deployment without beat, or to unstick jobs at once after an outage. Safe to run at
any time, also while beat runs (the sweep is idempotent).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from respondents.importing.supervision import import_jobs_sweep


class Command(BaseCommand):
    help = "Re-queue import jobs no worker took or whose worker stopped; fail those lost twice."

    def handle(self, *args: Any, **options: Any) -> None:
        result = import_jobs_sweep()
        self.stdout.write(
            f"handed over: {len(result.handed_over)}, re-queued: {len(result.requeued)}, "
            f"failed: {len(result.failed)}"
        )
