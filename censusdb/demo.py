"""Demo of the census-database import: one export of the demo campaign with every outcome.

Runs after ``enumeration.demo`` (``INSTALLED_APPS`` order), through the same services as
the Department's upload: forms matched by IIN, by name without IIN (and with Latin
look-alike letters), a transliterated name and two forms for one person (for review), a
form disagreeing with a recorded outcome, a person enumerated at another institution's
BIN, and forms of people on no list; and tablet forms naming the demo officer's two
tablets, all of AKM-TAB-0002's sent forms and all but two of AKM-TAB-0001's (the sync
board's "forms missing", and a return refused until they arrive). Idempotent: once the campaign has the demo's forms
(``DEMO-`` numbers), nothing is added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Sum

from census_coord import clock
from census_coord.demo import DemoContext
from census_coord.lookalikes import CYRILLIC_TO_LATIN as LOOKALIKES
from censusdb import services
from censusdb.models import CensusRecord
from enumeration.selectors import listed_q, pending_q
from equipment.models import TabletKit
from institutions.models import Institution
from institutions.selectors import campaign_get_active
from respondents.matching import CYRILLIC_TO_LATIN, KAZAKH_TO_RUSSIAN
from respondents.models import Respondent
from sync.models import SyncRecord

PREFIX = "DEMO-"
# The demo officer's tablets (sync.demo's syncs) and how many of their forms stay missing.
TABLET_FORMS_MISSING = {"AKM-TAB-0001": 2, "AKM-TAB-0002": 0}


def _row(number: int, person: Respondent | None, day: dt.date, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "form_number": f"{PREFIX}{number:04d}",
        "iin": person.iin if person else "",
        "surname": person.surname if person else "",
        "given_name": person.given_name if person else "",
        "patronymic": person.patronymic if person else "",
        "birth_date": person.birth_date if person else None,
        "method": "online",
        "completed_at": dt.datetime.combine(day, dt.time(11, 15)),
        "tablet": "",
        "bin": person.respondent_list.institution.bin if person else "",
    }
    row.update(values)
    return row


def _tablet_rows(listed: Any, day: dt.date, used: set[int]) -> list[dict[str, Any]]:
    """Forms naming the demo officer's tablets, of pending people (of the tablet's
    institution first): as many as it sent, less ``TABLET_FORMS_MISSING``."""
    rows: list[dict[str, Any]] = []
    kits = TabletKit.objects.filter(
        inventory_number__in=list(TABLET_FORMS_MISSING), holder_institution__isnull=False
    ).order_by("inventory_number")
    for kit in kits:
        sent = SyncRecord.objects.filter(kit=kit).aggregate(n=Sum("form_count"))["n"] or 0
        wanted = max(sent - TABLET_FORMS_MISSING[kit.inventory_number], 0)
        # People of the tablet's institution first (its list may not be accepted yet).
        candidates = listed.filter(pending_q()).exclude(iin="")
        people: list[Respondent] = []
        for narrowed in (
            candidates.filter(respondent_list__institution=kit.holder_institution_id),
            candidates,
        ):
            taken = used | {person.pk for person in people}
            people += narrowed.exclude(pk__in=taken).order_by("pk")[: wanted - len(people)]
        used.update(person.pk for person in people)
        for person in people:
            number = 100 + len(rows) + 1
            rows.append(_row(number, person, day, method="tablet", tablet=kit.inventory_number))
    return rows


def _latin(text: str) -> str:
    return text.lower().translate(KAZAKH_TO_RUSSIAN).translate(CYRILLIC_TO_LATIN).capitalize()


def seed(context: DemoContext) -> None:
    campaign = campaign_get_active()
    department = context.users.get("dept")
    if department is None:
        return
    if CensusRecord.objects.filter(campaign=campaign, form_number__startswith=PREFIX).exists():
        return
    online_day = campaign.online_start + dt.timedelta(days=5)
    if online_day > clock.today():
        return  # nothing completed yet in the census database
    listed = Respondent.objects.filter(listed_q(campaign)).select_related(
        "respondent_list__institution"
    )
    pending = list(listed.filter(pending_q()).exclude(iin="").order_by("pk")[:10])
    decided = listed.filter(enumeration__status="not_enumerated").order_by("pk").first()
    if len(pending) < 10:
        return
    rows = [_row(n, person, online_day) for n, person in enumerate(pending[:3], start=1)]
    # Without IIN: the same name, then the name with Latin look-alike letters typed in.
    rows.append(_row(4, pending[3], online_day, iin=""))
    typed_in: dict[str, str | int | None] = {c: LOOKALIKES[c] for c in "аеосрАЕОСР"}
    rows.append(_row(5, pending[4], online_day, iin="",
                     surname=pending[4].surname.translate(str.maketrans(typed_in))))  # fmt: skip
    # Without IIN, the name in Latin letters: for the Department to confirm.
    rows.append(_row(6, pending[5], online_day, iin="", surname=_latin(pending[5].surname),
                     given_name=_latin(pending[5].given_name), patronymic=""))  # fmt: skip
    # Two forms for one person: both wait for the Department.
    rows.append(_row(7, pending[6], online_day))
    rows.append(_row(8, pending[6], online_day + dt.timedelta(days=1)))
    # Enumerated under another institution's BIN.
    other = Institution.objects.exclude(pk=pending[7].respondent_list.institution_id)
    elsewhere = other.order_by("bin").first()
    rows.append(_row(9, pending[7], online_day, bin=elsewhere.bin if elsewhere else ""))
    tablet_day = campaign.tablet_start + dt.timedelta(days=2)
    if tablet_day <= clock.today():
        rows.append(_row(10, pending[8], tablet_day, method="tablet", tablet="KIT-001"))
        used = {person.pk for person in pending} | ({decided.pk} if decided else set())
        rows.extend(_tablet_rows(listed, tablet_day, used))
    # Recorded as not enumerated by the institution, yet in the census database.
    if decided is not None:
        rows.append(_row(11, decided, online_day))
    # People on no list.
    bin_of = pending[0].respondent_list.institution.bin
    rows.append(_row(12, None, online_day, surname="Смағұлова", given_name="Айжан",
                     birth_date=dt.date(1961, 4, 2), bin=bin_of))  # fmt: skip
    rows.append(_row(13, None, online_day, surname="Ivanov", given_name="Petr",
                     birth_date=dt.date(1979, 11, 30)))  # fmt: skip
    export = services.census_export_create(
        actor=department,
        file=ContentFile(services.rows_as_csv(rows)),
        file_name="demo-census-db.csv",
        campaign=campaign,
        enqueue=False,
    )
    export = services.census_export_run(export_id=export.pk)
    context.say(
        f"Census database: {export.rows_processed} forms, {export.applied} recorded, "
        f"{export.queued} for review, {export.not_listed} on no list."
    )
