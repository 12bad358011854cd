"""Demo of stage 2 in its middle: outcomes by every method and status, some certificates.

Runs after ``respondents.demo`` (``INSTALLED_APPS`` order), and recounts the progress
counters when that seeder wrote lists behind the services (``context.counters_stale``).
Idempotent: once the campaign has any enumeration, no outcome is added. Outcomes go
through ``enumeration_record_batch`` like any other entry point; dates stop on 12 October (or the census date, if earlier), so the tablet
window is still open.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from census_coord import clock
from census_coord.demo import DemoContext
from enumeration import services
from enumeration.choices import EnumerationSource, NonEnumerationReason
from enumeration.models import Certificate, Enumeration
from enumeration.progress_services import progress_rebuild
from enumeration.selectors import listed_q
from institutions.demo import pilot_active, pilot_campaign
from institutions.models import Campaign, ResponsibleStaff
from institutions.selectors import campaign_get_active
from respondents.choices import ListStatus
from respondents.models import Respondent, RespondentList

DEMO_TODAY = dt.date(2021, 10, 12)


def _day(rng: Any, start: dt.date, end: dt.date) -> dt.date:
    end = min(end, DEMO_TODAY, clock.today())
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _outcome(rng: Any, campaign: Campaign, staff_id: int | None) -> dict[str, Any]:
    roll = rng.random()
    online = (campaign.online_start, campaign.online_end)
    if roll < 0.40:
        return {
            "status": "enumerated",
            "method": "online_self",
            "enumerated_on": _day(rng, *online),
        }
    if roll < 0.55 and staff_id:
        return {
            "status": "enumerated",
            "method": "online_assisted",
            "enumerated_on": _day(rng, *online),
            "staff_id": staff_id,
        }
    if roll < 0.70:
        return {
            "status": "enumerated",
            "method": "tablet",
            "enumerated_on": _day(rng, campaign.tablet_start, campaign.tablet_end),
            "tablet_kit_ref": f"KIT-{rng.randint(1, 40):03d}",
        }
    if roll < 0.75 and staff_id:
        return {
            "status": "enumerated",
            "method": "admin_records",
            "enumerated_on": _day(rng, *online),
            "staff_id": staff_id,
            "reason_detail": "Ауыр науқас, сөйлей алмайды / Тяжело болен, не может говорить",
        }
    if roll < 0.80:
        reason = rng.choice(NonEnumerationReason.values)
        return {
            "status": "not_enumerated",
            "reason": reason,
            "reason_detail": "Басқа / Другое" if reason == NonEnumerationReason.OTHER else "",
            "enumerated_on": _day(rng, *online),
        }
    return {"status": "pending"}


def seed(context: DemoContext) -> None:
    _seed_outcomes(context)
    if context.counters_stale:
        progress_rebuild(campaign=campaign_get_active())
        pilot = pilot_campaign()
        if pilot is not None:
            progress_rebuild(campaign=pilot)
    _seed_pilot_outcomes(context)


def _seed_outcomes(context: DemoContext) -> None:
    campaign = campaign_get_active()
    department = context.users.get("dept")
    if department is None:
        return
    if Enumeration.objects.filter(respondent__respondent_list__campaign=campaign).exists():
        return
    lists = RespondentList.objects.filter(campaign=campaign, status=ListStatus.ACCEPTED)
    staff_by_institution = {
        s.institution_id: s.pk
        for s in ResponsibleStaff.objects.filter(is_active=True, campaign=campaign).order_by("-pk")
    }
    recorded = 0
    for respondent_list in lists.order_by("pk"):
        staff_id = staff_by_institution.get(respondent_list.institution_id)
        persons = Respondent.objects.filter(listed_q(campaign), respondent_list=respondent_list)
        updates = []
        for person in persons.order_by("pk"):
            outcome = _outcome(context.rng, campaign, staff_id)
            if outcome["status"] != "pending":
                updates.append({"respondent_id": person.pk, **outcome})
        services.enumeration_record_batch(
            actor=department, updates=updates, source=EnumerationSource.DEMO
        )
        recorded += len(updates)
    late = Respondent.objects.filter(
        listed_q(campaign), respondent_list__in=lists, enumeration__isnull=True
    ).first()
    late_on = campaign.online_end + dt.timedelta(days=2)
    # One date after the online window, accepted by the department; not before that day.
    if late is not None and late_on <= clock.today():
        services.enumeration_record(
            actor=department,
            update=services.EnumerationUpdate(
                respondent_id=late.pk,
                status="enumerated",
                method="online_self",
                enumerated_on=late_on,
                window_override_reason="sanaq.gov.kz қолжетімсіз болды / сайт был недоступен",
            ),
            source=EnumerationSource.DEMO,
        )
    enumerated = Respondent.objects.filter(
        respondent_list__in=lists, enumeration__status="enumerated"
    ).order_by("pk")[:12]
    for person in enumerated:
        services.certificate_issue(actor=department, respondent=person)
    first = Certificate.objects.filter(campaign=campaign).order_by("number").first()
    if first is not None:
        for _n in range(2):  # the second printing is the duplicate
            services.certificate_print(actor=department, certificate=first, language="kk")
    context.say(
        f"Stage 2: {recorded} outcomes recorded, "
        f"{Certificate.objects.filter(campaign=campaign).count()} certificates."
    )


def _seed_pilot_outcomes(context: DemoContext) -> None:
    """The pilot campaign's outcomes and a few certificates, recorded through the services
    while the pilot is briefly the active campaign (``pilot_active``). Only once."""
    pilot = pilot_campaign()
    department = context.users.get("dept")
    if pilot is None or department is None:
        return
    if Enumeration.objects.filter(respondent__respondent_list__campaign=pilot).exists():
        return
    lists = RespondentList.objects.filter(campaign=pilot, status=ListStatus.ACCEPTED)
    if not lists.exists():
        return
    rng = random.Random(2020)
    with pilot_active(context) as campaign:
        for respondent_list in lists.order_by("pk"):
            # Self-enumeration, tablets and reasons only (no staff-assisted methods).
            staff_id = None
            persons = Respondent.objects.filter(listed_q(campaign), respondent_list=respondent_list)
            updates = [
                {"respondent_id": person.pk, **outcome}
                for person in persons.order_by("pk")
                if (outcome := _outcome(rng, campaign, staff_id))["status"] != "pending"
            ]
            services.enumeration_record_batch(
                actor=department, updates=updates, source=EnumerationSource.DEMO
            )
        enumerated = Respondent.objects.filter(
            respondent_list__in=lists, enumeration__status="enumerated"
        ).order_by("pk")[:5]
        for person in enumerated:
            services.certificate_issue(actor=department, respondent=person)
    context.say(
        f"Pilot campaign: {Certificate.objects.filter(campaign=pilot).count()} certificates."
    )
