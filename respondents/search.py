"""The Department's person search: one person across every list of the region.

A person is found by IIN, or by surname (and, if given, the start of the given name) with
the birth date. Names are compared as people mean them, not as they were typed: case,
``ё``/``е`` and Latin look-alike letters inside a Cyrillic word (``census_coord.lookalikes``)
do not hide anyone. The birth date narrows the rows in the database first, so the names
of a handful of candidates are compared in Python, where Kazakh letters fold correctly on
every database.

Reads only: the page that asks records the search (``audit.entry.record_search``), and
the rows come through ``scope_queryset`` like every other selector's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord.lookalikes import name_to_one_script
from respondents.models import Amendment, ListTransition, Respondent

LIST_PATH = "respondent_list__institution"
# A search names one person; more matches than this mean the criteria are too broad.
MAX_MATCHES = 50


def name_key(text: str) -> str:
    """``text`` as the search compares it: one script a word, lower case, ``ё`` as ``е``,
    single spaces."""
    one_script = name_to_one_script(" ".join(text.split())).text
    return one_script.casefold().replace("ё", "е")


@dataclass(frozen=True)
class PersonQuery:
    """What the Department searches by: an IIN, or a surname with the birth date."""

    iin: str = ""
    surname: str = ""
    given_name: str = ""
    birth_date: dt.date | None = None


def person_search(*, user: Actor, query: PersonQuery) -> list[Respondent]:
    """Rows of every list ``user`` may see that name the person, newest campaign first
    (at most ``MAX_MATCHES`` + 1, so the caller can say there were more)."""
    rows = scope_queryset(
        Respondent.objects.select_related(
            "respondent_list__institution__district", "respondent_list__campaign"
        ),
        user=user,
        institution_path=LIST_PATH,
    ).order_by("-respondent_list__campaign__critical_moment", "surname", "given_name", "pk")
    if query.iin:
        return list(rows.filter(iin=query.iin)[: MAX_MATCHES + 1])
    if not query.surname or query.birth_date is None:
        return []
    surname = name_key(query.surname)
    given = name_key(query.given_name)
    found = []
    for row in rows.filter(birth_date=query.birth_date).iterator():
        if name_key(row.surname) != surname:
            continue
        if given and not name_key(row.given_name).startswith(given):
            continue
        found.append(row)
        if len(found) > MAX_MATCHES:
            break
    return found


@dataclass
class PersonHistory:
    """What happened to the lists and the people found: amendments per person, the
    status changes of each list."""

    amendments: dict[int, list[Amendment]] = field(default_factory=dict)
    list_events: dict[int, list[ListTransition]] = field(default_factory=dict)


def person_history(*, respondents: list[Respondent]) -> PersonHistory:
    """The history of rows already obtained through ``person_search`` (two queries)."""
    history = PersonHistory()
    if not respondents:
        return history
    amendments: dict[int, list[Amendment]] = defaultdict(list)
    for amendment in (
        Amendment.objects.filter(respondent__in=respondents)
        .select_related("actor")
        .order_by("effective_on", "pk")
    ):
        amendments[amendment.respondent_id].append(amendment)
    events: dict[int, list[ListTransition]] = defaultdict(list)
    list_ids = {row.respondent_list_id for row in respondents}
    for event in (
        ListTransition.objects.filter(respondent_list_id__in=list_ids)
        .select_related("actor")
        .order_by("at", "pk")
    ):
        events[event.respondent_list_id].append(event)
    history.amendments = dict(amendments)
    history.list_events = dict(events)
    return history
