"""Loading reference data (regions, districts, institution types, the 2021 campaign).

Used by data migrations (with historical models) and by ``load_reference`` (after edits
to the CSV files). Loading is idempotent: rows are matched on their codes.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent / "fixtures" / "reference"

REGIONS = {
    "akmola": {
        "name_kk": "Ақмола облысы",
        "name_ru": "Акмолинская область",
        "name_en": "Akmola region",
    },
}
# Which region each districts file belongs to.
DISTRICT_FILES = {"akmola": "akmola_districts.csv"}

# The 2021 campaign. Dates from campaign_2021.csv; the list deadline and kit return
# deadline are not in the seed document: they are the department's working dates and can
# be changed in the admin.
CAMPAIGN_2021_EXTRA = {
    "code": "census-2021",
    # The official names; campaign_2021.csv gives the English one.
    "name_kk": "Қазақстан Республикасы халқының 2021 жылғы ұлттық санағы",
    "name_ru": "Национальная перепись населения Республики Казахстан 2021 года",
    "list_submission_deadline": dt.date(2021, 6, 15),
    "kit_return_deadline": dt.date(2021, 11, 15),
}


def _rows(filename: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(region_model: Any, district_model: Any, type_model: Any) -> None:
    for code, names in REGIONS.items():
        region, _ = region_model.objects.update_or_create(code=code, defaults=names)
        for row in _rows(DISTRICT_FILES[code]):
            district_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "region": region,
                    "kind": row["kind"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                },
            )
    for position, row in enumerate(_rows("institution_types.csv"), start=1):
        type_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "position": position,
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
            },
        )


def load_campaign_2021(campaign_model: Any, region_model: Any) -> None:
    values = {row["field"]: row["value"] for row in _rows("campaign_2021.csv")}
    # Early migrations run this with a Campaign that had one ``name`` field.
    fields = {field.name for field in campaign_model._meta.get_fields()}
    names = (
        {
            "name_en": values["name"],
            "name_kk": CAMPAIGN_2021_EXTRA["name_kk"],
            "name_ru": CAMPAIGN_2021_EXTRA["name_ru"],
        }
        if "name_en" in fields
        else {"name": values["name"]}
    )
    defaults = {
        **names,
        "list_reference_date": dt.date.fromisoformat(values["list_reference_date"]),
        "critical_moment": dt.datetime.fromisoformat(values["critical_moment"]),
        "online_start": dt.date.fromisoformat(values["online_start"]),
        "online_end": dt.date.fromisoformat(values["online_end"]),
        "tablet_start": dt.date.fromisoformat(values["tablet_start"]),
        "tablet_end": dt.date.fromisoformat(values["tablet_end"]),
        "list_submission_deadline": CAMPAIGN_2021_EXTRA["list_submission_deadline"],
        "kit_return_deadline": CAMPAIGN_2021_EXTRA["kit_return_deadline"],
    }
    campaign, created = campaign_model.objects.get_or_create(
        code=CAMPAIGN_2021_EXTRA["code"], defaults=defaults
    )
    if created and not campaign_model.objects.filter(is_active=True).exists():
        campaign.is_active = True
        campaign.save(update_fields=["is_active"])
    campaign.regions.add(*region_model.objects.filter(code__in=REGIONS))
