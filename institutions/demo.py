"""Demo institutions across Akmola's districts and types, with their responsible staff."""

from __future__ import annotations

import datetime as dt

from census_coord.demo import DemoContext
from census_coord.kz_ids import with_check_digit
from institutions.models import District, Institution, InstitutionType, ResponsibleStaff
from respondents.choices import EnumerationMethod

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
        # Most institutions have appointed staff; a few have not yet (readiness varies).
        if number % 6 != 0 and not institution.staff.exists():
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


def _link_demo_officer(context: DemoContext) -> None:
    """The demo officer works for institution №1 and is its first staff member."""
    officer = context.users.get("officer")
    if officer is None:
        return
    institution = Institution.objects.get(bin=demo_bin(1))
    if officer.institution_id != institution.pk:
        officer.institution = institution
        officer.save(update_fields=["institution"])
    staff = institution.staff.order_by("pk").first()
    if (
        staff is not None
        and staff.user_id is None
        and not ResponsibleStaff.objects.filter(user=officer).exists()
    ):
        staff.user = officer
        staff.full_name = officer.get_full_name()
        staff.save(update_fields=["user", "full_name"])
