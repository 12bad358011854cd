"""Progress figures against a hand-counted fixture; dashboard, exports, roles and scoping."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from enumeration import progress, services
from institutions.models import District, InstitutionType
from institutions.readiness import readiness_items
from respondents.choices import ListStatus
from tests.enumeration.stage2 import accepted_list, people
from tests.factories import InstitutionFactory, ResponsibleStaffFactory

pytestmark = pytest.mark.django_db

SEP_20, SEP_21, OCT_5 = dt.date(2021, 9, 20), dt.date(2021, 9, 21), dt.date(2021, 10, 5)


def _record(actor, person, **values):
    services.enumeration_record(
        actor=actor, update=services.EnumerationUpdate(respondent_id=person.pk, **values)
    )


@pytest.fixture
def fixture(department_user, institution_a, institution_b):
    """A: 7 listed (2 online self, 1 assisted, 1 tablet, 1 admin records via an arrival,
    1 refused, 1 pending) and a leaver before 1 Sep; B: 3 listed (1 tablet, 2 pending);
    C: a list not accepted yet (nobody listed)."""
    d1, d2 = District.objects.order_by("code")[:2]
    assert d1.region_id == d2.region_id
    t1, t2 = InstitutionType.objects.order_by("position")[:2]
    institution_a.district, institution_a.type = d1, t1
    institution_a.save()
    institution_b.district, institution_b.type = d2, t2
    institution_b.save()
    user = department_user
    list_a = accepted_list(institution_a)
    p1, p2, p3, p4, p5, p6, leaver, arrival = people(list_a, 8)
    leaver.departed_on, leaver.departure_reason = dt.date(2021, 8, 1), "left"
    leaver.save()
    arrival.arrived_on = dt.date(2021, 7, 15)
    arrival.save()
    staff = ResponsibleStaffFactory(institution=institution_a)
    for person in (p1, p2):
        _record(user, person, status="enumerated", method="online_self", enumerated_on=SEP_20)
    _record(
        user,
        p3,
        status="enumerated",
        method="online_assisted",
        enumerated_on=SEP_21,
        staff_id=staff.pk,
    )
    _record(user, p4, status="enumerated", method="tablet", enumerated_on=OCT_5)
    _record(user, p5, status="not_enumerated", reason="refused", enumerated_on=OCT_5)
    _record(
        user,
        arrival,
        status="enumerated",
        method="admin_records",
        enumerated_on=OCT_5,
        staff_id=staff.pk,
        reason_detail="Ауыр науқас",
    )
    list_b = accepted_list(institution_b)
    q1, _q2, _q3 = people(list_b, 3)
    _record(user, q1, status="enumerated", method="tablet", enumerated_on=OCT_5)
    institution_c = InstitutionFactory(district=d1, type=t1)
    unaccepted = accepted_list(institution_c)
    unaccepted.status = ListStatus.SUBMITTED
    unaccepted.save()
    people(unaccepted, 2)
    return {
        "a": institution_a,
        "b": institution_b,
        "c": institution_c,
        "d1": d1,
        "d2": d2,
        "p6": p6,
        "arrival": arrival,
        "leaver": leaver,
    }


def test_progress_figures_match_the_hand_count(department_user, fixture):
    campaign = fixture["a"].respondent_lists.get().campaign
    report = progress.progress_report(user=department_user, campaign=campaign)
    by_pk = {row.pk: row.progress for row in report.institutions}
    a, b, c = by_pk[fixture["a"].pk], by_pk[fixture["b"].pk], by_pk[fixture["c"].pk]
    assert a.listed == 7
    assert a.by_method == {"online_self": 2, "online_assisted": 1, "tablet": 1, "admin_records": 1}
    assert a.by_reason["refused"] == 1
    assert (a.enumerated, a.pending, a.not_enumerated) == (5, 1, 1)
    assert (b.listed, b.enumerated, b.pending) == (3, 1, 2)
    assert c.listed == 0
    assert (report.total.listed, report.total.enumerated, report.total.pending) == (10, 6, 3)
    assert report.level == "region"
    assert len(report.rows) == 1
    districts = progress.progress_report(
        user=department_user, campaign=campaign, region_id=fixture["d1"].region_id
    )
    by_district = {row.pk: row.progress for row in districts.rows}
    assert by_district[fixture["d1"].pk].listed == 7
    assert by_district[fixture["d2"].pk].listed == 3
    types = {row.pk: row.progress.listed for row in report.by_type}
    assert types[fixture["a"].type_id] == 7
    assert types[fixture["b"].type_id] == 3
    daily = progress.progress_daily(user=department_user, campaign=campaign)
    assert [(d.day, d.total, d.cumulative) for d in daily] == [
        (SEP_20, 2, 2),
        (SEP_21, 1, 3),
        (OCT_5, 3, 6),
    ]


def test_officer_sees_only_own_institution_in_progress(officer_b, fixture):
    campaign = fixture["a"].respondent_lists.get().campaign
    report = progress.progress_report(user=officer_b, campaign=campaign)
    assert [row.pk for row in report.institutions] == [fixture["b"].pk]
    assert report.total.listed == 3


def _figures(progress_):
    return (progress_.listed, progress_.by_method, progress_.by_reason)


def test_every_level_sums_the_institutions_it_holds(department_user, fixture):
    """The region and district levels sum the counters per place and type in SQL; their
    figures are the sums of the institutions the export and one district's page list."""
    campaign = fixture["a"].respondent_lists.get().campaign
    d1, d2 = fixture["d1"], fixture["d2"]
    InstitutionFactory(district=d2, type=fixture["a"].type, is_active=False)  # not shown
    report = progress.progress_report(user=department_user, campaign=campaign)
    institutions = report.institutions
    assert fixture["b"].pk in {row.pk for row in institutions}
    assert len(institutions) == len({row.pk for row in institutions})

    def summed(rows):
        total = progress.Progress()
        for row in rows:
            total.add(row.progress)
        return _figures(total)

    assert _figures(report.total) == summed(institutions)
    by_type = {}
    for row in institutions:
        by_type.setdefault(row.institution.type_id, []).append(row)
    assert [row.pk for row in report.by_type] == sorted(by_type)
    for row in report.by_type:
        assert _figures(row.progress) == summed(by_type[row.pk])
    districts = progress.progress_report(
        user=department_user, campaign=campaign, region_id=d1.region_id
    )
    assert [row.pk for row in districts.rows][:2] == [d1.pk, d2.pk]
    for district in (d1, d2):
        one = progress.progress_report(
            user=department_user, campaign=campaign, district_id=district.pk
        )
        row = next(row for row in districts.rows if row.pk == district.pk)
        assert row.name == district.name
        assert _figures(row.progress) == _figures(one.total) == summed(one.rows)
    assert [row.pk for row in one.rows] == [fixture["b"].pk]  # the inactive one is not


