"""The menu offers exactly the pages the user may open: each link asks the policy
(``{% allowed %}``); which menu (region or institution) is a view mode of the role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from census_coord import policy

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _menu(client, home: str) -> list[str]:
    html = client.get(reverse(home)).content.decode()
    return HREF.findall(NAV.search(html).group(0))


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("department_user", "institutions:department_home"),
        ("commission_user", "institutions:department_home"),
        ("officer_a", "institutions:officer_home"),
    ],
)
def test_every_menu_link_opens_for_its_user(request, client_for, who, home):
    client = client_for(request.getfixturevalue(who))
    links = _menu(client, home)
    assert len(links) >= 5
    for link in links:
        if link.startswith("/admin/"):
            continue  # the admin site has its own login and model permissions
        assert client.get(link).status_code == 200, link


def test_a_link_the_policy_refuses_is_not_in_the_menu(client_for, department_user, monkeypatch):
    client = client_for(department_user)
    board = reverse("respondents:board")
    assert board in _menu(client, "institutions:department_home")
    asked = policy.allowed
    monkeypatch.setattr(
        policy,
        "allowed",
        lambda actor, rule, obj=None: rule != "list.board" and asked(actor, rule, obj),
    )
    links = _menu(client, "institutions:department_home")
    assert board not in links
    assert reverse("enumeration:progress") in links  # the others still ask and are shown


def test_commission_menu_leaves_out_what_it_may_not_do(client_for, commission_user):
    links = _menu(client_for(commission_user), "institutions:department_home")
    assert reverse("respondents:conflicts") not in links  # conflict.resolve: Department only
    assert reverse("enumeration:certificates") not in links
    assert reverse("respondents:board") in links
