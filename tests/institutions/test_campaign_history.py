"""Campaign history: a 2031 campaign opens and 2021 stays readable, read-only and whole.

Staff, acts and lists keep the campaign they belong to; the Department and the commission
choose the campaign the pages show in the header, officers always work in the active one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from enumeration.models import ListProgress
from enumeration.progress_services import progress_rebuild
from equipment.services import handover_act_create, handover_act_sign, kit_return_record
from institutions.campaign_services import campaign_dates_change, campaign_open
from institutions.campaigns import SESSION_KEY, selected_campaign
from institutions.models import Campaign, ResponsibleStaff
from institutions.selectors import campaign_get_active
from institutions.services import report_confirm
from respondents import services as list_services
from respondents.choices import ListStatus
from tests.enumeration.stage2 import accepted_list, people
from tests.equipment.conftest import scan
from tests.equipment.factories import TabletKitFactory
from tests.factories import ResponsibleStaffFactory
from tests.respondents.factories import RespondentListFactory

pytestmark = pytest.mark.django_db

UTC6 = dt.timezone(dt.timedelta(hours=6))
DATES_2031 = {
    "list_reference_date": dt.date(2031, 5, 1),
    "list_submission_deadline": dt.date(2031, 6, 15),
    "critical_moment": dt.datetime(2031, 9, 1, tzinfo=UTC6),
    "online_start": dt.date(2031, 9, 1),
    "online_end": dt.date(2031, 9, 30),
    "tablet_start": dt.date(2031, 10, 1),
    "tablet_end": dt.date(2031, 10, 30),
    "kit_return_deadline": dt.date(2031, 11, 15),
}
NAMES_2031 = {"name_kk": "2031 жылғы санақ", "name_ru": "Перепись 2031 года", "name_en": "2031"}


def open_2031(actor) -> Campaign:
    return campaign_open(actor=actor, code="census-2031", names=NAMES_2031, dates=DATES_2031)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _num_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num">(\d+)</td>', html)


def test_opening_2031_copies_regions_not_people_and_is_audited(department_user, institution_a):
    old = campaign_get_active()
    ResponsibleStaffFactory(institution=institution_a)
    new = open_2031(department_user)
    old.refresh_from_db()
    assert new.is_active
    assert not old.is_active
    assert set(new.regions.values_list("code", flat=True)) == set(
        old.regions.values_list("code", flat=True)
    )
    assert not ResponsibleStaff.objects.filter(campaign=new).exists()
    event = AuditEvent.objects.get(object_type="institutions.campaign", object_id=str(new.pk))
    assert event.extra["copied_from"] == old.code


def test_2021_stays_readable_after_2031_opens_and_refuses_writes(
    client_for, department_user, institution_a
):
    listing = accepted_list(institution_a)
    (person,) = people(listing, 1, surname="Тарихова")
    open_2031(department_user)

    client = client_for(english(department_user))
    page = client.get(reverse("respondents:list_detail", args=[listing.pk]))
    assert page.status_code == 200
    assert "Тарихова" in page.content.decode()
    # Read-only: no write button on the closed campaign's list.
    assert reverse("respondents:arrival_add", args=[listing.pk]) not in page.content.decode()

    with pytest.raises(ValidationError) as refused:
        list_services.respondent_record_departure(
            actor=department_user, respondent=person, departed_on=dt.date(2021, 7, 1), reason="left"
        )
    assert refused.value.code == "campaign_closed"
    assert "closed" in refused.value.messages[0]
    person.refresh_from_db()
    assert person.departed_on is None


def test_a_write_page_of_a_closed_campaign_shows_the_refusal(
    client_for, department_user, institution_a
):
    listing = RespondentListFactory(institution=institution_a, status=ListStatus.SUBMITTED)
    open_2031(department_user)
    client = client_for(english(department_user))
    response = client.post(
        reverse("respondents:review", args=[listing.pk]), {"action": "accept"}, follow=True
    )
    listing.refresh_from_db()
    assert listing.status == ListStatus.SUBMITTED
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "closed" in response.content.decode()


def test_staff_of_a_closed_campaign_cannot_be_reported_again(
    department_user, officer_a, institution_a
):
    staff = ResponsibleStaffFactory(institution=institution_a)
    assert staff.campaign == campaign_get_active()
    open_2031(department_user)
    with pytest.raises(ValidationError) as refused:
        report_confirm(actor=department_user, item=staff)
    assert refused.value.code == "campaign_closed"


def test_a_kits_deadline_comes_from_its_acts_campaign(
    client_for, department_user, officer_a, institution_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = ResponsibleStaffFactory(institution=institution_a)
    act = handover_act_create(
        actor=department_user,
        institution=institution_a,
        received_by=staff,
        kits=TabletKitFactory.create_batch(2),
        act_date=dt.date(2021, 9, 20),
    )
    act = handover_act_sign(
        actor=department_user,
        act=act,
        department_signed_on=act.act_date,
        recipient_signed_on=act.act_date,
        signed_scan=scan(),
    ).act
    open_2031(department_user)

    home = client_for(officer_a).get(reverse("equipment:overview")).content.decode()
    assert "15.11.2021" in home
    assert "15.11.2031" not in home
    detail = client_for(department_user).get(reverse("equipment:act_detail", args=[act.pk]))
    assert "15.11.2021" in detail.content.decode()
    # Its kits cannot be returned into a closed campaign either.
    with pytest.raises(ValidationError) as refused:
        kit_return_record(
            actor=department_user,
            act=act,
            returned_on=dt.date(2021, 11, 1),
            returned_by=staff,
            lines=[],
        )
    assert refused.value.code == "campaign_closed"


def test_a_changed_critical_moment_recounts_progress_in_the_same_transaction(
    department_user, institution_a
):
    campaign = campaign_get_active()
    listing = accepted_list(institution_a)
    people(listing, 2)
    people(
        listing, 1, departed_on=dt.date(2021, 8, 25), departure_reason="left"
    )  # left before 1 September
    progress_rebuild(campaign=campaign)
    assert ListProgress.objects.get(respondent_list=listing).listed == 2

    class Rollback(Exception):
        pass

    seen_inside: list[int] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            campaign_dates_change(
                actor=department_user,
                campaign=campaign,
                dates={"critical_moment": dt.datetime(2021, 8, 20, tzinfo=UTC6)},
            )
            # Recounted inside the change's transaction: the one who left on 25 August is
            # listed as of 20 August.
            seen_inside.append(ListProgress.objects.get(respondent_list=listing).listed)
            raise Rollback

    with pytest.raises(Rollback):
        change_then_fail()
    assert seen_inside == [3]
    # Rolled back together with the date.
    assert ListProgress.objects.get(respondent_list=listing).listed == 2
    campaign.refresh_from_db()
    assert campaign.critical_moment.date() != dt.date(2021, 8, 20)

    campaign_dates_change(
        actor=department_user,
        campaign=campaign,
        dates={"critical_moment": dt.datetime(2021, 8, 20, tzinfo=UTC6)},
    )
    assert ListProgress.objects.get(respondent_list=listing).listed == 3


def test_the_admin_campaign_form_goes_through_the_service(
    client_for, department_user, institution_a
):
    campaign = campaign_get_active()
    listing = accepted_list(institution_a)
    people(listing, 1)
    people(listing, 1, departed_on=dt.date(2021, 8, 25), departure_reason="left")
    progress_rebuild(campaign=campaign)
    client = client_for(department_user)
    url = reverse("admin:institutions_campaign_change", args=[campaign.pk])
    data = {
        "name_kk": campaign.name_kk,
        "name_ru": campaign.name_ru,
        "name_en": campaign.name_en,
        "regions": [r.pk for r in campaign.regions.all()],
        "list_reference_date": campaign.list_reference_date.isoformat(),
        "list_submission_deadline": campaign.list_submission_deadline.isoformat(),
        "critical_moment_0": "2021-08-20",
        "critical_moment_1": "00:00:00",
        "online_start": campaign.online_start.isoformat(),
        "online_end": campaign.online_end.isoformat(),
        "tablet_start": campaign.tablet_start.isoformat(),
        "tablet_end": campaign.tablet_end.isoformat(),
        "kit_return_deadline": campaign.kit_return_deadline.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ListProgress.objects.get(respondent_list=listing).listed == 2
    assert AuditEvent.objects.filter(
        object_type="institutions.campaign", object_id=str(campaign.pk), action="change"
    ).exists()


def test_the_selector_switches_what_the_lists_board_shows(
    client_for, department_user, institution_a
):
    old = campaign_get_active()
    people(accepted_list(institution_a), 3)
    new = open_2031(department_user)
    people(RespondentListFactory(institution=institution_a, campaign=new), 7)

    client = client_for(english(department_user))
    board = reverse("respondents:board")
    assert "7" in _num_cells(client.get(board).content.decode())
    assert "3" not in _num_cells(client.get(board).content.decode())

    response = client.post(
        reverse("institutions:campaign_select"), {"campaign": old.pk, "next": board}
    )
    assert response.status_code == 302
    assert response.url == board
    shown = client.get(board).content.decode()
    assert "3" in _num_cells(shown)
    assert "7" not in _num_cells(shown)
    assert "closed campaign" in shown  # the banner

    client.post(reverse("institutions:campaign_select"), {"campaign": new.pk})
    assert "7" in _num_cells(client.get(board).content.decode())


def test_the_commission_may_switch_officers_may_not(
    client_for, department_user, commission_user, officer_a, rf
):
    old = campaign_get_active()
    new = open_2031(department_user)
    response = client_for(commission_user).post(
        reverse("institutions:campaign_select"), {"campaign": old.pk}
    )
    assert response.status_code == 302

    officer = client_for(officer_a)
    response = officer.post(reverse("institutions:campaign_select"), {"campaign": old.pk})
    assert response.status_code == 403
    # Even a session that names another campaign shows an officer the active one.
    request = rf.get("/")
    request.user = officer_a
    request.session = {SESSION_KEY: old.pk}
    assert selected_campaign(request) == new
    home = officer.get(reverse("institutions:officer_home")).content.decode()
    assert 'name="campaign"' not in home


def test_scoping_is_unchanged_in_a_closed_campaign(
    client_for, department_user, officer_a, institution_b
):
    old = campaign_get_active()
    listing_b = accepted_list(institution_b)
    open_2031(department_user)
    client = client_for(officer_a)
    assert client.get(reverse("respondents:list_detail", args=[listing_b.pk])).status_code == 404
    session = client.session
    session[SESSION_KEY] = old.pk
    session.save()
    assert client.get(reverse("respondents:list_detail", args=[listing_b.pk])).status_code == 404


def test_an_unknown_campaign_is_not_found(client_for, department_user):
    client = client_for(department_user)
    assert (
        client.post(reverse("institutions:campaign_select"), {"campaign": "999999"}).status_code
        == 404
    )
    assert (
        client.post(reverse("institutions:campaign_select"), {"campaign": "x"}).status_code == 404
    )


def test_staff_belong_to_the_campaign_they_were_appointed_for(
    client_for, department_user, institution_a
):
    old = campaign_get_active()
    ResponsibleStaffFactory(institution=institution_a, full_name="Ескі Тағайындалған")
    open_2031(department_user)
    client = client_for(english(department_user))
    page = reverse("institutions:institution_detail", args=[institution_a.pk])
    assert "Ескі Тағайындалған" not in client.get(page).content.decode()
    client.post(reverse("institutions:campaign_select"), {"campaign": old.pk})
    assert "Ескі Тағайындалған" in client.get(page).content.decode()


def test_a_closed_campaigns_person_page_offers_no_outcome_form(
    client_for, department_user, institution_a
):
    (person,) = people(accepted_list(institution_a), 1, surname="Өткенов")
    old = campaign_get_active()
    edit = reverse("enumeration:enumeration_edit", args=[person.pk])
    client = client_for(english(department_user))
    assert 'name="save_next"' in client.get(edit).content.decode()
    open_2031(department_user)
    client.post(reverse("institutions:campaign_select"), {"campaign": old.pk})
    page = client.get(edit).content.decode()
    assert "Өткенов" in page
    assert 'name="save_next"' not in page


def test_adding_a_campaign_in_the_admin_opens_it_through_the_service(client_for, department_user):
    old = campaign_get_active()
    client = client_for(department_user)
    data = {
        "code": "census-2031",
        **NAMES_2031,
        "regions": [r.pk for r in old.regions.all()],
        **{k: v.isoformat() for k, v in DATES_2031.items() if k != "critical_moment"},
        "critical_moment_0": "2031-09-01",
        "critical_moment_1": "00:00:00",
    }
    response = client.post(reverse("admin:institutions_campaign_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Campaign.objects.get(code="census-2031")
    assert new.is_active
    old.refresh_from_db()
    assert not old.is_active
    event = AuditEvent.objects.get(object_type="institutions.campaign", object_id=str(new.pk))
    assert event.action == "create"


def test_the_admin_opens_a_closed_campaigns_staff_read_only(
    client_for, department_user, institution_a
):
    staff = ResponsibleStaffFactory(institution=institution_a, full_name="Архивова Айгүл")
    new = open_2031(department_user)
    staff.refresh_from_db()
    client = client_for(english(department_user))
    url = reverse("admin:institutions_responsiblestaff_change", args=[staff.pk])
    page = client.get(url).content.decode()
    assert "Архивова Айгүл" in page
    assert 'name="_save"' not in page  # a view page: no save button
    client.post(url, {"full_name": "Changed", "institution": institution_a.pk})
    staff.refresh_from_db()
    assert staff.full_name == "Архивова Айгүл"
    delete = reverse("admin:institutions_responsiblestaff_delete", args=[staff.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ResponsibleStaff.objects.filter(pk=staff.pk).exists()
    # A new staff member can only join the active campaign.
    add = client.get(reverse("admin:institutions_responsiblestaff_add")).content.decode()
    select = re.search(r'<select name="campaign".*?</select>', add, flags=re.S)
    assert select is not None
    assert re.findall(r'<option value="(\d+)"', select.group(0)) == [str(new.pk)]
