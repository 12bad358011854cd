"""The readiness board reads only what it shows: how many are ready (one condition a row), the
open item of a "missing" filter, the flags of the page's institutions; the officer's home
counts what waits for the Department without building the queue; the queries by primary key
are prepared statements on persistent connections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from census_coord.db import RowsByPk, prepares
from institutions.choices import ReportState
from institutions.models import AppointmentOrder, Institution
from institutions.readiness import readiness_items
from institutions.selectors import (
    campaign_get_active,
    institution_readiness_board,
    reported_item_counts,
)
from tests.factories import (
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
    ResponsibleStaffFactory,
)
from tests.institutions.factories import (
    ProvisioningFactory,
    SeminarAttendanceFactory,
    SeminarFactory,
)

pytestmark = pytest.mark.django_db

STAFF_ITEMS = {"staff_appointed", "staff_trained", "staff_provisioned"}


@pytest.fixture
def staff_items_only(monkeypatch):
    """This app's three items only, so that an institution with trained and provisioned
    staff is ready on every item the board shows."""
    items = tuple(item for item in readiness_items() if item.code in STAFF_ITEMS)
    for module in ("institutions.selectors", "institutions.views"):
        monkeypatch.setattr(f"{module}.readiness_items", lambda: items)
    return items


def _ready(institution: Institution, seminar) -> Institution:
    member = ResponsibleStaffFactory(institution=institution)
    SeminarAttendanceFactory(seminar=seminar, staff=member)
    ProvisioningFactory(staff=member)
    return institution


def _flags_by_rule(items) -> dict[int, tuple[bool, ...]]:
    """Each institution's flags as each item's own rule says (``compute``)."""
    campaign = campaign_get_active()
    by_item = [item.compute(Institution.objects.all(), campaign) for item in items]
    return {pk: tuple(result[pk].done for result in by_item) for pk in by_item[0]}


def test_summary_counts_none_one_and_many_ready_in_every_sort(
    client_for, department_user, staff_items_only
):
    seminar = SeminarFactory()
    InstitutionFactory(name_ru="пустое")
    ResponsibleStaffFactory(institution=InstitutionFactory(name_ru="назначено"))
    campaign = campaign_get_active()
    client = client_for(department_user)
    url = reverse("institutions:department_home")
    for ready in (0, 1, 3):
        while sum(all(flags) for flags in _flags_by_rule(staff_items_only).values()) < ready:
            _ready(InstitutionFactory(), seminar)
        total = Institution.objects.count()
        for sort in ("name", "district", "type", "least_ready", "most_ready"):
            board = institution_readiness_board(user=department_user, campaign=campaign, sort=sort)
            assert (board.ready, board.total) == (ready, total), sort
        page = client.get(url).content.decode()
        assert f"Дайын мекемелер: {total} ішінен {ready}." in page  # "ready: R of T"


def test_summary_counts_only_the_filtered_selection(department_user, staff_items_only):
    seminar = SeminarFactory()
    shown, other = InstitutionFactory(), InstitutionFactory()
    other.district = next(
        d
        for d in type(shown.district).objects.filter(region=shown.district.region)
        if d.pk != shown.district_id
    )
    other.save()
    _ready(shown, seminar)
    _ready(other, seminar)
    InstitutionFactory(district=shown.district)  # not ready
    board = institution_readiness_board(
        user=department_user,
        campaign=campaign_get_active(),
        institutions=Institution.objects.filter(district=shown.district),
    )
    assert (board.ready, board.total) == (1, 2)


def test_missing_filter_keeps_the_open_ones_in_name_order_over_pages(
    client_for, department_user, staff_items_only
):
    """Sorted by name, "missing" reads that item's flag alone: the open ones, none of them
    ready, over two pages, each row with every flag as the items' rules say."""
    appointed = InstitutionFactory.create_batch(3)
    for institution in appointed:
        ResponsibleStaffFactory(institution=institution)
    InstitutionFactory.create_batch(52)  # no staff
    campaign = campaign_get_active()
    expected = _flags_by_rule(staff_items_only)
    open_ = [
        pk
        for pk in Institution.objects.order_by(Lower("name_kk"), "pk").values_list("pk", flat=True)
        if not expected[pk][0]
    ]
    assert len(open_) == 52
    board = institution_readiness_board(
        user=department_user, campaign=campaign, missing="staff_appointed"
    )
    assert (board.total, board.ready, board.order) == (52, 0, open_)
    # The same institutions as the "least ready" sort keeps, which reads every flag.
    least = institution_readiness_board(
        user=department_user, campaign=campaign, missing="staff_appointed", sort="least_ready"
    )
    assert sorted(least.order) == sorted(open_)

    client = client_for(department_user)
    url = reverse("institutions:department_home")
    first = client.get(url, {"missing": "staff_appointed"})
    second = client.get(url, {"missing": "staff_appointed", "page": 2})
    shown = [row.institution.pk for row in [*first.context["rows"], *second.context["rows"]]]
    assert shown == open_
    assert len(second.context["rows"]) == 2
    assert "Дайын мекемелер: 52 ішінен 0." in second.content.decode()
    for row in [*first.context["rows"], *second.context["rows"]]:
        assert tuple(result.done for _item, result in row.results) == expected[row.institution.pk]


