"""Pages that fit the screens people use: at 1366x768 (a common office laptop) and 360x740
(a phone) the buttons that act on a row and the cells that name it are on the screen
without sideways scrolling, and on a phone the header is one short row with a menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.helpers import LANGUAGES, PHONE, login
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
# Long names, as real ones are: a table must not grow sideways because of them.
LONG_NAME_KK = "Адам саудасының құрбандарын оңалту орталығы №1 (Егіндікөл ауданы)"
LONG_NAME_RU = "Центр реабилитации жертв торговли людьми №1 (Егиндыкольский район)"
PHONE_HEADER_MAX = 64  # px: one row, the name and the menu button


@pytest.fixture
def world(institution_a, institution_b, officer_a, officer_b, commission_user, department_user):
    institution_a.name_kk, institution_a.name_ru = LONG_NAME_KK, LONG_NAME_RU
    institution_a.save(update_fields=["name_kk", "name_ru"])
    users = {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "commission": commission_user,
        "department": department_user,
        "anonymous": None,
    }
    return World.build(institution_a=institution_a, institution_b=institution_b, users=users)


def _on_screen(page: Any, selector: str) -> list[str]:
    """Problems with every element matching ``selector``: it must exist and lie wholly
    inside the viewport as the page opens (no scrolling of the page or of its table)."""
    viewport = page.viewport_size
    elements = page.locator(selector)
    if elements.count() == 0:
        return [f"{page.url}: nothing matches {selector}"]
    problems = []
    for index in range(elements.count()):
        element = elements.nth(index)
        box = element.bounding_box()
        if box is None:
            problems.append(f"{page.url}: {selector} #{index} is not displayed")
            continue
        # A table's box clips what overflows it: the element must be inside that too.
        left, right = element.evaluate(
            """(node) => {
                const wrap = node.closest('.table-wrap');
                if (!wrap) return [0, window.innerWidth];
                const r = wrap.getBoundingClientRect();
                return [Math.max(r.left, 0), Math.min(r.right, window.innerWidth)];
            }"""
        )
        if box["x"] < left - 0.5 or box["x"] + box["width"] > min(right, viewport["width"]) + 0.5:
            end = round(box["x"] + box["width"])
            problems.append(
                f"{page.url}: {selector} #{index} spans {round(box['x'])}..{end}px; "
                f"visible: {round(left)}..{round(right)}px"
            )
    return problems


def _no_page_scroll(page: Any) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    limit = page.viewport_size["width"]
    return [] if width <= limit else [f"{page.url}: the page is {width}px wide"]


def _visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"


def _check(page: Any, path: str, selectors: list[str], shots: Any, step: str) -> list[str]:
    _visit(page, path)
    # Scrolled down to the first row (vertically only), so the screenshot shows the table.
    page.locator(selectors[0]).first.scroll_into_view_if_needed()
    shots(page, step, full_page=False)
    problems = _no_page_scroll(page)
    for selector in selectors:
        problems += _on_screen(page, selector)
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_row_actions_and_names_are_on_screen_without_scrolling(
    browser, live_server, world, language, screen, shots
):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[screen], is_mobile=screen == "phone"
    )
    try:
        page = context.new_page()
        login(page, world.users["department"], language)
        problems = _check(
            page,
            reverse("sync:usb_offloads"),
            [".usb-offloads tbody th", ".usb-offloads .col-action button"],
            shots,
            "usb-offloads",
        )
        problems += _check(
            page,
            reverse("sync:board"),
            [".sync-board tbody th", ".sync-board tbody td:nth-child(2)"],
            shots,
            "sync-board",
        )
        problems += _check(
            page,
            reverse("institutions:department_home"),
            [".readiness-board tbody th", ".readiness-board tbody td:nth-child(2)"],
            shots,
            "readiness-board",
        )
        problems += _check(
            page,
            reverse("enumeration:progress"),
            [".progress-table tbody th", ".progress-table tbody td:nth-child(2)"],
            shots,
            "progress",
        )
        context.clear_cookies()
        login(page, world.users["officer_a"], language)
        problems += _check(
            page,
            reverse("enumeration:worklist"),
            [
                ".worklist tbody td:nth-child(2)",  # the person
                ".worklist tbody td:nth-child(3)",  # the outcome
                ".worklist tbody .row-action a",  # the edit link
            ],
            shots,
            "worklist",
        )
        problems += _check(
            page, reverse("institutions:officer_home"), ["main h1"], shots, "officer-home"
        )
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_header_is_one_row_and_the_menu_opens_on_demand(
    browser, live_server, world, language, shots
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        login(page, world.users["officer_a"], language)
        _visit(page, reverse("institutions:officer_home"))
        header = page.locator(".site-header").bounding_box()
        assert header is not None
        assert header["height"] <= PHONE_HEADER_MAX, header
        toggle = page.locator(".menu-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#main-nav").is_visible()
        shots(page, "menu-closed", full_page=False)

        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        worklist = page.locator(f'#main-nav a[href="{reverse("enumeration:worklist")}"]')
        assert worklist.is_visible()
        assert page.locator(".logout-form button").is_visible()
        shots(page, "menu-open", full_page=False)
        worklist.click()
        page.wait_for_url(f"**{reverse('enumeration:worklist')}")
        # The next page opens with the menu closed again.
        assert not page.locator("#main-nav").is_visible()
    finally:
        context.close()


def test_laptop_header_shows_the_navigation_without_a_menu_button(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    try:
        page = context.new_page()
        login(page, world.users["department"], "ru")
        assert page.locator("#main-nav").is_visible()
        assert not page.locator(".menu-toggle").is_visible()
    finally:
        context.close()