def _queries(user, campaign):
    with CaptureQueriesContext(connection) as context:
        progress.progress_report(user=user, campaign=campaign)
        progress.progress_daily(user=user, campaign=campaign)
    return len(context)


def test_dashboard_queries_do_not_grow_with_institutions(department_user, fixture):
    campaign = fixture["a"].respondent_lists.get().campaign
    before = _queries(department_user, campaign)
    for _n in range(5):
        people(accepted_list(InstitutionFactory()), 2)
    assert _queries(department_user, campaign) == before <= 4


def test_reconciliation_shows_the_edge_cases(department_user, fixture):
    campaign = fixture["a"].respondent_lists.get().campaign
    sections = progress.reconciliation_sections(user=department_user, campaign=campaign)
    assert fixture["p6"] in sections["outstanding"]
    assert sections["outstanding"].count() == 4  # p5 refused, p6 and two of B pending
    assert list(sections["arrivals"]) == [fixture["arrival"]]
    assert not sections["not_listed"].exists()


def test_enumerated_person_recorded_as_leaving_before_1_sep_is_reported(department_user, fixture):
    campaign = fixture["a"].respondent_lists.get().campaign
    arrival = fixture["arrival"]
    arrival.departed_on, arrival.departure_reason = dt.date(2021, 8, 20), "left"
    arrival.save()
    sections = progress.reconciliation_sections(user=department_user, campaign=campaign)
    assert list(sections["not_listed"]) == [arrival]


def test_readiness_item_counts_outcomes(department_user, fixture):
    from institutions.models import Institution

    item = next(i for i in readiness_items() if i.code == "stage2_progress")
    campaign = fixture["a"].respondent_lists.get().campaign
    with translation.override("en"):
        results = item.compute(Institution.objects.all(), campaign)
    assert results[fixture["a"].pk].done is False
    assert results[fixture["a"].pk].detail == "5 of 7 enumerated"