def test_page_rows_are_the_institutions_with_their_own_flags(department_user, mixed_states):
    """A page's institutions come with their flags from one query: the same fields as the
    model reads them, and every flag as its item's rule says, in every sort."""
    campaign = campaign_get_active()
    expected = _flags_by_rule(readiness_items())
    for sort in ("name", "district", "type", "least_ready", "most_ready"):
        board = institution_readiness_board(user=department_user, campaign=campaign, sort=sort)
        page = board.in_pages[:]
        assert [institution.pk for institution in page] == board.order
        for institution in page:
            read = Institution.objects.get(pk=institution.pk)
            fields = Institution._meta.concrete_fields
            assert [f.value_from_object(institution) for f in fields] == [
                f.value_from_object(read) for f in fields
            ]
            flags = tuple(getattr(institution, f"done_{item.code}") for item in readiness_items())
            assert flags == expected[institution.pk], sort


@pytest.fixture
def mixed_states():
    seminar = SeminarFactory()
    InstitutionFactory(name_ru="без персонала")
    ResponsibleStaffFactory(institution=InstitutionFactory(name_ru="назначен"))
    _ready(InstitutionFactory(name_ru="готов"), seminar)
    partly = InstitutionFactory(name_ru="частично")
    SeminarAttendanceFactory(seminar=seminar, staff=ResponsibleStaffFactory(institution=partly))
    ResponsibleStaffFactory(institution=partly)


def _reported(item, state: str):
    item.report_state = state
    item.reported_at = timezone.now()
    item.save(update_fields=["report_state", "reported_at"])
    return item


def _order(institution, number: str, state: str) -> AppointmentOrder:
    order = AppointmentOrder.objects.create(
        institution=institution, number=number, date=dt.date(2021, 5, 20), signed_by="Ахметов"
    )
    return _reported(order, state)


def test_reported_item_counts_are_each_users_own_for_every_kind(db):
    seminar = SeminarFactory()
    a, b, empty = InstitutionFactory(), InstitutionFactory(), InstitutionFactory()
    # A: waiting an order, two staff and a provisioning; returned a staff member and an
    # attendance; a confirmed one and one the Department entered (never reported) do not count.
    _order(a, "1", ReportState.REPORTED)
    staff = [ResponsibleStaffFactory(institution=a) for _ in range(4)]
    _reported(staff[0], ReportState.REPORTED)
    _reported(staff[1], ReportState.REPORTED)
    _reported(staff[2], ReportState.RETURNED)
    _reported(staff[3], ReportState.CONFIRMED)
    ResponsibleStaffFactory(institution=a, report_state=ReportState.REPORTED)  # not reported
    _reported(ProvisioningFactory(staff=staff[0]), ReportState.REPORTED)
    _reported(SeminarAttendanceFactory(seminar=seminar, staff=staff[1]), ReportState.RETURNED)
    # B: three waiting, an order returned.
    _order(b, "2", ReportState.RETURNED)
    for member in ResponsibleStaffFactory.create_batch(3, institution=b):
        _reported(member, ReportState.REPORTED)

    def counts(user):
        result = reported_item_counts(user=user)
        return result.waiting, result.returned_kinds

    assert counts(OfficerFactory(institution=a)) == (4, ("staff", "attendance"))
    assert counts(OfficerFactory(institution=b)) == (3, ("order",))
    assert counts(OfficerFactory(institution=empty)) == (0, ())
    region = a.district.region
    assert {b.district.region, empty.district.region} == {region}
    department = DepartmentUserFactory(region=region)
    assert counts(department) == (7, ("order", "staff", "attendance"))


@pytest.mark.django_db(transaction=True)
def test_prepared_rows_are_the_same_and_a_new_connection_prepares_again(monkeypatch):
    """On a persistent connection ``RowsByPk`` prepares its query once and then executes it;
    the rows are those of the plain query, and after a reconnect (a new session, without
    the statement) it prepares it again."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; elsewhere the queryset runs as usual")
    campaign = campaign_get_active()
    seminar = SeminarFactory()
    _ready(InstitutionFactory(), seminar)
    ResponsibleStaffFactory(institution=InstitutionFactory())
    InstitutionFactory()
    items = readiness_items()
    flagged = Institution.objects.annotate(
        **{item.code: item.done_flag(campaign) for item in items}
    ).values_list("pk", *(item.code for item in items))
    pks = sorted(Institution.objects.values_list("pk", flat=True))
    expected = sorted(flagged.filter(pk__in=pks))
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    assert prepares(connection)
    rows = RowsByPk(flagged, few=100)

    def read() -> tuple[list[tuple], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            result = sorted(rows.rows(pks))
        return result, [query["sql"].split(" ", 1)[0] for query in queries]

    assert read() == (expected, ["PREPARE", "EXECUTE"])
    assert read() == (expected, ["EXECUTE"])
    assert sorted(rows.rows(pks[:1])) == expected[:1]
    connection.close()
    assert read() == (expected, ["PREPARE", "EXECUTE"])
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    assert not prepares(connection)  # behind a transaction pooler
    assert read()[0] == expected
