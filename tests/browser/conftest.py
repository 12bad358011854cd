"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

One browser for the session, a new context (cookies, language, viewport) per test. Every
journey saves its screenshots under ``BROWSER_SCREENS_DIR`` (default ``var/browser-screens``),
unless ``BROWSER_SCREENSHOTS=0`` (as `make test` runs them: the screenshots are never checked).

No browser is downloaded: Debian's ``chromium`` is used (``CHROMIUM_PATH`` overrides
``/usr/bin/chromium``). Without it the browser tests fail with a message saying so, unless
``SKIP_BROWSER_TESTS=1`` is set (a developer machine without chromium).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.browser.helpers import DESKTOP, Shots

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The network is closed: without the background-networking flags chromium keeps trying to
# reach update and sync services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENS_DIR = Path(
    os.environ.get("BROWSER_SCREENS_DIR", str(settings.BASE_DIR / "var" / "browser-screens"))
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SKIP_BROWSER_TESTS") != "1":
        return
    skip = pytest.mark.skip(reason="SKIP_BROWSER_TESTS=1: browser tests skipped on request")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


# One browser for all browser tests (package scope): closed right after them.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        pytest.fail(
            f"chromium not found at {CHROMIUM_PATH}: install Debian's package "
            "(apt-get install -y --no-install-recommends chromium), set CHROMIUM_PATH, "
            "or set SKIP_BROWSER_TESTS=1 to skip the browser tests",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser is open,
    # so Django would take the tests' own ORM calls (data set up through factories and
    # services) for async code. Allowed for exactly that time: the variable never reaches
    # the tests after these, nor their subprocesses (``check --deploy`` refuses it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        instance = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_context(
    browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Any]:
    # A test parametrised by ``language`` gets a browser of that locale (date inputs, the
    # Accept-Language header); the interface language itself is chosen in the app.
    language = getattr(request.node, "callspec", None) and request.node.callspec.params.get(
        "language"
    )
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        accept_downloads=True,
        locale={"kk": "kk-KZ", "ru": "ru-RU"}.get(language or "", "en-GB"),
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Any:
    return browser_context.new_page()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    return Shots(SCREENS_DIR / name)
