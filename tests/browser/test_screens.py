"""The screens people use: no serious accessibility violation (axe-core), no sideways
scrolling at phone width (360 px), and a login done with the keyboard alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from institutions.models import Campaign
from respondents import services as respondent_services
from tests.browser.helpers import (
    DESKTOP,
    LANGUAGES,
    PASSWORD,
    PHONE,
    fail_message,
    login,
    serious_violations,
    set_language,
)
from tests.respondents.factories import row_data
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(
    institution_a, institution_b, officer_a, officer_b, commission_user, department_user, settings
):
    settings.MEDIA_ROOT = settings.BASE_DIR / "var" / "test-media" / "browser"
    users = {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "commission": commission_user,
        "department": department_user,
        "anonymous": None,
    }
    built = World.build(institution_a=institution_a, institution_b=institution_b, users=users)
    # B's list waits for the department's review.
    list_b = respondent_services.respondent_list_open(
        actor=officer_b, institution=institution_b, campaign=Campaign.objects.get(is_active=True)
    )
    respondent_services.respondent_create(
        actor=officer_b,
        respondent_list=list_b,
        data=row_data(surname="Ахметова", sex="female", birth_date=dt.date(1948, 5, 9)),
    )
    respondent_services.respondent_list_submit(actor=officer_b, respondent_list=list_b)
    built.list_b = list_b
    return built


def department_pages(world: World) -> list[str]:
    return [
        reverse("institutions:department_home"),
        reverse("institutions:institution_detail", args=[world.institution_a.pk]),
        reverse("respondents:board"),
        reverse("respondents:list_detail", args=[world.list_a.pk]),
        reverse("respondents:review", args=[world.list_b.pk]),
        reverse("respondents:conflicts"),
        reverse("enumeration:progress"),
        reverse("enumeration:worklist_of", args=[world.institution_a.pk]),
        reverse("equipment:overview"),
        reverse("equipment:act_list"),
        reverse("equipment:act_create"),
        reverse("equipment:act_detail", args=[world.act_a.pk]),
        reverse("equipment:act_return", args=[world.act_a.pk]),
        reverse("equipment:act_sign", args=[world.draft_act_a.pk]),
    ]


def department_more_pages(world: World) -> list[str]:
    """Checked by axe too (kept apart so the phone screenshots keep their numbers)."""
    return [
        reverse("equipment:overdue"),
        reverse("equipment:kit_replace", args=[world.kit_a.pk]),
        reverse("sync:board"),
        reverse("sync:usb_offloads"),
    ]


def officer_pages(world: World) -> list[str]:
    return [
        reverse("institutions:officer_home"),
        reverse("respondents:list_detail", args=[world.list_a.pk]),
        reverse("respondents:row_edit", args=[world.list_a.pk, world.respondent_a.pk]),
        reverse("enumeration:worklist"),
        reverse("enumeration:enumeration_edit", args=[world.respondent_a.pk]),
        reverse("enumeration:certificates"),
        reverse("equipment:overview"),
        reverse("reminders:notifications"),
    ]


def _visit_all(page: Any, paths: list[str], check: Any) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        problem = check(page)
        if problem:
            problems.append(problem)
    return problems


def _axe(page: Any) -> str:
    violations = serious_violations(page)
    return fail_message(page, violations) if violations else ""


def _fits_phone(page: Any) -> str:
    width = page.evaluate("document.documentElement.scrollWidth")
    return "" if width <= PHONE["width"] else f"{page.url}: page is {width}px wide"


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, world, language):
    # axe-core is injected as a script of the test; the app's CSP (rightly) refuses inline
    # scripts, so this context alone bypasses it. Journeys run with the CSP in force.
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=True)
    try:
        _check_accessibility(context.new_page(), world, language)
    finally:
        context.close()


def _check_accessibility(page: Any, world: World, language: str) -> None:
    page.goto("/accounts/login/")
    set_language(page, language)
    problems = [_axe(page)] if _axe(page) else []
    login(page, world.users["department"], language)
    problems += _visit_all(page, department_pages(world) + department_more_pages(world), _axe)
    page.context.clear_cookies()
    login(page, world.users["officer_a"], language)
    problems += _visit_all(page, officer_pages(world), _axe)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_fit_a_phone_screen(browser, live_server, world, language, shots):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()

        def check(page: Any) -> str:
            path = page.url.split("//", 1)[-1].split("/", 1)[-1].strip("/")
            shots(page, path.replace("/", "_") or "home")
            return _fits_phone(page)

        page.goto("/accounts/login/")
        problems = [check(page)]
        login(page, world.users["department"], language)
        problems += _visit_all(page, department_pages(world), check)
        context.clear_cookies()
        login(page, world.users["officer_a"], language)
        problems += _visit_all(page, officer_pages(world), check)
        problems = [problem for problem in problems if problem]
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_with_the_keyboard_alone(page, officer_a, language, shots):
    officer_a.language = language
    officer_a.save(update_fields=["language"])
    page.goto("/accounts/login/")
    active = "document.activeElement.id"
    # The username field has the focus on arrival.
    assert page.evaluate(active) == "id_username"

    def back_to(element_id: str) -> None:
        for _ in range(12):
            if page.evaluate(active) == element_id:
                return
            page.keyboard.press("Shift+Tab")
        raise AssertionError(f"Shift+Tab never reached #{element_id}")

    # Language switcher: reached with the keyboard, submitted with Enter.
    back_to("language-select")
    page.select_option("#language-select", language)
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == language
    # The skip link comes first and shows when focused.
    page.keyboard.press("Shift+Tab")
    for _ in range(12):
        if page.evaluate("document.activeElement.className") == "skip-link":
            break
        page.keyboard.press("Shift+Tab")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate(active) == "id_username":
            break
    assert page.evaluate(active) == "id_username"
    # Focus is visible: the focused field draws an outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.type(officer_a.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    shots(page, "login-keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    assert page.locator(".logout-form").is_visible()
