"""Hooks that respondents publishes for the apps built on it (today: ``enumeration``).

Stage 1 knows nothing of stage 2: it announces what changed and the subscribers
(connected in their ``AppConfig.ready()``) react. Every signal is sent by a respondents
service *inside its transaction*, so a receiver's writes commit or roll back with the
change; a receiver that raises aborts the service. Receivers are called with keyword
arguments only (``sender`` is always ``RespondentList``).

- ``listed_changed`` — sent with ``respondent_list_ids`` when what stage 2 counts may have
  changed for those lists: a list was accepted, a person arrived or departed. The return
  value is ignored.
- ``personal_data_purging`` — sent by ``campaign_personal_data_purge`` with
  ``respondents`` (a queryset of the purged rows). A receiver removes what names a person
  in its own tables and returns ``{name: rows changed}``; the counts join the purge's
  audit event and its result.
"""

from __future__ import annotations

from django.dispatch import Signal

listed_changed = Signal()
personal_data_purging = Signal()
