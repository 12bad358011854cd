"""``{% url %}`` (census_coord.links): links without arguments reversed once per process,
the same strings as Django's tag gives, under whatever script prefix serves the site."""

from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix

from census_coord import links


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_link_without_arguments_is_reversed_once_and_stays_the_same():
    links._REVERSED.clear()
    first = _render("{% url 'respondents:board' %}")
    assert first == reverse("respondents:board")
    assert list(links._REVERSED.values()) == [first]
    assert _render("{% url 'respondents:board' %}") == first


def test_links_follow_the_script_prefix():
    plain = _render("{% url 'home' %}")
    set_script_prefix("/census/")
    try:
        assert _render("{% url 'home' %}") == "/census/"
    finally:
        clear_script_prefix()
    assert _render("{% url 'home' %}") == plain == "/"


def test_links_with_arguments_or_saved_as_a_variable_are_django_s():
    links._REVERSED.clear()
    rendered = _render(
        "{% url 'enumeration:worklist_of' pk %}|{% url 'home' as home %}[{{ home }}]", pk=5
    )
    assert rendered == f"{reverse('enumeration:worklist_of', args=[5])}|[/]"
    assert links._REVERSED == {}
