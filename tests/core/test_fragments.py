"""``{% once %}`` (census_coord.fragments): the menu and the language selector drawn once per
process and key. A part drawn once may use nothing but its key, or one user would see what
another's page drew: the templates are read to prove it, and pages of different users
sharing a key get the HTML each would get drawn afresh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.template import engines
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode, LoadNode, URLNode, WithNode
from django.template.library import SimpleNode
from django.template.loader_tags import IncludeNode
from django.templatetags.i18n import (
    BlockTranslateNode,
    GetAvailableLanguagesNode,
    GetLanguageInfoListNode,
    TranslateNode,
)
from django.templatetags.static import StaticNode
from django.urls import reverse

from accounts.roles import Role
from census_coord import fragments, policy
from census_coord.fragments import OnceNode
from census_coord.navigation import MENU_RULES
from reminders.models import Notification
from tests.factories import InstitutionFactory, OfficerFactory

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
LANGUAGES = re.compile(r'<select id="language-select".*?</select>', re.S)

# --- what a part drawn once reads ------------------------------------------------------

KNOWN = (
    TextNode,
    VariableNode,
    IfNode,
    ForNode,
    WithNode,
    IncludeNode,
    SimpleNode,
    URLNode,
    TranslateNode,
    BlockTranslateNode,
    LoadNode,
    CommentNode,
    GetAvailableLanguagesNode,
    GetLanguageInfoListNode,
    StaticNode,  # a file's address: the settings' (a change empties the parts drawn once)
)


def _expressions(value: Any) -> Iterator[FilterExpression]:
    if isinstance(value, FilterExpression):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _expressions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item)
    elif hasattr(value, "value") or hasattr(value, "first"):  # smartif's literal, operator
        for part in ("value", "first", "second"):
            yield from _expressions(getattr(value, part, None))


def _paths(expression: FilterExpression) -> Iterator[str]:
    variables = [expression.var] + [
        arg for _f, args in expression.filters for lookup, arg in args if lookup
    ]
    for variable in variables:
        if getattr(variable, "lookups", None):
            yield ".".join(variable.lookups)


def _reads(node: Node, rules: list[tuple[str, int]]) -> tuple[set[str], set[str]]:
    """(the variables ``node`` and what it includes read, the names they set themselves);
    ``rules`` collects each ``{% allowed %}`` asked: (rule, number of objects)."""
    assert isinstance(node, KNOWN), f"teach this test what {type(node).__name__} reads"
    reads: set[str] = set()
    sets: set[str] = {"forloop"} if isinstance(node, ForNode) else set()
    for name in ("target_var", "asvar", "variable"):
        if isinstance(getattr(node, name, None), str):
            sets.add(getattr(node, name))
    sets.update(getattr(node, "loopvars", ()))
    if isinstance(node, WithNode | BlockTranslateNode):
        sets.update(node.extra_context)
    if isinstance(node, SimpleNode):
        assert node.func is policy.allowed_tag, f"{node.func.__name__} may read the request"
        rule = node.args[0].resolve({})
        rules.append((rule, len(node.args) - 1))
        node = SimpleNode(node.func, False, node.args[1:], node.kwargs, node.target_var)
    if isinstance(node, BlockTranslateNode):
        for token in node.singular + (node.plural or []):
            if token.token_type.name == "VAR":
                reads.add(token.contents)
    for value in vars(node).values():
        if isinstance(value, list | tuple | dict | FilterExpression) or hasattr(value, "first"):
            for expression in _expressions(value):
                reads.update(_paths(expression))
    if isinstance(node, IfNode):
        for condition, _nodes in node.conditions_nodelists:
            for expression in _expressions(condition):
                reads.update(_paths(expression))
    children = [child for name in node.child_nodelists for child in getattr(node, name, [])]
    if isinstance(node, IfNode):
        children = [child for _c, nodes in node.conditions_nodelists for child in nodes]
    if isinstance(node, IncludeNode):
        name = node.template.resolve({})
        children = list(engines["django"].engine.get_template(name).nodelist)
    for child in children:
        child_reads, child_sets = _reads(child, rules)
        reads |= child_reads
        sets |= child_sets
    return reads, sets


def _once_nodes(name: str) -> list[OnceNode]:
    template = engines["django"].engine.get_template(name)
    return template.nodelist.get_nodes_by_type(OnceNode)


def test_the_parts_of_the_page_drawn_once_read_nothing_but_their_key():
    found = {}
    for node in _once_nodes("base.html"):
        keys = {".".join(key.var.lookups) for key in node.keys}
        rules: list[tuple[str, int]] = []
        reads, sets = set(), set()
        for child in node.nodelist:
            child_reads, child_sets = _reads(child, rules)
            reads |= child_reads
            sets |= child_sets
        strangers = {
            path
            for path in reads
            if path.split(".")[0] not in sets
            and not any(path == key or path.startswith(key + ".") for key in keys)
        }
        assert strangers == set(), (node.name, strangers)
        if rules:
            # {% allowed %} reads the user: only the policy's answers, which are the key.
            assert "menu_rules" in keys
            assert {rule for rule, _objects in rules} == set(MENU_RULES)
            assert all(objects == 0 for _rule, objects in rules)
        found[node.name] = keys
    assert found == {
        "menu": {"menu", "nav_section", "unread_notifications", "user.is_staff", "menu_rules"},
        "languages": {"LANGUAGE_CODE"},
        "brand": set(),
        "assets": set(),
        "skip": set(),
        "script": set(),
        "footer": set(),
    }


def test_a_stranger_in_a_part_drawn_once_is_caught():
    source = "{% load fragments %}{% once 'x' menu %}{{ menu }}{{ user.username }}{% endonce %}"
    (node,) = engines["django"].from_string(source).template.nodelist.get_nodes_by_type(OnceNode)
    reads, _sets = _reads(node.nodelist[1], [])
    assert reads == {"user.username"}


# --- pages -------------------------------------------------------------------------------


def _page(client, url_name: str = "reminders:notifications") -> str:
    return client.get(reverse(url_name)).content.decode()


@pytest.fixture
def drawn_once(settings):
    settings.DEBUG = False
    fragments._RENDERED.clear()
    return fragments._RENDERED


@pytest.mark.django_db
def test_two_officers_share_the_menu_and_each_sees_own_name(client, drawn_once):
    first = OfficerFactory(
        institution=InstitutionFactory(), first_name="Айгүл", last_name="Сапарова"
    )
    second = OfficerFactory(
        institution=InstitutionFactory(), first_name="Ерлан", last_name="Омаров"
    )
    client.force_login(first)
    page_first = _page(client)
    client.force_login(second)
    page_second = _page(client)
    assert NAV.search(page_first).group(0) == NAV.search(page_second).group(0)
    assert "Айгүл Сапарова" in page_first
    assert "Ерлан Омаров" in page_second
    assert "Айгүл" not in page_second
    drawn_once.clear()
    assert NAV.search(_page(client)).group(0) == NAV.search(page_second).group(0)


@pytest.mark.django_db
def test_the_menu_drawn_once_is_the_menu_drawn_afresh(
    client_for, drawn_once, department_user, commission_user, officer_a
):
    for user in (department_user, commission_user, officer_a):
        client = client_for(user)
        for url_name in ("reminders:notifications", "enumeration:progress"):
            cached = _page(client, url_name)  # drawn by another request of the same key
            drawn_once.clear()
            fresh = _page(client, url_name)
            assert NAV.search(cached).group(0) == NAV.search(fresh).group(0)
            assert LANGUAGES.search(cached).group(0) == LANGUAGES.search(fresh).group(0)


@pytest.mark.django_db
def test_a_changed_role_shows_its_menu_on_the_next_page(client_for, drawn_once, department_user):
    client = client_for(department_user)
    conflicts = reverse("respondents:conflicts")
    assert conflicts in NAV.search(_page(client)).group(0)
    department_user.groups.set([Group.objects.get(name=Role.COMMISSION)])
    menu = NAV.search(_page(client)).group(0)
    assert conflicts not in menu  # conflict.resolve: the Department only
    assert reverse("respondents:board") in menu


@pytest.mark.django_db
def test_staff_status_and_unread_count_change_the_menu(client_for, drawn_once, department_user):
    client = client_for(department_user)
    for staff in (True, False, True):
        department_user.is_staff = staff
        department_user.save(update_fields=["is_staff"])
        menu = NAV.search(_page(client, "enumeration:progress"))[0]
        assert (reverse("admin:index") in menu) is staff
    for count in (1, 2):
        Notification.objects.create(recipient=department_user, subject="s", body="b")
        menu = NAV.search(_page(client, "enumeration:progress"))[0]
        assert f'aria-hidden="true">{count}</span>' in menu


@pytest.mark.django_db
def test_the_language_selector_marks_the_page_s_language(client_for, drawn_once, officer_a):
    client = client_for(officer_a)
    for language in ("kk", "ru", "en", "kk"):
        officer_a.language = language
        officer_a.save(update_fields=["language"])
        selector = LANGUAGES.search(_page(client))[0]
        assert re.findall(r'value="(\w+)" selected', selector) == [language]