# --- pages -------------------------------------------------------------------------


def test_department_drills_down_from_region_to_institution(client_for, department_user, fixture):
    client = client_for(department_user)
    url = reverse("enumeration:progress")
    top = client.get(url)
    assert top.status_code == 200
    assert top.context["report"].total.listed == 10
    assert "<svg" in top.content.decode()
    region = client.get(url, {"region": fixture["d1"].region_id})
    assert region.context["report"].level == "district"
    district = client.get(url, {"district": fixture["d1"].pk})
    assert district.context["report"].level == "institution"
    assert reverse("enumeration:worklist_of", args=[fixture["a"].pk]) in district.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_chart_coordinates_are_not_localised(client_for, department_user, fixture, language):
    """Russian and Kazakh write 1,5 for 1.5; SVG needs the point or the bars vanish."""
    department_user.language = language
    department_user.save(update_fields=["language"])
    html = client_for(department_user).get(reverse("enumeration:progress")).content.decode()
    chart = html[html.index('<figure class="chart">') : html.index("</figure>")]
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', chart)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", number) for number in numbers), numbers
    for points in re.findall(r'points="([^"]*)"', chart):
        assert all(re.fullmatch(r"[\d.]+,[\d.]+", pair) for pair in points.split()), points


def test_commission_reads_the_dashboard_but_changes_nothing(client_for, commission_user, fixture):
    client = client_for(commission_user)
    page = client.get(reverse("enumeration:progress"), {"district": fixture["d1"].pk})
    assert page.status_code == 200
    assert reverse("enumeration:worklist_of", args=[fixture["a"].pk]) not in page.content.decode()
    assert client.get(reverse("enumeration:reconciliation")).status_code == 200
    assert client.get(reverse("enumeration:worklist_of", args=[fixture["a"].pk])).status_code == 403
    edit = reverse("enumeration:enumeration_edit", args=[fixture["p6"].pk])
    assert client.post(edit, {"status": "pending"}).status_code == 403
    assert client.post(reverse("enumeration:progress_export")).status_code == 200


def test_officer_reads_own_institutions_progress_and_nothing_else(client_for, officer_a, fixture):
    client = client_for(officer_a)
    page = client.get(reverse("enumeration:progress"), {"district": fixture["d2"].pk})
    assert page.status_code == 200
    report = page.context["report"]
    assert [row.pk for row in report.rows] == [fixture["a"].pk]
    assert report.total.listed == 7
    html = page.content.decode()
    body = html[html.index("<main") :]
    assert fixture["a"].name in body
    # B (another district) and C (same district, another institution) are not on the page.
    assert fixture["b"].name not in body
    assert fixture["c"].name not in body
    assert reverse("enumeration:progress_export") not in body  # read-only: no export
    assert "breadcrumbs" not in body  # no drill-down to the region
    assert client.post(reverse("enumeration:progress_export")).status_code == 403


def _export_from_the_page(client, params):
    """Open the dashboard as the user would and submit its export form as it stands."""
    page = client.get(reverse("enumeration:progress"), params).content.decode()
    form = page[page.index('action="' + reverse("enumeration:progress_export")) :]
    form = form[: form.index("</form>")]
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    data.pop("csrfmiddlewaretoken", None)
    response = client.post(reverse("enumeration:progress_export"), data)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return response, {row[3]: row[5] for row in list(sheet.iter_rows(values_only=True))[1:]}


def test_progress_export_from_a_district_holds_that_district_only(
    client_for, department_user, fixture
):
    client = client_for(department_user)
    response, listed = _export_from_the_page(client, {"district": fixture["d2"].pk})
    assert listed == {fixture["b"].bin: 3}
    assert fixture["d2"].code in response["Content-Disposition"]
    _response, listed = _export_from_the_page(client, {"district": fixture["d1"].pk})
    assert listed == {fixture["a"].bin: 7, fixture["c"].bin: 0}


def test_progress_export_from_a_region_and_from_the_top(client_for, commission_user, fixture):
    client = client_for(commission_user)
    _response, region = _export_from_the_page(client, {"region": fixture["d1"].region_id})
    _response, everything = _export_from_the_page(client, {})
    assert region[fixture["a"].bin] == 7
    assert region[fixture["b"].bin] == 3
    assert region == everything  # the fixture's institutions are all in one region


