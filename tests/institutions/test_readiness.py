import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import Institution
from institutions.readiness import readiness_items
from institutions.selectors import (
    campaign_get_active,
    institution_readiness_board,
    institution_readiness_list,
)
from tests.factories import InstitutionFactory, ResponsibleStaffFactory
from tests.institutions.factories import (
    ProvisioningFactory,
    SeminarAttendanceFactory,
    SeminarFactory,
)

pytestmark = pytest.mark.django_db


STAFF_ITEMS = {"staff_appointed", "staff_trained", "staff_provisioned"}


def _states(user):
    board = institution_readiness_list(user=user, campaign=campaign_get_active())
    return {
        # Only this app's items: other apps add theirs to the same board.
        row.institution.name_ru: {
            item.code: result.done for item, result in row.results if item.code in STAFF_ITEMS
        }
        for row in board
    }


@pytest.fixture
def mixed_institutions():
    """One institution in each state: none, appointed, trained, provisioned, partly done."""
    seminar = SeminarFactory()
    InstitutionFactory(name_ru="без персонала")
    appointed = InstitutionFactory(name_ru="назначен")
    ResponsibleStaffFactory(institution=appointed)
    trained = InstitutionFactory(name_ru="обучен")
    SeminarAttendanceFactory(seminar=seminar, staff=ResponsibleStaffFactory(institution=trained))
    ready = InstitutionFactory(name_ru="готов")
    member = ResponsibleStaffFactory(institution=ready)
    SeminarAttendanceFactory(seminar=seminar, staff=member)
    ProvisioningFactory(staff=member)
    partly = InstitutionFactory(name_ru="частично")
    first = ResponsibleStaffFactory(institution=partly)
    second = ResponsibleStaffFactory(institution=partly)
    SeminarAttendanceFactory(seminar=seminar, staff=first)
    SeminarAttendanceFactory(seminar=seminar, staff=second, attended=False)
    ProvisioningFactory(staff=first)
    ProvisioningFactory(staff=second, computer_provided=False, computer_date=None)
    # An inactive staff member does not count for or against the institution.
    ResponsibleStaffFactory(institution=ready, is_active=False)
    return {"seminar": seminar}


def test_readiness_over_mixed_states(department_user, mixed_institutions):
    states = _states(department_user)
    assert states["без персонала"] == {
        "staff_appointed": False,
        "staff_trained": False,
        "staff_provisioned": False,
    }
    assert states["назначен"] == {
        "staff_appointed": True,
        "staff_trained": False,
        "staff_provisioned": False,
    }
    assert states["обучен"]["staff_trained"] is True
    assert states["обучен"]["staff_provisioned"] is False
    assert all(states["готов"].values())
    assert states["частично"] == {
        "staff_appointed": True,
        "staff_trained": False,
        "staff_provisioned": False,
    }


def test_training_at_another_campaigns_seminar_does_not_count(department_user):
    from institutions.models import Campaign

    current = campaign_get_active()
    old = Campaign.objects.create(
        code="census-2009",
        name_en="2009",
        list_reference_date=dt.date(2009, 2, 1),
        list_submission_deadline=dt.date(2009, 2, 10),
        critical_moment=current.critical_moment.replace(year=2009),
        online_start=dt.date(2009, 2, 25),
        online_end=dt.date(2009, 3, 6),
        tablet_start=dt.date(2009, 2, 25),
        tablet_end=dt.date(2009, 3, 6),
        kit_return_deadline=dt.date(2009, 4, 1),
    )
    institution = InstitutionFactory(name_ru="старый семинар")
    staff = ResponsibleStaffFactory(institution=institution)
    SeminarAttendanceFactory(seminar=SeminarFactory(campaign=old), staff=staff)
    assert _states(department_user)["старый семинар"]["staff_trained"] is False


