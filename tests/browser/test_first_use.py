"""What a new user sees first, at 1366x768 and on a 360x740 phone: the size of every list
as a number of people (201, not "1 person"), and an officer's next step as a link on the
screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.helpers import LANGUAGES, PHONE, login
from tests.respondents.factories import RespondentListFactory, bulk_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": PHONE}
PEOPLE = {"kk": {201: "201 адам", 2: "2 адам"}, "ru": {201: "201 человек", 2: "2 человека"}}


@pytest.fixture
def lists(institution_a, institution_b):
    big = RespondentListFactory(institution=institution_a)
    bulk_people(big, 201)
    small = RespondentListFactory(institution=institution_b)
    bulk_people(small, 2, start=201)
    return big, small


def _inside_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_home_counts_the_list_and_links_the_next_step(
    browser, live_server, lists, officer_a, language, screen
):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[screen], is_mobile=screen == "phone"
    )
    try:
        page = context.new_page()
        login(page, officer_a, language)
        page.goto(reverse("institutions:officer_home"))
        checklist = page.inner_text(".checklist")
        assert PEOPLE[language][201] in checklist
        assert PEOPLE[language][2] not in checklist  # another institution's list
        next_step = ".next-step h3 a"
        assert page.locator(next_step).is_visible()
        assert _inside_viewport(page, next_step)
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    finally:
        context.close()


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_readiness_board_counts_each_list(
    browser, live_server, lists, department_user, language, screen
):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[screen], is_mobile=screen == "phone"
    )
    try:
        page = context.new_page()
        login(page, department_user, language)
        page.goto(reverse("institutions:department_home"))
        board = page.inner_text(".readiness-board")
        assert PEOPLE[language][201] in board
        assert PEOPLE[language][2] in board
        assert _inside_viewport(page, ".readiness-board tbody th")
    finally:
        context.close()