def test_progress_export_has_a_row_per_institution(client_for, department_user, fixture):
    response = client_for(department_user).post(reverse("enumeration:progress_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    listed = {row[3]: row[5] for row in rows[1:]}
    assert listed[fixture["a"].bin] == 7
    assert listed[fixture["b"].bin] == 3


def test_officer_worklist_is_pending_first_and_scoped(client_for, officer_a, officer_b, fixture):
    client = client_for(officer_a)
    page = client.get(reverse("enumeration:worklist"))
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows[0] == fixture["p6"]
    filtered = client.get(
        reverse("enumeration:worklist"), {"status": "enumerated", "method": "tablet"}
    )
    assert len(filtered.context["page"]) == 1
    assert client.get(reverse("enumeration:worklist_of", args=[fixture["b"].pk])).status_code == 404
    other = client_for(officer_b)
    edit = reverse("enumeration:enumeration_edit", args=[fixture["p6"].pk])
    assert other.get(edit).status_code == 404
    assert other.post(edit, {"status": "pending"}).status_code == 404
    recon = other.get(reverse("enumeration:reconciliation"))
    assert recon.status_code == 200
    assert fixture["p6"] not in list(recon.context["page"])


@pytest.mark.parametrize(
    ("params", "count", "pending_shown"),
    [
        ({}, 7, True),
        ({"status": "pending"}, 1, True),
        ({"status": "not_enumerated"}, 1, False),
        ({"status": "enumerated"}, 5, False),
        ({"method": "online_self"}, 2, False),
        ({"status": "enumerated", "method": "admin_records"}, 1, False),
        # An unknown value (an old bookmark) shows everyone, not an error.
        ({"status": "lost", "method": "tablet"}, 7, True),
    ],
)
def test_worklist_filters_show_the_matching_people(
    client_for, officer_a, fixture, params, count, pending_shown
):
    page = client_for(officer_a).get(reverse("enumeration:worklist"), params)
    assert page.context["page"].paginator.count == count
    html = page.content.decode()
    assert (fixture["p6"].full_name in html) == pending_shown


def test_quick_update_and_save_next(client_for, officer_a, fixture):
    client = client_for(officer_a)
    edit = reverse("enumeration:enumeration_edit", args=[fixture["p6"].pk])
    assert client.get(edit).status_code == 200
    bad = client.post(
        edit, {"status": "enumerated", "method": "tablet", "enumerated_on": "2021-09-05"}
    )
    assert bad.status_code == 200
    assert "enumerated_on" in bad.context["form"].errors
    good = client.post(
        edit,
        {
            "status": "enumerated",
            "method": "tablet",
            "enumerated_on": "2021-10-06",
            "save_next": "1",
        },
    )
    assert good.status_code == 302
    fixture["p6"].refresh_from_db()
    assert fixture["p6"].enumeration.method == "tablet"


def test_bulk_update_of_selected_people(client_for, officer_b, fixture):
    client = client_for(officer_b)
    pending = [
        r.pk
        for r in fixture["b"].respondent_lists.get().respondents.filter(enumeration__isnull=True)
    ]
    url = reverse("enumeration:worklist")
    empty = client.post(
        url, {"status": "enumerated", "method": "tablet", "enumerated_on": "2021-10-07"}
    )
    assert empty.status_code == 200
    assert empty.context["bulk"].non_field_errors()
    response = client.post(
        url,
        {
            "selected": pending,
            "status": "not_enumerated",
            "reason": "absent",
            "enumerated_on": "2021-10-07",
        },
    )
    assert response.status_code == 302
    report = progress.progress_report(
        user=officer_b, campaign=fixture["b"].respondent_lists.get().campaign
    )
    assert report.total.by_reason["absent"] == 2


def test_admin_lists_only_the_officers_own_enumerations(officer_b, fixture, rf):
    from django.contrib.admin.sites import site

    from enumeration.models import Enumeration

    request = rf.get("/")
    request.user = officer_b
    queryset = site._registry[Enumeration].get_queryset(request)
    institutions = set(queryset.values_list("respondent__respondent_list__institution", flat=True))
    assert institutions == {fixture["b"].pk}
