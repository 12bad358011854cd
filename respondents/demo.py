"""Demo respondent lists: most demo institutions, in every state of the review.

Rows pass through the same batch rules as an import (``validate_rows``) and are then
bulk-created. Idempotent: an institution that already has a list is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.types import Actor
from census_coord import clock
from census_coord.demo import DemoContext
from census_coord.kz_ids import with_check_digit
from institutions.demo import DEMO_INSTITUTION_COUNT, PILOT_INSTITUTIONS, demo_bin, pilot_campaign
from institutions.models import Campaign, Institution
from institutions.selectors import campaign_get_active
from respondents import matching, services
from respondents.choices import Citizenship, DepartureReason, ListStatus, ResidenceStatus, Sex
from respondents.importing import demo as import_demo
from respondents.models import ListTransition, Respondent, RespondentList
from respondents.validation import search_text, validate_rows

MALE_SURNAMES = ["Ахметов", "Серікбаев", "Қасымов", "Петров", "Оспанов", "Жұмабаев", "Ким"]
FEMALE_SURNAMES = ["Жұмабаева", "Нұрланова", "Иванова", "Ермекова", "Әлиева", "Сәрсенова"]
MALE_NAMES = ["Бауыржан", "Дәурен", "Мұрат", "Сергей", "Ерлан", "Іліяс", "Асқар"]
FEMALE_NAMES = ["Айгүл", "Гүлнар", "Елена", "Жанар", "Толқын", "Ұлжан", "Әсем"]
MALE_PATRONYMICS = ["Серікұлы", "Иванович", "Қайратұлы", "", "Болатович"]
FEMALE_PATRONYMICS = ["Серікқызы", "Ивановна", "Қайратқызы", "", "Болатовна"]
RETURN_COMMENT = "Бөлме нөмірлерін толтырыңыз / Заполните номера комнат."


def _status_for(number: int) -> str | None:
    """A spread of states; institution №1 (the demo officer's) is returned, to be corrected."""
    if number == 1:
        return ListStatus.RETURNED
    if number % 7 == 0:
        return None  # not started yet
    return [ListStatus.DRAFT, ListStatus.SUBMITTED, ListStatus.ACCEPTED, ListStatus.ACCEPTED][
        number % 4
    ]


def seed(context: DemoContext) -> None:
    campaign = campaign_get_active()
    department = context.users.get("dept")
    officer = context.users.get("officer")
    if department is None:
        return
    serials = iter(range(RespondentList.objects.count() * 400 + 1, 10**6))
    created = 0
    for number in range(1, DEMO_INSTITUTION_COUNT + 1):
        status = _status_for(number)
        institution = Institution.objects.filter(bin=demo_bin(number)).first()
        if status is None or institution is None:
            continue
        if RespondentList.objects.filter(institution=institution, campaign=campaign).exists():
            continue
        actor = officer if number == 1 and officer is not None else department
        _seed_list(context, institution, campaign, status, actor, department, serials)
        created += 1
    wrote_rows = _seed_amendments_and_conflicts(context, campaign, department) or created > 0
    import_demo.seed(
        context,
        RespondentList.objects.filter(institution__bin=demo_bin(1), campaign=campaign).first(),
        officer,
    )
    wrote_rows = _seed_pilot_lists(context, department, serials) or wrote_rows
    context.say(
        f"Respondent lists: {RespondentList.objects.count()} ({created} new), "
        f"{Respondent.objects.count()} respondents."
    )
    # The demo writes accepted lists and their rows directly, not through the services
    # that keep the progress counters, so enumeration's seeder recounts them at the end
    # (only then: a run that added nothing leaves the counters as the services left them).
    context.counters_stale = context.counters_stale or wrote_rows


@transaction.atomic
def _seed_list(
    context: DemoContext,
    institution: Institution,
    campaign: Campaign,
    status: str,
    actor: Actor,
    department: Any,
    serials: Any,
) -> None:
    rng = context.rng
    respondent_list = RespondentList.objects.create(institution=institution, campaign=campaign)
    rows = [
        _person(rng, campaign.list_reference_date, serials)
        for _n in range(max(10, min(institution.expected_residents, 180)))
    ]
    # The institution's own record numbers (external_ref), as its system would export them.
    for number, row in enumerate(rows, start=1):
        row["external_ref"] = f"{institution.bin[-4:]}-{number:05d}"
    results, _errors = validate_rows(rows, reference_date=campaign.list_reference_date)
    Respondent.objects.bulk_create(
        [
            Respondent(
                respondent_list=respondent_list, search_text=search_text(r.values), **r.values
            )
            for r in results
            if r.is_valid
        ],
        batch_size=1000,
    )
    path = {
        ListStatus.DRAFT: [],
        ListStatus.SUBMITTED: [ListStatus.SUBMITTED],
        ListStatus.RETURNED: [ListStatus.SUBMITTED, ListStatus.RETURNED],
        ListStatus.ACCEPTED: [ListStatus.SUBMITTED, ListStatus.ACCEPTED],
    }[status]  # type: ignore[index]  # status is a ListStatus value
    # Submitted and reviewed before the list deadline (or on the census date, if earlier),
    # not on the day the demo is seeded.
    reviewed = min(
        clock.now(),
        timezone.make_aware(
            dt.datetime.combine(
                campaign.list_submission_deadline - dt.timedelta(days=5), dt.time(11)
            )
        ),
    )
    current = ListStatus.DRAFT
    for step in path:
        ListTransition.objects.create(
            respondent_list=respondent_list,
            actor=actor if step == ListStatus.SUBMITTED else department,
            from_status=current,
            to_status=step,
            comment=RETURN_COMMENT if step == ListStatus.RETURNED else "",
        )
        current = step
    # The transitions' time is stamped on creation; set it back to the review day.
    ListTransition.objects.filter(respondent_list=respondent_list).update(at=reviewed)
    respondent_list.status = status
    respondent_list.submitted_at = reviewed if path else None
    respondent_list.accepted_at = reviewed if status == ListStatus.ACCEPTED else None
    respondent_list.review_comment = RETURN_COMMENT if status == ListStatus.RETURNED else ""
    respondent_list.save()


def _person(rng: Any, reference: dt.date, serials: Any) -> dict[str, Any]:
    sex = rng.choice(Sex.values)
    male = sex == Sex.MALE
    born = dt.date(rng.randint(1932, 2020), rng.randint(1, 12), rng.randint(1, 28))
    born = min(born, reference)
    roll = rng.random()
    citizenship = (
        Citizenship.CITIZEN
        if roll < 0.9
        else Citizenship.FOREIGN
        if roll < 0.97
        else Citizenship.STATELESS
    )
    iin = ""
    if citizenship == Citizenship.CITIZEN and rng.random() < 0.98:
        century = {1900: 3, 2000: 5}[born.year // 100 * 100] + (0 if male else 1)
        while not iin:
            iin = with_check_digit(f"{born:%y%m%d}{century}{next(serials) % 10000:04d}") or ""
    residence = rng.choices(ResidenceStatus.values, weights=[85, 8, 7], k=1)[0]
    return {
        "surname": rng.choice(MALE_SURNAMES if male else FEMALE_SURNAMES),
        "given_name": rng.choice(MALE_NAMES if male else FEMALE_NAMES),
        "patronymic": rng.choice(MALE_PATRONYMICS if male else FEMALE_PATRONYMICS),
        "birth_date": born,
        "sex": sex,
        "citizenship": citizenship,
        "citizenship_country": rng.choice(["Ресей", "Өзбекстан", "Қырғызстан"])
        if citizenship == Citizenship.FOREIGN
        else "",
        "iin": iin,
        "iin_absent_reason": "Құжаттары жоқ / Документы утеряны"
        if citizenship == Citizenship.CITIZEN and not iin
        else "",
        "residence_status": residence,
        "unit": str(rng.randint(1, 60)),
        "note": "",
    }


def _demo_accepted_lists(campaign: Campaign) -> list[RespondentList]:
    """The lists the demo accepted, found by their institution's BIN (a natural key): a list
    a user accepts later must not take their place, or the demo would amend it again."""
    numbers = [
        n for n in range(1, DEMO_INSTITUTION_COUNT + 1) if _status_for(n) == ListStatus.ACCEPTED
    ]
    by_bin = {
        respondent_list.institution.bin: respondent_list
        for respondent_list in RespondentList.objects.filter(
            campaign=campaign, institution__bin__in=[demo_bin(n) for n in numbers]
        ).select_related("institution")
    }
    return [by_bin[demo_bin(n)] for n in numbers if demo_bin(n) in by_bin]


def _seed_amendments_and_conflicts(
    context: DemoContext, campaign: Campaign, department: Any
) -> bool:
    """A few arrivals and departures on accepted lists, and a couple of shared IINs.

    Each step is skipped where it (or anything a user did that it would collide with) is
    already there: a list with any amendment gets no demo amendment, and the shared IINs
    are added only while the second list holds none of the first one's IINs. Returns
    whether rows were written directly (the progress counters then need a recount)."""
    accepted = [
        respondent_list
        for respondent_list in _demo_accepted_lists(campaign)
        if respondent_list.status == ListStatus.ACCEPTED
    ]
    if len(accepted) < 3:
        return False
    reference = campaign.list_reference_date
    for offset, respondent_list in enumerate(accepted[:4]):
        if respondent_list.amendments.exists():
            continue
        leaver = (
            respondent_list.respondents.filter(departed_on__isnull=True, arrived_on__isnull=True)
            .order_by("pk")
            .first()
        )
        if leaver is not None:
            services.respondent_record_departure(
                actor=department,
                respondent=leaver,
                departed_on=reference + dt.timedelta(days=10 + offset),
                reason=DepartureReason.DIED if offset == 0 else DepartureReason.LEFT,
                comment="Demo",
            )
        newcomer = _person(context.rng, reference, iter(range(9000 + offset * 50, 10**6)))
        newcomer["birth_date"] = dt.date(1970 + offset, 5, 5)
        newcomer.update(iin="", citizenship=Citizenship.STATELESS)
        services.respondent_add_arrival(
            actor=department,
            respondent_list=respondent_list,
            data=newcomer,
            arrived_on=reference + dt.timedelta(days=20 + offset),
        )
    # The same people listed by a second institution: the department's conflict queue.
    source, target = accepted[0], accepted[1]
    source_iins = source.respondents.exclude(iin="").values("iin")
    if target.respondents.filter(iin__in=source_iins).exists():
        return False
    shared = list(source.respondents.exclude(iin="").filter(departed_on__isnull=True)[:2])
    # And a person without IIN, spelt the Russian way there: a possible duplicate.
    variant = list(source.respondents.filter(iin="").order_by("pk")[:1])
    copies = []
    for person in shared + variant:
        # The other institution's record number is not this one's.
        values = {name: getattr(person, name) for name in services.ROW_FIELDS}
        values["external_ref"] = ""
        if not person.iin:
            values["surname"] = person.surname.translate(matching.KAZAKH_TO_RUSSIAN)
        copies.append(Respondent(respondent_list=target, **values, search_text=search_text(values)))
    Respondent.objects.bulk_create(copies)
    services.conflicts_detect(respondent_list=target)
    return bool(shared)


def _seed_pilot_lists(context: DemoContext, department: Any, serials: Any) -> bool:
    """The pilot campaign's accepted lists (history), written as the lists above are; a
    pilot institution that has its pilot list already is left alone."""
    pilot = pilot_campaign()
    if pilot is None:
        return False
    wrote = False
    # Its own random stream, so that the 2021 demo reads the same with or without it.
    pilot_context = DemoContext(password=None, rng=random.Random(2020))
    for number in PILOT_INSTITUTIONS:
        institution = Institution.objects.filter(bin=demo_bin(number)).first()
        if (
            institution is None
            or RespondentList.objects.filter(institution=institution, campaign=pilot).exists()
        ):
            continue
        _seed_list(
            pilot_context, institution, pilot, ListStatus.ACCEPTED, department, department, serials
        )
        wrote = True
    return wrote
