"""The acceptance-transfer act and the return act read as official documents in kk and ru:
issuer with address, both parties with positions, place and date, stamp places, signature
lines with names, a draft mark until signed, page numbers."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from equipment.choices import Component, ReturnOutcome
from equipment.services import KitReturnLine, kit_return_record

pytestmark = pytest.mark.django_db

EXPECTED = {
    "kk": {
        "title": "ҚАБЫЛДАУ-ТАПСЫРУ АКТІСІ",
        "return_title": "ҚАЙТАРУ АКТІСІ",
        "issuer": (
            "Қазақстан Республикасы Стратегиялық жоспарлау және реформалар агенттігі "
            "Ұлттық статистика бюросының Ақмола облысы бойынша департаменті"
        ),
        "address": "Көкшетау қ., Абай к-сі, 96",
        "place": "Көкшетау қ.",
        "stamp": "М.О.",
        "draft": "ЖОБА",
        "giver_position": "Бас маман",
        "staff_position": "Әлеуметтік қызметкер",
        "handed": "ТАПСЫРДЫМ",
        "received": "ҚАБЫЛДАДЫМ",
    },
    "ru": {
        "title": "АКТ ПРИЕМА-ПЕРЕДАЧИ",
        "return_title": "АКТ ВОЗВРАТА",
        "issuer": (
            "Департамент Бюро национальной статистики Агентства по стратегическому "
            "планированию и реформам Республики Казахстан по Акмолинской области"
        ),
        "address": "г. Кокшетау, ул. Абая, 96",
        "place": "г. Кокшетау",
        "stamp": "М.П.",
        "draft": "ПРОЕКТ",
        "giver_position": "Главный специалист",
        "staff_position": "Социальный работник",
        "handed": "СДАЛ",
        "received": "ПРИНЯЛ",
    },
}


def _page_numbers_count_to_the_last(text: str) -> bool:
    """Every page is numbered "n / total" and the last one is "total / total"."""
    numbers = re.findall(r"\b(\d+) / (\d+)\b", text)
    return bool(numbers) and numbers[0][0] == "1" and numbers[-1][0] == numbers[-1][1]


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    # Line breaks fall anywhere in a justified paragraph: compare on single spaces.
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def department_user_with_position(department_user):
    department_user.first_name, department_user.last_name = "Ерлан", "Жақсыбеков"
    department_user.position_kk = "Бас маман"
    department_user.position_ru = "Главный специалист"
    department_user.save()
    return department_user


@pytest.fixture
def staff_with_position(staff_a):
    staff_a.position = "Әлеуметтік қызметкер"
    staff_a.position_ru = "Социальный работник"
    staff_a.save()
    return staff_a


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_draft_act_reads_as_an_official_document_marked_draft(
    client_for, department_user_with_position, staff_with_position, make_act, kits, language
):
    act = make_act(staff=staff_with_position, kits=kits[:1])
    response = client_for(department_user_with_position).get(
        reverse("equipment:act_pdf", args=[act.pk]), {"lang": language}
    )
    text = _text(response)
    words = EXPECTED[language]
    for key in ("title", "issuer", "address", "place", "stamp", "draft", "giver_position"):
        assert words[key] in text, key
    assert words["handed"] in text
    assert words["received"] in text
    assert f"№ {act.number}" in text
    assert "20.09.2021" in text
    # Both parties with their names and positions; the institution receiving.
    assert "Ерлан Жақсыбеков" in text
    assert "Әлия Қасымова" in text
    assert words["staff_position"] in text
    assert getattr(staff_with_position.institution, f"name_{language}") in text
    assert text.count(words["stamp"]) == 2
    assert _page_numbers_count_to_the_last(text)
    assert "DRAFT" not in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_signed_act_has_no_draft_mark(
    client_for, department_user_with_position, staff_a, make_act, kits, language
):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    text = _text(
        client_for(department_user_with_position).get(
            reverse("equipment:act_pdf", args=[act.pk]), {"lang": language}
        )
    )
    assert EXPECTED[language]["draft"] not in text
    assert EXPECTED[language]["title"] in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_return_act_names_both_parties_place_and_stamps(
    client_for, department_user_with_position, staff_with_position, make_act, kits, language
):
    act = make_act(staff=staff_with_position, kits=kits[:1], sign=True)
    item = act.items.get()
    kit_return = kit_return_record(
        actor=department_user_with_position,
        act=act,
        returned_on=dt.date(2021, 11, 5),
        returned_by=staff_with_position,
        lines=[
            KitReturnLine(
                item_id=item.pk,
                tablet_outcome=ReturnOutcome.RETURNED,
                components=dict.fromkeys(Component.values, ReturnOutcome.RETURNED),
            )
        ],
    )
    text = _text(
        client_for(department_user_with_position).get(
            reverse("equipment:return_pdf", args=[kit_return.pk]), {"lang": language}
        )
    )
    words = EXPECTED[language]
    for key in ("return_title", "issuer", "address", "place", "giver_position"):
        assert words[key] in text, key
    assert text.count(words["stamp"]) == 2
    assert "05.11.2021" in text
    assert "Ерлан Жақсыбеков" in text
    assert "Әлия Қасымова" in text
    assert words["staff_position"] in text
    assert _page_numbers_count_to_the_last(text)
