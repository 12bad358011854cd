"""Tablet sync carrying enumerated respondents: 1,000 vs 10,000 people in one sync.

Usage (a dedicated database; created and migrated when missing, filled once)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/census_bench8 \
        .venv/bin/python bench/sync_bench.py

One institution holds a tablet kit under a signed act (its holder has an officer account)
and an accepted list of 10,000 people. ``sync.services.sync_record_receive`` is timed with
a batch of 1,000 and of 10,000 enumerated respondents, in the same run; every run is in a
transaction rolled back afterwards, so each one creates its enumerations afresh. Each
figure is the median of warm runs. The last line is ``per_1k_ms=… ratio_10k_to_1k=…``
(target: the ratio at most 11, i.e. the work grows linearly, queries stay constant).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from census_coord import clock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = 10_000
RUNS = {1_000: 5, 10_000: 3}
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/census_bench8"
BENCH_BIN = "990000000001"
PDF = b"%PDF-1.4\n% bench\n%%EOF\n"


def setup_world():  # -> (kit, respondent ids)
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from accounts.roles import Role
    from equipment.models import TabletKit
    from equipment.services import handover_act_create, handover_act_sign
    from institutions.models import (
        Campaign,
        District,
        Institution,
        InstitutionType,
        ResponsibleStaff,
    )
    from respondents.choices import ListStatus
    from respondents.models import Respondent, RespondentList

    dept, _created = User.objects.get_or_create(
        username="bench-department", defaults={"is_superuser": True, "is_staff": True}
    )
    institution, _created = Institution.objects.get_or_create(
        bin=BENCH_BIN,
        defaults={
            "name_kk": "Бенчмарк мекемесі",
            "name_ru": "Учреждение для замеров",
            "type": InstitutionType.objects.order_by("pk").first(),
            "district": District.objects.order_by("pk").first(),
            "expected_residents": PEOPLE,
        },
    )
    officer, created = User.objects.get_or_create(
        username="bench-officer", defaults={"institution": institution}
    )
    if created:
        officer.groups.add(Group.objects.get(name=Role.OFFICER))
    staff, _created = ResponsibleStaff.objects.get_or_create(
        institution=institution, full_name="Бенчмарк қызметкері", defaults={"user": officer}
    )
    campaign = Campaign.objects.get(is_active=True)
    respondent_list, _created = RespondentList.objects.get_or_create(
        institution=institution, campaign=campaign, defaults={"status": ListStatus.ACCEPTED}
    )
    have = Respondent.objects.filter(respondent_list=respondent_list).count()
    Respondent.objects.bulk_create(
        [
            Respondent(
                respondent_list=respondent_list,
                surname=f"Бенч{n}",
                given_name="Аты",
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000),
                sex="male" if n % 2 else "female",
                citizenship="citizen",
                residence_status="permanent",
                search_text=f"бенч{n}",
            )
            for n in range(have, PEOPLE)
        ],
        batch_size=2000,
    )
    kit, _created = TabletKit.objects.get_or_create(
        serial="BENCH-KIT-1",
        defaults={"inventory_number": "BENCH-TAB-1", "imei": "490154203237518", "model": "Bench"},
    )
    if kit.holder_institution_id is None:
        act = handover_act_create(
            actor=dept,
            institution=institution,
            received_by=staff,
            kits=[kit],
            act_date=dt.date(2021, 9, 20),
        )
        handover_act_sign(
            actor=dept,
            act=act,
            department_signed_on=act.act_date,
            recipient_signed_on=act.act_date,
            signed_scan=SimpleUploadedFile("act.pdf", PDF),
        )
        kit.refresh_from_db()
    ids = list(
        Respondent.objects.filter(respondent_list=respondent_list)
        .order_by("pk")
        .values_list("pk", flat=True)[:PEOPLE]
    )
    return kit, ids


def main() -> None:
    from bench.common import django_setup

    django_setup(DEFAULT_URL)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sync.models import DeviceToken
    from sync.services import sync_record_receive

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="sync-bench-")
    call_command("migrate", verbosity=0)
    kit, ids = setup_world()
    token = DeviceToken.objects.get(kit=kit, revoked_at__isnull=True)
    day = dt.date(2021, 10, 5)

    class Rollback(Exception):
        pass

    def sync_once(size: int, key: str) -> tuple[float, int]:
        people = [{"respondent_id": pk, "enumerated_on": day} for pk in ids[:size]]
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    sync_record_receive(
                        kit=kit,
                        channel="vpn",
                        sent_at=clock.wall_now(),
                        form_count=size,
                        payload_checksum="sha256-bench0000",
                        idempotency_key=key,
                        enumerations=people,
                        device_token=token,
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                raise Rollback
        except Rollback:
            pass
        return elapsed, len(queries)

    results = {}
    for size, runs in RUNS.items():
        sync_once(size, f"warm-{size}")
        timings, counts = [], set()
        for n in range(runs):
            elapsed, count = sync_once(size, f"bench-{size}-{n}")
            timings.append(elapsed)
            counts.add(count)
        results[size] = (statistics.median(timings), counts)
        print(f"batch={size} median_ms={results[size][0]:.1f} queries={counts}", file=sys.stderr)
    per_1k = results[1_000][0]
    ratio = results[10_000][0] / per_1k
    print(f"per_1k_ms={per_1k:.1f} ratio_10k_to_1k={ratio:.2f}")


if __name__ == "__main__":
    main()
