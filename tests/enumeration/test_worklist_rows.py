"""The worklist's rows: each outcome's words (translated once a page) in Kazakh and
Russian, the certificate, an arrival, for 0, 1 and several people; the rows read only the
columns they show."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from enumeration import services
from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from enumeration.models import Certificate, Enumeration
from enumeration.templatetags.outcome import outcome_badge, worklist_rows
from respondents.models import Respondent
from tests.enumeration.stage2 import accepted_list, enumerate_online, people

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru"]
DURING_CENSUS = dt.datetime(2021, 9, 20, 6, tzinfo=dt.UTC)  # the online window is open


def _person(pk: int, enumeration: Enumeration | None, **values) -> Respondent:
    """A row as the worklist reads it (its outcome and certificate joined in), in memory."""
    person = Respondent(pk=pk, surname=f"Төлегенов{pk}", given_name="Ерлан", **values)
    if enumeration is not None:
        person.enumeration = enumeration
    return person


def _outcomes() -> list[Enumeration | None]:
    day = dt.date(2021, 9, 20)
    return [
        None,
        Enumeration(status=EnumerationStatus.PENDING),
        *(
            Enumeration(status=EnumerationStatus.ENUMERATED, method=method, enumerated_on=day)
            for method in EnumerationMethod.values
        ),
        Enumeration(status=EnumerationStatus.ENUMERATED, method="", enumerated_on=None),
        *(
            Enumeration(status=EnumerationStatus.NOT_ENUMERATED, reason=reason)
            for reason in NonEnumerationReason.values
        ),
    ]


def _expected_badge(enumeration: Enumeration | None) -> str:
    """What the badge said when it asked ``get_<field>_display`` for every row."""
    if enumeration is None or enumeration.status == EnumerationStatus.PENDING:
        return f'<span class="badge badge-warn">{translation.gettext("Pending")}</span>'
    if enumeration.status == EnumerationStatus.ENUMERATED:
        day = f", {enumeration.enumerated_on:%d.%m.%Y}" if enumeration.enumerated_on else ""
        return (
            f'<span class="badge badge-ok">{enumeration.get_status_display()}</span> '
            f'<span class="muted">{enumeration.get_method_display()}{day}</span>'
        )
    return (
        f'<span class="badge badge-danger">{enumeration.get_status_display()}</span> '
        f'<span class="muted">{enumeration.get_reason_display()}</span>'
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_outcome_shows_its_translated_words(language):
    outcomes = _outcomes()
    rows = [_person(n + 1, outcome) for n, outcome in enumerate(outcomes)]
    with translation.override(language):
        html = str(worklist_rows(rows))
        for row, outcome in zip(html.split("\n"), outcomes, strict=True):
            assert f"<td>{_expected_badge(outcome)}</td>" in row
            assert str(outcome_badge(_person(1, outcome))) == _expected_badge(outcome)
        assert translation.gettext("Refused") != "Refused"  # the catalogue is in use


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_row_shows_the_person_arrival_and_certificate(language):
    enumerated = Enumeration(
        status=EnumerationStatus.ENUMERATED, method="tablet", enumerated_on=dt.date(2021, 10, 5)
    )
    arrived = _person(7, enumerated, arrived_on=dt.date(2021, 8, 1), unit="3 <a>")
    arrived.certificate = Certificate(number=42)
    plain = _person(8, None, birth_date=dt.date(1990, 1, 2))
    with translation.override(language):
        first, second = str(worklist_rows([arrived, plain])).split("\n")
        select = translation.gettext("Select %(name)s")
        arrival = translation.gettext("arrival")
        update = translation.gettext("Update")
    link = reverse("enumeration:enumeration_edit", args=[7])
    assert first == (
        f'<tr><td><input type="checkbox" name="selected" value="7" id="sel-7" '
        f'aria-label="{select % {"name": "Төлегенов7 Ерлан"}}"></td>'
        f'<td><label for="sel-7" class="plain">Төлегенов7 Ерлан</label> '
        f'<span class="badge">{arrival}</span>'
        f'<span class="cell-note muted"> · 3 &lt;a&gt;</span></td>'
        f"<td>{_expected_badge_in(language, enumerated)}</td>"
        f'<td class="col-optional">№ 000042</td>'
        f'<td class="row-action"><a href="{link}">{update}'
        f'<span class="visually-hidden"> — Төлегенов7 Ерлан</span></a></td></tr>'
    )
    assert '<span class="cell-note muted">02.01.1990</span>' in second
    assert '<td class="col-optional"></td>' in second
    assert str(worklist_rows([])) == ""


def _expected_badge_in(language: str, enumeration: Enumeration | None) -> str:
    with translation.override(language):
        return _expected_badge(enumeration)


def _body_rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, flags=re.DOTALL)


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_the_worklist_shows_each_listed_person_once(
    count, client_for, officer_a, institution_a, institution_b
):
    own = accepted_list(institution_a)
    listed = people(own, count)
    people(accepted_list(institution_b), 2)  # another institution's: never on this worklist
    rows = _body_rows(client_for(officer_a).get(reverse("enumeration:worklist")).content.decode())
    if not count:
        assert len(rows) == 1
        assert 'colspan="5"' in rows[0]
        return
    assert len(rows) == count
    for person in listed:
        assert sum(f'value="{person.pk}"' in row for row in rows) == 1


def test_the_rows_read_no_column_row_by_row(client_for, officer_a, department_user, institution_a):
    """The rows read only ``WORKLIST_ROW_COLUMNS``: two people or six cost the same queries,
    every kind of outcome among them and a certificate."""
    with time_machine.travel(DURING_CENSUS, tick=False):
        own = accepted_list(institution_a)
        client = client_for(officer_a)

        def queries() -> int:
            client.get(reverse("enumeration:worklist"))
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("enumeration:worklist"))
            return len(captured)

        first = people(own, 2)
        enumerate_online(department_user, first[0])
        two = queries()
        more = people(own, 3, arrived_on=dt.date(2021, 8, 1)) + people(own, 1)
        enumerate_online(department_user, more[0])
        services.certificate_issue(actor=officer_a, respondent=more[0])
        services.enumeration_record(
            actor=department_user,
            update=services.EnumerationUpdate(
                respondent_id=more[1].pk,
                status="not_enumerated",
                reason="refused",
                enumerated_on=DURING_CENSUS.date(),
            ),
        )
        assert queries() == two
        html = client.get(reverse("enumeration:worklist")).content.decode()
    assert "№ 000001" in html
