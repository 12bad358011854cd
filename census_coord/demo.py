"""Demo data for `make run`: every app adds its part in ``<app>/demo.py``
(found by ``census_coord.plugins``, in ``INSTALLED_APPS`` order).

Each app's ``seed(context)`` must be idempotent: a second run adds no duplicates, so it
matches rows on natural keys (BIN, codes, numbers) and uses a fixed random seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from census_coord.plugins import plugin_modules


@dataclass
class DemoContext:
    """What seeders share: a seeded random generator, the demo users, and a log."""

    password: str | None
    rng: random.Random = field(default_factory=lambda: random.Random(2021))
    users: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    # A seeder wrote rows behind the services that keep the progress counters (a list's
    # rows, its acceptance): the enumeration seeder recounts them once at the end.
    counters_stale: bool = False

    def say(self, line: str) -> None:
        self.lines.append(line)


def seed_all(*, password: str | None) -> DemoContext:
    context = DemoContext(password=password)
    for module in plugin_modules("demo"):
        module.seed(context)
    return context
