"""Steps the browser tests share: sign in, switch language, check accessibility."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory's password
LANGUAGES = ("kk", "ru")
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 740}


class Shots:
    """Numbered screenshots of one test: ``shots(page, "login")`` saves ``01-login.png``.

    They are the README's tour (`make screens`) and a record of a run, never checked: with
    ``BROWSER_SCREENSHOTS=0`` (`make test`) none is taken, which saves a third of the
    browser tests' time; run a test alone, or `make screens`, to see its screens."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.enabled = os.environ.get("BROWSER_SCREENSHOTS", "1") != "0"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page: Any, step: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        if self.enabled:
            page.screenshot(path=str(path), full_page=full_page)
        return path


def set_language(page: Any, language: str) -> None:
    """Choose the language with the switcher in the header, as a person would (on a
    phone the switcher is in the menu, opened first)."""
    if (
        not page.locator("#language-select").is_visible()
        and page.locator(".menu-toggle").is_visible()
    ):
        page.click(".menu-toggle")
    page.select_option("#language-select", language)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_selector(f"html[lang={language}]")


def login(page: Any, user: Any, language: str, shots: Shots | None = None) -> None:
    """Sign in through the login page in ``language``: the switcher on the login page for
    the page itself, and the user's remembered language for the pages after it."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    page.goto("/accounts/login/")
    set_language(page, language)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    if shots is not None:
        shots(page, "login")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.inner_text("main")
    assert page.get_attribute("html", "lang") == language


def logout(page: Any) -> None:
    if not page.locator(".logout-form").is_visible() and page.locator(".menu-toggle").is_visible():
        page.click(".menu-toggle")
    page.locator(".logout-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/login/.*|.*/$"))


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def fail_message(page: Any, violations: list[dict[str, Any]]) -> str:
    lines = [f"{page.url}:"]
    lines += [f"  {v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in violations]
    return "\n".join(lines)
