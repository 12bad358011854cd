import datetime as dt

import pytest
from django.core.management import call_command

from institutions.models import Campaign, District, InstitutionType, Region
from institutions.selectors import campaign_get_active

pytestmark = pytest.mark.django_db


def test_2021_critical_moment_is_midnight_nur_sultan_time():
    campaign = campaign_get_active()
    assert campaign.critical_moment == dt.datetime(2021, 8, 31, 18, 0, tzinfo=dt.UTC)


def test_2021_campaign_windows_come_from_the_record():
    campaign = campaign_get_active()
    assert campaign.list_reference_date == dt.date(2021, 6, 1)
    assert (campaign.online_start, campaign.online_end) == (
        dt.date(2021, 9, 1),
        dt.date(2021, 10, 15),
    )
    assert (campaign.tablet_start, campaign.tablet_end) == (
        dt.date(2021, 10, 1),
        dt.date(2021, 10, 30),
    )
    assert campaign.regions.filter(code="akmola").exists()


def test_sixteen_types_and_nineteen_districts_in_three_languages():
    assert InstitutionType.objects.count() == 16
    assert District.objects.filter(region__code="akmola").count() == 19
    assert District.objects.filter(kind="city").count() == 2
    for row in [*InstitutionType.objects.all(), *District.objects.all(), *Region.objects.all()]:
        assert row.name_kk
        assert row.name_ru
        assert row.name_en


def test_reference_loading_is_idempotent():
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert InstitutionType.objects.count() == 16
    assert District.objects.count() == 19
    assert Campaign.objects.count() == 1


def test_only_one_campaign_can_be_active():
    from django.db import IntegrityError, transaction

    campaign = campaign_get_active()
    campaign.pk = None
    campaign.code = "census-2031"
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()


def test_translated_name_follows_active_language():
    from django.utils import translation

    kokshetau = District.objects.get(code="kokshetau")
    with translation.override("ru"):
        assert kokshetau.name == "город Кокшетау"
    with translation.override("kk"):
        assert kokshetau.name == "Көкшетау қаласы"
    with translation.override("en"):
        assert str(kokshetau) == "Kokshetau city"


def test_2021_campaign_is_named_in_each_language():
    from django.utils import translation

    campaign = campaign_get_active()
    with translation.override("kk"):
        assert campaign.name == "Қазақстан Республикасы халқының 2021 жылғы ұлттық санағы"
    with translation.override("ru"):
        assert str(campaign) == "Национальная перепись населения Республики Казахстан 2021 года"
    with translation.override("en"):
        assert campaign.name == "2021 National Population Census of the Republic of Kazakhstan"
