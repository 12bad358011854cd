"""The frame's reads without the ORM's building (``census_coord.db``): the same instances
as the ORM's, read afresh on every request; ``{% extends %}``'s blocks found once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.template import engines
from django.urls import reverse
from django.utils import translation

from accounts.backends import UserBackend
from accounts.models import User
from accounts.sessions import SessionStore
from census_coord.db import CompiledModels, ModelRows
from census_coord.extends import _ROOT_BLOCKS
from institutions.campaign_services import campaign_open
from institutions.campaigns import campaign_choices
from institutions.models import Campaign
from institutions.selectors import campaign_get_active

pytestmark = pytest.mark.django_db

UTC6 = dt.timezone(dt.timedelta(hours=6))


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def _open(actor, year: int) -> Campaign:
    dates = {
        "list_reference_date": dt.date(year, 5, 1),
        "list_submission_deadline": dt.date(year, 6, 15),
        "critical_moment": dt.datetime(year, 9, 1, tzinfo=UTC6),
        "online_start": dt.date(year, 9, 1),
        "online_end": dt.date(year, 9, 30),
        "tablet_start": dt.date(year, 10, 1),
        "tablet_end": dt.date(year, 10, 30),
        "kit_return_deadline": dt.date(year, 11, 15),
    }
    names = {"name_kk": f"{year} санақ", "name_ru": f"Перепись {year}", "name_en": f"{year} census"}
    return campaign_open(actor=actor, code=f"census-{year}", names=names, dates=dates)


def _options(html: str) -> list[str]:
    select = re.search(r'<select id="campaign-select" name="campaign">(.*?)</select>', html, re.S)
    assert select is not None
    return re.findall(r"<option [^>]*>([^<]*)</option>", select.group(1))


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_compiled_campaigns_are_the_orms(department_user, extra):
    for year in range(2031, 2031 + 5 * extra, 5):
        _open(department_user, year)
    read = CompiledModels(campaign_choices()).all()
    orm = list(campaign_choices())
    assert [c.pk for c in read] == [c.pk for c in orm]
    assert [_fields(c) for c in read] == [_fields(c) for c in orm]
    assert all(not c._state.adding and c._state.db == "default" for c in read)


def test_compiled_models_refuse_a_queryset_of_other_columns():
    with pytest.raises(ValueError, match="own columns"):
        CompiledModels(Campaign.objects.only("code")).all()
    with pytest.raises(ValueError, match="own columns"):
        CompiledModels(User.objects.select_related("institution")).all()


def test_model_rows_make_the_orms_user_and_session(client_for, officer_a):
    client_for(officer_a)
    rows = ModelRows(User)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(connection, 'u')} FROM accounts_user u WHERE u.id = %s",  # noqa: S608
            [officer_a.pk],
        )
        user = rows.instance(connection, cursor.fetchone())
    assert _fields(user) == _fields(User.objects.get(pk=officer_a.pk))
    assert _fields(UserBackend().get_user(officer_a.pk)) == _fields(user)

    session = Session.objects.get()
    store = SessionStore(session.session_key)
    read = store._get_session_from_db()
    assert _fields(read) == _fields(session)
    assert store.load()["_auth_user_id"] == str(officer_a.pk)


def test_an_expired_or_unknown_session_is_none(client_for, officer_a):
    client_for(officer_a)
    session = Session.objects.get()
    assert SessionStore("no-such-key-" + "x" * 20)._get_session_from_db() is None
    Session.objects.update(expire_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert SessionStore(session.session_key)._get_session_from_db() is None


def test_a_new_campaign_shows_in_the_selector_on_the_next_page(client_for, department_user):
    department_user.language = "en"
    department_user.save(update_fields=["language"])
    client = client_for(department_user)
    page = reverse("reminders:notifications")
    active = campaign_get_active()
    with translation.override("en"):
        active_name = active.name
    assert _options(client.get(page).content.decode()) == [active_name]

    _open(department_user, 2031)
    assert _options(client.get(page).content.decode()) == ["2031 census", f"{active_name} (closed)"]

    _open(department_user, 2036)
    assert _options(client.get(page).content.decode()) == [
        "2036 census",
        "2031 census (closed)",
        f"{active_name} (closed)",
    ]
    Campaign.objects.filter(code="census-2031").update(name_en="2031, renamed")
    assert "2031, renamed (closed)" in _options(client.get(page).content.decode())


def test_only_those_who_choose_get_the_selector(client_for, officer_a, commission_user):
    page = reverse("reminders:notifications")
    assert 'name="campaign"' not in client_for(officer_a).get(page).content.decode()
    assert len(_options(client_for(commission_user).get(page).content.decode())) == 1


def test_extends_renders_every_level_and_keeps_the_root_blocks_on_the_template():
    engine = engines["django"].engine
    root = engine.from_string(
        "<{% block a %}A{% endblock %}|{% block b %}B{% endblock %}|{% block c %}C{% endblock %}>"
    )
    middle = engine.from_string("{% extends root %}{% block b %}b{{ block.super }}{% endblock %}")
    leaf = engine.from_string(
        "{% extends middle %}{% block c %}c{{ block.super }}{% endblock %}"
        "{% block b %}[{{ block.super }}]{% endblock %}"
    )
    context = {"root": root, "middle": middle}
    from django.template import Context

    for _n in range(2):
        assert leaf.render(Context(context)) == "<A|[bB]|cC>"
        assert middle.render(Context(context)) == "<A|bB|C>"
    assert set(getattr(root, _ROOT_BLOCKS)) == {"a", "b", "c"}
    assert getattr(middle, _ROOT_BLOCKS) is None  # not a root: its parent's blocks count
