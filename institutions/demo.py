"""Demo institutions across Akmola's districts and types, with their responsible staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from census_coord import clock
from census_coord.demo import DemoContext
from census_coord.kz_ids import with_check_digit
from institutions.campaign_services import campaign_activate, campaign_open
from institutions.choices import EnumerationMethod, ReportState
from institutions.models import (
    AppointmentOrder,
    Campaign,
    District,
    Institution,
    InstitutionType,
    Provisioning,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
)
from institutions.selectors import campaign_get_active
from institutions.services import (
    appointment_order_report,
    provisioning_record,
    report_confirm,
    report_return,
    seminar_attendance_record,
    seminar_create,
    seminar_sign_up,
    staff_report,
)

DEMO_INSTITUTION_COUNT = 36

SURNAMES = [
    "Ахметов",
    "Жұмабаева",
    "Серікбаев",
    "Нұрланова",
    "Иванова",
    "Қасымов",
    "Ермекова",
    "Петров",
    "Оспанов",
    "Әлиева",
]
GIVEN_NAMES = [
    "Айгүл",
    "Бауыржан",
    "Гүлнар",
    "Дәурен",
    "Елена",
    "Жанар",
    "Мұрат",
    "Сергей",
    "Толқын",
    "Ұлжан",
]


def demo_bin(number: int) -> str:
    """A valid BIN for demo institution ``number`` (registered 2005-01, legal entity)."""
    serial = number
    while True:
        candidate = with_check_digit(f"0501404{serial:04d}")
        if candidate is not None:
            return candidate
        serial += 5000


def seed(context: DemoContext) -> None:
    districts = list(District.objects.order_by("code"))
    types = list(InstitutionType.objects.order_by("position"))
    rng = context.rng
    created = 0
    for number in range(1, DEMO_INSTITUTION_COUNT + 1):
        district = districts[(number * 7) % len(districts)]
        kind = types[(number - 1) % len(types)]
        institution, was_created = Institution.objects.get_or_create(
            bin=demo_bin(number),
            defaults={
                "name_kk": f"{kind.name_kk} №{number} ({district.name_kk})",
                "name_ru": f"{kind.name_ru} №{number} ({district.name_ru})",
                "type": kind,
                "district": district,
                "address": f"{district.name_ru}, ул. Абая, {number}",
                "head_name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}",
                "head_position": "Директор",
                "phone": f"+7 716 2{number:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"institution{number}@example.kz",
                "expected_residents": rng.randint(15, 220),
                "preferred_methods": rng.sample(EnumerationMethod.values, k=rng.randint(1, 2)),
            },
        )
        created += was_created
        # Most institutions have appointed staff; a few have not yet (readiness varies). Only
        # on the run that creates the institution: staff appointed since are the users'.
        if was_created and number % 6 != 0:
            for seat in range(1 if number % 3 else 2):
                ResponsibleStaff.objects.create(
                    institution=institution,
                    full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}",
                    position="Әлеуметтік қызметкер" if seat == 0 else "Бухгалтер",
                    phone=f"+7 701 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    email=f"staff{number}-{seat}@example.kz",
                    order_number=f"{number}-ө",
                    order_date=dt.date(2021, 5, 10 + number % 15),
                    appointed_by=institution.head_name,
                    active_from=dt.date(2021, 5, 10 + number % 15),
                )
    context.say(f"Institutions: {Institution.objects.count()} ({created} new).")
    _link_demo_officer(context)
    _seed_training_and_provisioning(context)
    _seed_upcoming_seminar(context)
    _seed_reported_items(context)
    _seed_pilot(context)


SEMINARS = [
    # (date, online, place, topics)
    (
        dt.date(2021, 7, 15),
        False,
        "Көкшетау, Абай к-сі, 96, ҰСБ департаменті",
        "Санақ тәртібі; тізімдер",
    ),
    (dt.date(2021, 8, 5), True, "", "Планшеттер, синхрондау, sanaq.gov.kz"),
]


def _seed_training_and_provisioning(context: DemoContext) -> None:
    """Spread institutions over every readiness state, keyed on the institution's number:
    none of the staff trained (n % 4 == 1), only the first (n % 4 == 2) or all; premises and
    computer for all (n % 5 < 3), partly (n % 5 == 3) or not at all."""
    conductor = context.users.get("dept")
    if conductor is None:
        return
    campaign = campaign_get_active()
    if Seminar.objects.filter(campaign=campaign).exists():
        # Seeded before: attendance and provisioning are the Department's records from
        # then on (a staff member appointed since must not be marked trained by the demo).
        context.say(f"Seminars: {Seminar.objects.count()}; training already seeded.")
        return
    seminars = [
        seminar_create(
            actor=conductor,
            campaign=campaign,
            date=date,
            is_online=online,
            place=place,
            topics=topics,
            conducted_by=conductor,
        )
        for date, online, place, topics in SEMINARS
    ]
    for number in range(1, DEMO_INSTITUTION_COUNT + 1):
        staff = list(
            ResponsibleStaff.objects.filter(
                institution__bin=demo_bin(number), campaign=campaign
            ).order_by("pk")
        )
        for seat, member in enumerate(staff):
            trained = number % 4 != 1 and (number % 4 != 2 or seat == 0)
            if trained and not member.attendances.exists():
                seminar_attendance_record(
                    actor=conductor, seminar=seminars[number % len(seminars)], staff=member
                )
            if number % 5 == 4 or Provisioning.objects.filter(staff=member).exists():
                continue
            computer = number % 5 < 3
            provisioning_record(
                actor=conductor,
                staff=member,
                premises_provided=True,
                premises_date=dt.date(2021, 8, 10),
                computer_provided=computer,
                computer_date=dt.date(2021, 8, 12) if computer else None,
                computer_note="" if computer else "Интернет әлі қосылмаған",
            )
    context.say(
        f"Seminars: {Seminar.objects.count()}, attendance: {SeminarAttendance.objects.count()}, "
        f"provisioning: {Provisioning.objects.count()}."
    )


def _link_demo_officer(context: DemoContext) -> None:
    """The demo officer works for institution №1 and is its first staff member, unless the
    Department has since moved the account elsewhere (a later run leaves that alone)."""
    officer = context.users.get("officer")
    if officer is None:
        return
    institution = Institution.objects.get(bin=demo_bin(1))
    if officer.institution_id is None:
        officer.institution = institution
        officer.save(update_fields=["institution"])
    if officer.institution_id != institution.pk:
        return
    staff = institution.staff.order_by("pk").first()
    if (
        staff is not None
        and staff.user_id is None
        and not ResponsibleStaff.objects.filter(user=officer).exists()
    ):
        staff.user = officer
        staff.full_name = officer.get_full_name()
        staff.save(update_fields=["user", "full_name"])


# A seminar after the demo's census date (CENSUS_TODAY=2021-10-12), still in the 2021
# campaign: institutions sign their staff up for it.
UPCOMING_SEMINAR = (
    dt.date(2021, 10, 20),
    "Көкшетау, Абай к-сі, 96, ҰСБ департаменті",
    "Планшеттерді қайтару; екінші кезеңнің қорытындысы",
)
ORDER_SCAN = b"%PDF-1.4\n% demo scan of a signed appointment order\n%%EOF\n"
# The second order of institution №1 (the demo officer's), reported through the pages.
OFFICER_ORDER = ("1-ө/2", dt.date(2021, 9, 20))
RETURN_COMMENTS = {
    "staff": "Телефон нөмірін толық көрсетіңіз.",
    "provisioning": "Компьютер берілген күнін көрсетіңіз.",
}


def _seed_upcoming_seminar(context: DemoContext) -> None:
    """The upcoming seminar, with institutions №1–3 signed up while it is still ahead."""
    conductor = context.users.get("dept")
    if conductor is None:
        return
    date, place, topics = UPCOMING_SEMINAR
    campaign = campaign_get_active()
    seminar = Seminar.objects.filter(campaign=campaign, date=date, topics=topics).first()
    if seminar is None:
        seminar = seminar_create(
            actor=conductor,
            campaign=campaign,
            date=date,
            place=place,
            topics=topics,
            conducted_by=conductor,
        )
    if seminar.date <= clock.today() or seminar.attendances.exists():
        return  # held already (the demo served as of a later date), or signed up before
    officer = context.users.get("officer")
    for number in (1, 2, 3):
        member = (
            ResponsibleStaff.objects.filter(
                institution__bin=demo_bin(number), is_active=True, campaign=campaign
            )
            .order_by("pk")
            .first()
        )
        if member is None:
            continue
        if officer is not None and officer.institution_id == member.institution_id:
            seminar_sign_up(actor=officer, seminar=seminar, staff=member)
        else:
            # No officer account for the other demo institutions: their sign-up is written
            # as the sign-up page would write it.
            SeminarAttendance.objects.create(seminar=seminar, staff=member, attended=False)


def _reported(item: Any, state: str, *, reviewer: Any, comment: str = "") -> None:
    """Mark an item written directly as reported by its institution, in ``state``."""
    item.report_state = state
    item.reported_at = clock.now()
    if state != ReportState.REPORTED:
        item.reviewed_by, item.reviewed_at = reviewer, clock.now()
    item.review_comment = comment
    item.save()


def _seed_reported_items(context: DemoContext) -> None:
    """Items institutions reported, in every state: the demo officer's (№1) through the
    services — an order confirmed, a staff member returned with a comment — and, written
    as the pages would, №2's order and staff waiting, №3's confirmed, №4's provisioning
    returned, №5's seminar attendance waiting. Each is keyed on its natural key and
    skipped once there."""
    department = context.users.get("dept")
    officer = context.users.get("officer")
    if department is None:
        return
    institution = Institution.objects.get(bin=demo_bin(1))
    officer_order_number, date = OFFICER_ORDER
    if (
        officer is not None
        and officer.institution_id == institution.pk
        and not AppointmentOrder.objects.filter(
            institution=institution, number=officer_order_number, date=date
        ).exists()
        and date <= clock.today()
    ):
        order = appointment_order_report(
            actor=officer,
            institution=institution,
            number=officer_order_number,
            date=date,
            signed_by=institution.head_name,
            scan=SimpleUploadedFile("order.pdf", ORDER_SCAN),
        )
        report_confirm(actor=department, item=order)
        staff = staff_report(
            actor=officer,
            order=order,
            full_name="Әлиева Жанар",
            position="Психолог",
            phone="+7 701 123",
            census_role="Тізімді толтыру",
        )
        report_return(actor=department, item=staff, comment=RETURN_COMMENTS["staff"])

    for number, state in ((2, ReportState.REPORTED), (3, ReportState.CONFIRMED)):
        institution = Institution.objects.get(bin=demo_bin(number))
        order_number, order_date = f"{number}-ө/2", dt.date(2021, 9, 15)
        if AppointmentOrder.objects.filter(
            institution=institution, number=order_number, date=order_date
        ).exists():
            continue
        order = AppointmentOrder.objects.create(
            institution=institution,
            number=order_number,
            date=order_date,
            signed_by=institution.head_name,
        )
        _reported(order, state, reviewer=department)
        member = ResponsibleStaff.objects.create(
            institution=institution,
            order=order,
            full_name=f"{SURNAMES[number]} {GIVEN_NAMES[number]}",
            position="Медбике",
            phone=f"+7 702 {number}00 00 00",
            census_role="Планшетпен сауалнама",
            order_number=order_number,
            order_date=order_date,
            appointed_by=institution.head_name,
            active_from=order_date,
        )
        _reported(member, state, reviewer=department)

    to_provision = (
        ResponsibleStaff.objects.filter(institution__bin=demo_bin(4)).order_by("pk").first()
    )
    if to_provision is not None and not Provisioning.objects.filter(staff=to_provision).exists():
        provisioning = Provisioning.objects.create(
            staff=to_provision, premises_provided=True, premises_date=dt.date(2021, 9, 1)
        )
        _reported(
            provisioning,
            ReportState.RETURNED,
            reviewer=department,
            comment=RETURN_COMMENTS["provisioning"],
        )

    seminar = Seminar.objects.filter(date=SEMINARS[0][0], topics=SEMINARS[0][3]).first()
    attendee = ResponsibleStaff.objects.filter(institution__bin=demo_bin(5)).order_by("pk").first()
    if (
        seminar is not None
        and attendee is not None
        and not SeminarAttendance.objects.filter(seminar=seminar, staff=attendee).exists()
    ):
        attendance = SeminarAttendance.objects.create(seminar=seminar, staff=attendee)
        _reported(attendance, ReportState.REPORTED, reviewer=department)
    context.say(
        "Reported by institutions: "
        + ", ".join(
            f"{state}: {AppointmentOrder.objects.filter(report_state=state).count()} orders"
            for state in ReportState.values
        )
        + "."
    )


# A closed campaign before 2021, so that the history is visible: the 2020 pilot census in
# the same regions, with its own staff, lists, outcomes, certificates and a kit act.
PILOT_CODE = "census-2020-pilot"
PILOT_INSTITUTIONS = (2, 3, 4)
PILOT_NAMES = {
    "name_kk": "2020 жылғы сынақ санағы",
    "name_ru": "Пробная перепись 2020 года",
    "name_en": "2020 pilot census",
}
PILOT_DATES: dict[str, dt.date | dt.datetime] = {
    "list_reference_date": dt.date(2020, 6, 1),
    "list_submission_deadline": dt.date(2020, 6, 20),
    "critical_moment": dt.datetime(2020, 9, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=6))),
    "online_start": dt.date(2020, 9, 1),
    "online_end": dt.date(2020, 9, 20),
    "tablet_start": dt.date(2020, 9, 21),
    "tablet_end": dt.date(2020, 10, 5),
    "kit_return_deadline": dt.date(2020, 10, 20),
}


def pilot_campaign() -> Campaign | None:
    return Campaign.objects.filter(code=PILOT_CODE).first()


@contextmanager
def pilot_active(context: DemoContext) -> Iterator[Campaign]:
    """The pilot's history is written through the services, which take writes into the
    active campaign only: inside one transaction the pilot is active, then the campaign
    active before (2021) is again, so nobody ever sees the pilot open."""
    department = context.users["dept"]
    pilot = pilot_campaign()
    if pilot is None:
        raise Campaign.DoesNotExist(PILOT_CODE)
    with transaction.atomic():
        active = campaign_get_active()
        campaign_activate(actor=department, campaign=pilot)
        pilot.refresh_from_db()
        yield pilot
        campaign_activate(actor=department, campaign=active)


def _seed_pilot(context: DemoContext) -> None:
    """Open the pilot campaign (closed: 2021 stays active) with one staff member appointed
    for it in each pilot institution. Only once: the pilot is history."""
    department = context.users.get("dept")
    if department is None or pilot_campaign() is not None:
        return
    active = campaign_get_active()
    pilot = campaign_open(
        actor=department,
        code=PILOT_CODE,
        names=PILOT_NAMES,
        dates=PILOT_DATES,
        copy_from=active,
        activate=False,
    )
    for number in PILOT_INSTITUTIONS:
        institution = Institution.objects.filter(bin=demo_bin(number)).first()
        if institution is None:
            continue
        ResponsibleStaff.objects.create(
            campaign=pilot,
            institution=institution,
            full_name=f"{SURNAMES[number]} {GIVEN_NAMES[number]}",
            position="Әлеуметтік қызметкер",
            order_number=f"{number}-ө/2020",
            order_date=dt.date(2020, 5, 4),
            appointed_by=institution.head_name,
            active_from=dt.date(2020, 5, 4),
            active_to=dt.date(2020, 12, 31),
        )
    context.say(f"Pilot campaign {PILOT_CODE}: opened (closed; {active.code} stays active).")
