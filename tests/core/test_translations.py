"""What the catalogues say on the pages: verbs where a button acts, plural forms for counts,
and which language the sign-in page speaks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from respondents.readiness_items import _people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "button"), [("ru", "Изменить"), ("kk", "Өзгерту")])
def test_language_button_is_a_verb(client, language, button):
    client.cookies["census_language"] = language
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<button type="submit" class="button button-small">{button}</button>' in page


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("ru", 1, "1 человек"),
        ("ru", 3, "3 человека"),
        ("ru", 5, "5 человек"),
        ("ru", 11, "11 человек"),
        ("ru", 21, "21 человек"),
        ("ru", 22, "22 человека"),
        ("kk", 1, "1 адам"),
        ("kk", 5, "5 адам"),
        ("en", 1, "1 person"),
        ("en", 5, "5 people"),
    ],
)
def test_counts_take_the_plural_form_of_the_number(language, count, text):
    with translation.override(language):
        assert _people(count) == text


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        ("", "ru-RU,ru;q=0.9", "ru"),  # the browser's language, when it is one of ours
        ("kk", "ru-RU,ru;q=0.9", "kk"),  # the header's switcher (its cookie) wins
        ("", "de-DE,de;q=0.9", "kk"),  # otherwise Kazakh
        ("", "", "kk"),
    ],
)
def test_sign_in_page_language_comes_from_the_switcher_then_the_browser_then_kazakh(
    client, cookie, accept_language, expected
):
    if cookie:
        client.cookies["census_language"] = cookie
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert f'<html lang="{expected}"' in page.content.decode()
