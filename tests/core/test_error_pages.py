"""403, 404 and 500 are pages of the site: translated, in its layout, with a way back."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation

from census_coord import urls as project_urls
from census_coord.views import server_error

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("the database went away")


# The project's URLs and error handlers, plus one view that fails.
urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def _in(client: Client, language: str) -> Client:
    client.cookies["census_language"] = language
    return client


def _speaking(user, language: str):
    """A signed-in user's saved language wins over the cookie."""
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_403_for_an_officer_offers_the_institutions_pages_in_kazakh(client_for, officer_a):
    client = client_for(_speaking(officer_a, "kk"))
    response = client.get(reverse("institutions:department_home"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Қол жеткізу жабық" in page  # "Access denied"
    assert 'class="site-header"' in page
    assert reverse("institutions:officer_home") in page
    assert reverse("enumeration:worklist") in page
    assert "Бастапқы бетке өту" in page  # "Go to the start page"
    assert "Forbidden" not in page


def test_403_for_the_commission_points_to_the_reports_in_russian(client_for, commission_user):
    client = client_for(_speaking(commission_user, "ru"))
    response = client.get(reverse("enumeration:worklist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Доступ закрыт" in page
    assert "Региональная комиссия знакомится с отчётами" in page
    assert reverse("enumeration:progress") in page
    assert reverse("enumeration:worklist") not in page.split("<main", 1)[1]


def test_404_is_translated_and_leads_home(client_for, officer_a, institution_b):
    client = client_for(_speaking(officer_a, "ru"))
    # Another institution's page is a 404 too: the page does not tell the two apart.
    response = client.get(reverse("institutions:institution_detail", args=[institution_b.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Страница не найдена" in page
    assert "Перейти на начальную страницу" in page
    assert 'href="/"' in page
    assert "Not Found" not in page


def test_404_for_an_anonymous_visitor_in_kazakh(client):
    response = _in(client, "kk").get("/no-such-page/")
    assert response.status_code == 404
    assert "Бет табылмады" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_translated_and_in_the_layout(officer_a):
    client = Client(raise_request_exception=False)
    client.force_login(_speaking(officer_a, "kk"))
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Сервер қатесі" in page  # "Server error"
    assert 'class="site-header"' in page
    assert "Бастапқы бетке өту" in page
    assert "database went away" not in page


def test_500_page_renders_without_touching_the_database(django_assert_num_queries):
    request = RequestFactory().get("/anything/")
    with translation.override("ru"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Ошибка сервера" in response.content.decode()


def test_a_refused_form_says_why_in_russian(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(_speaking(officer_a, "ru"))
    response = client.post(reverse("accounts:set_language"), {"language": "kk"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Форму не удалось отправить" in page
    assert 'class="site-header"' in page
    assert "CSRF" not in page
