"""Hooks that institutions publishes for the apps built on it.

Sent by institutions' services *inside their transaction*, so a receiver's writes commit
or roll back with the change; receivers get keyword arguments only (``sender`` is
``Campaign``).

- ``campaign_dates_changed`` — sent by ``campaign_dates_change`` with ``campaign`` and
  ``fields`` (the names of the date fields whose value changed). What depends on a date
  recounts itself here: ``enumeration`` rebuilds the campaign's progress counters when the
  critical moment moved. The return value is ignored.
"""

from __future__ import annotations

from django.dispatch import Signal

campaign_dates_changed = Signal()
