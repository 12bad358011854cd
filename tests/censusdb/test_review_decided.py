"""A decided census-DB review reads only: its page shows the form, the candidates, the
decision, who made it, when and the note, with no form; a decision posted to it is refused
and changes nothing. The queue shows the decided reviews too (``state=decided``), of the
selected campaign and the Department's region only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from censusdb import services
from censusdb.models import CensusRecord, CensusReview
from enumeration.models import Enumeration
from institutions.models import Region
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people
from tests.factories import DepartmentUserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/census-db/review/"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reviews(department_user, institution_a):
    """Two variant spellings of A's people under review: V-1 accepted with a note, V-2
    rejected; V-3 still open."""
    own = accepted_list(institution_a)
    first = people(own, 1, iin="", surname="Әлиева", given_name="Гүлнар")[0]
    second = people(own, 1, iin="", surname="Өмірова", given_name="Құралай")[0]
    third = people(own, 1, iin="", surname="Ұлықбекова", given_name="Әсел")[0]
    run_export(
        department_user,
        [
            form("V-1", first, Surname="Алиева", **{"Given name": "Гулнар"}),
            form("V-2", second, Surname="Омирова", **{"Given name": "Куралай"}),
            form("V-3", third, Surname="Улыкбекова", **{"Given name": "Асел"}),
        ],
    )
    accepted = CensusReview.objects.get(record__form_number="V-1")
    services.census_review_resolve(
        actor=department_user, review=accepted, accept=True, note="Паспорт тексерілді"
    )
    rejected = CensusReview.objects.get(record__form_number="V-2")
    services.census_review_resolve(actor=department_user, review=rejected, accept=False)
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    return {
        "accepted": accepted,
        "rejected": rejected,
        "open": CensusReview.objects.get(record__form_number="V-3"),
        "first": first,
    }


def _url(review):
    return reverse("censusdb:review_detail", args=[review.pk])


def test_an_accepted_review_reads_with_its_decision_and_no_form(
    client_en, department_user, reviews
):
    department_user.first_name, department_user.last_name = "Айгүл", "Серікова"
    department_user.save(update_fields=["first_name", "last_name"])
    review = reviews["accepted"]
    response = client_en(department_user).get(_url(review))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Алиева" in text  # the census form
    assert "Әлиева" in text  # the candidate on the list
    assert "Accepted: Әлиева Гүлнар" in text
    assert "Айгүл Серікова" in text
    assert f"{review.resolved_at.astimezone():%d.%m.%Y}" in text
    assert "Паспорт тексерілді" in text
    assert 'name="decision"' not in text
    assert "Record the decision" not in text


def test_a_rejected_review_says_so(client_en, department_user, reviews):
    text = client_en(department_user).get(_url(reviews["rejected"])).content.decode()
    assert "Rejected: not this person" in text
    assert "dept_user" in text  # no full name: the username
    assert 'name="decision"' not in text


def test_an_open_review_still_has_its_form(client_en, department_user, reviews):
    text = client_en(department_user).get(_url(reviews["open"])).content.decode()
    assert 'name="decision"' in text


@pytest.mark.parametrize("kind", ["accepted", "rejected"])
def test_posting_a_decision_to_a_decided_review_is_refused_and_changes_nothing(
    client_en, department_user, reviews, kind
):
    review = reviews[kind]
    record = CensusRecord.objects.get(pk=review.record_id)
    before = (review.state, review.chosen_id, review.note, review.resolved_at, record.state)
    outcomes = list(Enumeration.objects.values_list("respondent_id", "status", "source"))
    changes = AuditEvent.objects.filter(action=AuditAction.CHANGE).count()
    response = client_en(department_user).post(
        _url(review),
        {"decision": "reject" if kind == "accepted" else "accept", "note": "again"},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "This form was decided already; its decision was not changed." in text
    assert 'name="decision"' not in text
    review.refresh_from_db()
    record.refresh_from_db()
    assert (review.state, review.chosen_id, review.note, review.resolved_at, record.state) == (
        before
    )
    assert list(Enumeration.objects.values_list("respondent_id", "status", "source")) == outcomes
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == changes


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", "Решение по этому листу уже принято"), ("kk", "Бұл парақ бойынша шешім")],
)
def test_the_refusal_is_translated(client_en, department_user, reviews, language, words):
    client = client_en(department_user)
    department_user.language = language
    department_user.save(update_fields=["language"])
    response = client.post(_url(reviews["accepted"]), {"decision": "reject"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "This form was decided already" not in text
    assert words in text


def test_the_queue_shows_open_reviews_and_decided_ones_on_request(
    client_en, department_user, reviews
):
    client = client_en(department_user)
    queue = client.get(QUEUE).content.decode()
    assert "V-3" in queue
    assert "V-1" not in queue
    assert "V-2" not in queue
    decided = client.get(QUEUE, {"state": "decided"})
    assert [r.record.form_number for r in decided.context["page"]] == ["V-2", "V-1"]
    text = decided.content.decode()
    assert "V-3" not in text
    assert "Rejected" in text
    assert "Accepted" in text
    assert "dept_user" in text
    # An unknown state, as every page's filter: the default queue.
    assert "V-3" in client.get(QUEUE, {"state": "closed"}).content.decode()


def test_decided_reviews_follow_the_selected_campaign(client_en, department_user, reviews):
    from institutions.selectors import campaign_get_active
    from tests.institutions.test_campaign_history import open_2031

    old = campaign_get_active()
    open_2031(department_user)
    client = client_en(department_user)
    assert "V-1" not in client.get(QUEUE, {"state": "decided"}).content.decode()
    # The decided review's own page still answers (a link in the audit trail).
    assert client.get(_url(reviews["accepted"])).status_code == 200
    client.post(reverse("institutions:campaign_select"), {"campaign": old.pk})
    assert "V-1" in client.get(QUEUE, {"state": "decided"}).content.decode()


def test_another_regions_department_gets_404_for_a_decided_review(client_en, reviews):
    other = Region.objects.create(code="other", name_kk="Басқа облыс", name_ru="Другая область")
    client = client_en(DepartmentUserFactory(username="other_region", region=other))
    for kind in ("accepted", "rejected", "open"):
        assert client.get(_url(reviews[kind])).status_code == 404
        assert client.post(_url(reviews[kind]), {"decision": "reject"}).status_code == 404
    assert "V-1" not in client.get(QUEUE, {"state": "decided"}).content.decode()
    reviews["rejected"].refresh_from_db()
    assert reviews["rejected"].state == "rejected"


def test_officers_and_the_commission_cannot_open_decided_reviews(
    client_en, officer_a, commission_user, reviews
):
    for user in (officer_a, commission_user):
        client = client_en(user)
        assert client.get(_url(reviews["accepted"])).status_code == 403
        assert client.get(QUEUE, {"state": "decided"}).status_code == 403


@pytest.mark.parametrize(("language", "word"), [("kk", "Ашық"), ("ru", "Открыта"), ("en", "Open")])
def test_an_open_review_is_named_as_a_state_not_as_the_verb(language, word):
    """ "Open" the state, not "open" the button (kk «Ашу», ru «Открыть» before)."""
    from django.utils import translation

    from censusdb.models import ReviewState

    with translation.override(language):
        assert str(ReviewState.OPEN.label) == word