def test_staff_details_are_the_campaigns_own(department_user):
    """The staff figures' queryset is built per campaign: another campaign's board counts
    only its own staff."""
    from institutions.models import Campaign

    current = campaign_get_active()
    old = Campaign.objects.create(
        code="census-2009",
        name_en="2009",
        list_reference_date=dt.date(2009, 2, 1),
        list_submission_deadline=dt.date(2009, 2, 10),
        critical_moment=current.critical_moment.replace(year=2009),
        online_start=dt.date(2009, 2, 25),
        online_end=dt.date(2009, 3, 6),
        tablet_start=dt.date(2009, 2, 25),
        tablet_end=dt.date(2009, 3, 6),
        kit_return_deadline=dt.date(2009, 4, 1),
    )
    institution = InstitutionFactory(name_ru="два набора")
    ResponsibleStaffFactory(institution=institution)
    ResponsibleStaffFactory(institution=institution)

    def appointed(campaign):
        (row,) = institution_readiness_list(
            user=department_user,
            campaign=campaign,
            institutions=Institution.objects.filter(pk=institution.pk),
        )
        return {item.code: (result.done, result.detail) for item, result in row.results}[
            "staff_appointed"
        ]

    assert appointed(current) == (True, "2")
    assert appointed(old) == (False, "0")
    assert appointed(current) == (True, "2")


def test_missing_filter_and_sort(department_user, mixed_institutions):
    campaign = campaign_get_active()
    missing = institution_readiness_list(
        user=department_user, campaign=campaign, missing="staff_trained", sort="name"
    )
    assert {row.institution.name_ru for row in missing} == {"без персонала", "назначен", "частично"}
    least = institution_readiness_list(user=department_user, campaign=campaign, sort="least_ready")
    assert least[0].done_count <= least[-1].done_count
    assert least[-1].institution.name_ru == "готов"


def test_board_query_count_does_not_grow_with_institutions(department_user, mixed_institutions):
    campaign = campaign_get_active()
    institution_readiness_list(user=department_user, campaign=campaign)  # caches the role
    with CaptureQueriesContext(connection) as small:
        institution_readiness_list(user=department_user, campaign=campaign)
    for _ in range(10):
        member = ResponsibleStaffFactory()
        SeminarAttendanceFactory(seminar=mixed_institutions["seminar"], staff=member)
    with CaptureQueriesContext(connection) as large:
        institution_readiness_list(user=department_user, campaign=campaign)
    assert len(large) == len(small)
    assert len(small) <= 3 + 2 * len(readiness_items())


def test_officer_sees_only_own_institution_on_selector(officer_a, institution_b):
    rows = institution_readiness_list(user=officer_a, campaign=campaign_get_active())
    assert [row.institution.pk for row in rows] == [officer_a.institution_id]


def test_board_renders_for_department_and_commission(
    client_for, department_user, commission_user, mixed_institutions
):
    for user in (department_user, commission_user):
        response = client_for(user).get(
            reverse("institutions:department_home"), {"missing": "staff_trained", "sort": "type"}
        )
        assert response.status_code == 200
        assert "назначен" in response.content.decode() or "Мекеме" in response.content.decode()


def test_board_is_refused_to_officers(client_for, officer_a):
    assert client_for(officer_a).get(reverse("institutions:department_home")).status_code == 403
    assert client_for(officer_a).get(reverse("institutions:readiness_export")).status_code == 403


def test_board_filters_by_district_and_type(client_for, department_user, mixed_institutions):
    from institutions.models import District, InstitutionType

    district = District.objects.order_by("code").last()
    kind = InstitutionType.objects.order_by("position").last()
    InstitutionFactory(name_kk="Басқа аудан", district=district, type=kind)
    response = client_for(department_user).get(
        reverse("institutions:department_home"), {"district": district.code, "type": kind.code}
    )
    assert [row.institution.name_kk for row in response.context["rows"]] == ["Басқа аудан"]


def test_board_exports_xlsx_with_a_column_per_item(client_for, department_user, mixed_institutions):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(department_user).get(reverse("institutions:readiness_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows[0]) == 6 + len(readiness_items())
    assert len(rows) == 1 + 5


def test_officer_home_shows_next_step(client_for, officer_a):
    response = client_for(officer_a).get(reverse("institutions:officer_home"))
    assert response.status_code == 200
    assert response.context["readiness"].next_item.code == "staff_appointed"


def test_readiness_export_follows_the_boards_filter(client_for, department_user):
    import html as html_lib
    import re
    from io import BytesIO

    from openpyxl import load_workbook

    from institutions.models import District

    first, last = District.objects.order_by("code")[0], District.objects.order_by("code").last()
    InstitutionFactory(name_kk="Бірінші аудандағы", district=first)
    InstitutionFactory(name_kk="Соңғы аудандағы", district=last)
    client = client_for(department_user)
    board = client.get(reverse("institutions:department_home"), {"district": last.code})
    link = re.search(
        r'href="(' + re.escape(reverse("institutions:readiness_export")) + r'[^"]*)"',
        board.content.decode(),
    ).group(1)
    response = client.get(html_lib.unescape(link))
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert [row[1] for row in rows[1:]] == ["Соңғы аудандағы"]


def test_board_totals_count_the_whole_selection_and_pages_keep_the_filters(
    client_for, department_user, mixed_institutions, monkeypatch
):
    """Institutions in different states over two pages: the summary counts the ready ones
    and all those selected whatever the page, the rows show each one's state, and the page
    links keep the item filter and the sort."""
    # This app's items only, so that "готов" is ready on every item the board shows.
    staff_items = tuple(item for item in readiness_items() if item.code in STAFF_ITEMS)
    for module in ("institutions.selectors", "institutions.views"):
        monkeypatch.setattr(f"{module}.readiness_items", lambda: staff_items)
    InstitutionFactory.create_batch(50)  # no staff: not ready
    client = client_for(department_user)
    url = reverse("institutions:department_home")

    summary = "Дайын мекемелер: 55 ішінен 1."  # "Institutions ready: 1 of 55."
    first = client.get(url, {"sort": "least_ready"})
    last = client.get(url, {"sort": "least_ready", "page": 2})
    assert summary in first.content.decode()
    assert summary in last.content.decode()
    assert last.context["rows"][-1].institution.name_ru == "готов"  # the ready one sorts last
    assert last.context["rows"][-1].institution.name_kk in last.content.decode()

    missing = client.get(url, {"missing": "staff_trained", "sort": "name"})
    assert missing.context["board"].total == 53  # all but "обучен" and "готов"
    assert missing.context["board"].ready == 0
    page = missing.content.decode()
    assert "missing=staff_trained&amp;sort=name&amp;page=2" in page
    second = client.get(url, {"missing": "staff_trained", "sort": "name", "page": 2})
    assert len(second.context["rows"]) == 3
    shown = {row.institution.name_ru: row for row in second.context["rows"]}
    shown.update({row.institution.name_ru: row for row in missing.context["rows"]})
    partly = {item.code: result for item, result in shown["частично"].results}
    assert (partly["staff_appointed"].done, partly["staff_trained"].detail) == (True, "2 ішінен 1")


def test_board_flags_are_each_items_own_rule_in_every_filter_and_sort(
    department_user, mixed_institutions
):
    """The board's flags (one query by primary key, compiled once per campaign) are what
    each item's own rule says (``compute``: that item's ``done`` alone, in SQL), for every
    "missing" filter and sort; "least/most ready" order by the count, then by name."""
    campaign = campaign_get_active()
    items = readiness_items()
    InstitutionFactory(name_ru="а-первое")  # ties on the count are broken by name
    everyone = Institution.objects.all()
    by_item = [item.compute(everyone, campaign) for item in items]
    expected = {pk: tuple(result[pk].done for result in by_item) for pk in by_item[0]}
    by_name = [
        row[0] for row in institution_readiness_board(user=department_user, campaign=campaign).flags
    ]
    assert by_name == list(
        everyone.order_by(Lower("name_kk"), "pk").values_list("pk", flat=True)
    )  # the kk page: by the Kazakh name
    for missing in [None, *(item.code for item in items)]:
        kept = [
            pk
            for pk in by_name
            if missing is None or not expected[pk][[i.code for i in items].index(missing)]
        ]
        for sort, order in (
            ("name", kept),
            ("least_ready", sorted(kept, key=lambda pk: sum(expected[pk]))),
            ("most_ready", sorted(kept, key=lambda pk: -sum(expected[pk]))),
        ):
            board = institution_readiness_board(
                user=department_user, campaign=campaign, missing=missing, sort=sort
            )
            assert board.flags == [(pk, *expected[pk]) for pk in order], (missing, sort)
            assert board.ready == sum(all(expected[pk]) for pk in kept)
    unknown = institution_readiness_board(user=department_user, campaign=campaign, missing="nope")
    assert (unknown.total, unknown.flags) == (0, [])


def test_each_board_and_checklist_shows_its_own_users_institutions_only(client_for):
    """The flags' SQL is kept per campaign, never per user: the scope is the selection's,
    read afresh on every request. Boards of two regions and the whole country, and two
    officers' checklists, in turn: each sees its own institutions and their own states."""
    from institutions.models import District, Region
    from tests.factories import DepartmentUserFactory, OfficerFactory

    akmola = Region.objects.get(code="akmola")
    other = Region.objects.create(code="other", name_kk="Басқа", name_ru="Другая", name_en="Other")
    far = District.objects.create(region=other, code="far", name_kk="Алыс", name_ru="Дальний")
    near = InstitutionFactory(name_ru="ближнее", district=District.objects.filter(region=akmola)[0])
    ResponsibleStaffFactory(institution=near)  # appointed: done for this one only
    away = InstitutionFactory(name_ru="дальнее", district=far)
    boards = {
        "akmola": (DepartmentUserFactory(region=akmola), {near.pk}),
        "other": (DepartmentUserFactory(region=other), {away.pk}),
        "country": (DepartmentUserFactory(region=None), {near.pk, away.pk}),
    }
    url = reverse("institutions:department_home")
    for name in ("akmola", "other", "country", "other", "akmola"):
        user, mine = boards[name]
        response = client_for(user).get(url)
        shown = {row.institution.pk for row in response.context["rows"]}
        assert shown == mine, name
        assert response.context["board"].total == len(mine), name
        appointed = {
            row.institution.pk: {i.code: r.done for i, r in row.results}["staff_appointed"]
            for row in response.context["rows"]
        }
        assert appointed == {pk: pk == near.pk for pk in mine}, name
        other_names = {"ближнее", "дальнее"} - {
            Institution.objects.get(pk=pk).name_ru for pk in mine
        }
        assert not any(n in response.content.decode() for n in other_names), name
    home = reverse("institutions:officer_home")
    officers = [OfficerFactory(institution=near), OfficerFactory(institution=away)]
    for officer in (*officers, *reversed(officers)):
        readiness = client_for(officer).get(home).context["readiness"]
        assert readiness.institution.pk == officer.institution_id
        assert readiness.next_item.code == (
            "staff_trained" if officer.institution == near else "staff_appointed"
        )


def test_flags_by_primary_key_are_the_same_for_few_and_many_institutions(mixed_institutions):
    """``RowsByPk`` reads a few primary keys with an array the planner cannot see into and
    many with a literal one (JIT compilation off for that query only): the same rows."""
    from census_coord.db import RowsByPk

    def jit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    campaign = campaign_get_active()
    items = readiness_items()
    flagged = Institution.objects.annotate(
        **{item.code: item.done_flag(campaign) for item in items}
    ).values_list("pk", *(item.code for item in items))
    pks = sorted(Institution.objects.values_list("pk", flat=True))
    expected = sorted(flagged.filter(pk__in=pks))
    assert len(expected) == 5
    before = jit()
    assert sorted(RowsByPk(flagged, few=len(pks)).rows(pks)) == expected  # few
    assert sorted(RowsByPk(flagged, few=1).rows(pks)) == expected  # many
    assert jit() == before  # the "many" query set it back
    assert sorted(RowsByPk(flagged).rows(pks[:2])) == expected[:2]
    assert RowsByPk(flagged).rows([]) == []
