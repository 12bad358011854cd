"""No internal code on a Kazakh or Russian page: the main pages and the admin, rendered over
the demo data, show no choice value (``admin_records``), no model field name
(``residence_status``), no ISO date in prose, and in the admin no English string of Django's.
"""

from __future__ import annotations

import functools
import json
import os
import re
from html.parser import HTMLParser

import django
import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import User
from enumeration.models import EnumerationChange
from equipment.models import HandoverAct, TabletKit
from institutions.demo import demo_bin
from institutions.models import Campaign, District, Institution, InstitutionType, Region
from respondents.models import DuplicateIinConflict, RespondentList
from sync.models import SyncRecord

# The demo is seeded once for the module (tests/demo_db.py); each test rolls back its writes.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]

LANGUAGES = ("kk", "ru")
PROJECT_APPS = (
    "accounts",
    "audit",
    "institutions",
    "respondents",
    "enumeration",
    "equipment",
    "sync",
    "reminders",
)
# Demo data that is lowercase ASCII by nature: the demo users' login names.
DATA_WORDS = {"dept", "officer", "commission"}
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# A lowercase word standing alone: not part of an address, a path, a file name or a code.
WORD = re.compile(r"(?<![\w.@/:#-])[a-z][a-z0-9_]*(?![\w.@/:-])")
ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")


class _Text(HTMLParser):
    """The text a reader sees: character data and a few attributes; no scripts or styles."""

    def __init__(self, attributes: set[str]) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._hiding: list[str] = []
        self._attributes = attributes

    def handle_starttag(self, tag, attrs):
        # Text marked as English on purpose (the import's English header names) is left out.
        nested = bool(self._hiding) and tag == self._hiding[-1]  # e.g. a table in a table
        if tag in ("script", "style") or dict(attrs).get("lang") == "en" or nested:
            self._hidden += 1
            self._hiding.append(tag)
        self.parts.extend(value for name, value in attrs if name in self._attributes and value)

    def handle_endtag(self, tag):
        if self._hiding and tag == self._hiding[-1]:
            self._hiding.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str, attributes: set[str] = VISIBLE_ATTRIBUTES) -> str:
    parser = _Text(attributes)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for name in _english_names():  # reference data's English names are data, not codes
        text = text.replace(name, "")
    return text


@functools.cache
def _english_names() -> tuple[str, ...]:
    names = [
        name
        for model in (Region, District, InstitutionType)
        for name in model.objects.values_list("name_en", flat=True)
        if name
    ]
    return tuple(sorted(names, key=len, reverse=True))


def _forbidden_words() -> dict[str, str]:
    """Every choice value and field name of the project's models (and django-axes')."""
    words: dict[str, str] = {}
    models = [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()]
    models += list(apps.get_app_config("axes").get_models())
    for model in models:
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False):
                continue
            if len(field.name) >= 3:
                words.setdefault(field.name, f"field {model._meta.label}.{field.name}")
            for value, _label in field.flatchoices or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]{2,}", value):
                    words.setdefault(value, f"choice of {model._meta.label}.{field.name}")
    for word in DATA_WORDS:
        words.pop(word, None)
    return words


FORBIDDEN = None


def raw_codes(html: str, attributes: set[str] = VISIBLE_ATTRIBUTES) -> list[str]:
    global FORBIDDEN
    FORBIDDEN = FORBIDDEN or _forbidden_words()
    text = visible_text(html, attributes)
    found = [f"{w} ({FORBIDDEN[w]})" for w in WORD.findall(text) if w in FORBIDDEN]
    found += [f"{d} (ISO date)" for d in ISO_DATE.findall(text)]
    return sorted(set(found))


def _django_admin_msgids() -> list[str]:
    """English strings of Django's admin and auth apps that read as words on a page."""
    root = os.path.dirname(django.__file__)
    msgids = set()
    for app in ("admin", "auth", "contenttypes"):
        path = os.path.join(root, "contrib", app, "locale", "kk", "LC_MESSAGES", "django.po")
        for entry in polib.pofile(path):
            msgid = entry.msgid
            if re.search(r"%|\{|<|\n", msgid) or not re.search(r"[A-Za-z]{2}", msgid):
                continue
            msgids.add(msgid)
    return sorted(msgids, key=len, reverse=True)


def english_admin_strings(text: str, msgids: list[str]) -> list[str]:
    return [m for m in msgids if re.search(r"(?<![\w-])" + re.escape(m) + r"(?![\w-])", text)]


@pytest.fixture
def demo():
    return {name: User.objects.get(username=name) for name in ("dept", "officer", "commission")}


def _client(user: User, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _officer_pages() -> list[str]:
    own = RespondentList.objects.get(institution__bin=demo_bin(1))
    change = (
        EnumerationChange.objects.filter(
            enumeration__respondent__respondent_list__institution__bin=demo_bin(1)
        ).first()
        or EnumerationChange.objects.first()
    )
    pages = [
        reverse("institutions:officer_home"),
        reverse("respondents:list_detail", args=[own.pk]),
        reverse("enumeration:worklist"),
        reverse("enumeration:certificates"),
        reverse("enumeration:progress"),
        reverse("enumeration:reconciliation"),
        reverse("equipment:overview"),
        reverse("sync:board"),
        reverse("reminders:notifications"),
        reverse("institutions:staff_part"),
        reverse("institutions:officer_seminars"),
        reverse("institutions:order_report"),
    ]
    own_act = HandoverAct.objects.filter(institution=own.institution).first()
    if own_act is not None:
        pages.append(reverse("equipment:act_detail", args=[own_act.pk]))
    if own.is_editable:
        pages.append(reverse("respondents:row_add", args=[own.pk]))
        row = own.respondents.order_by("pk").first()
        pages.append(reverse("respondents:row_edit", args=[own.pk, row.pk]))
        pages.append(reverse("respondents:import_upload", args=[own.pk]))
    job = own.import_jobs.order_by("pk").first()
    if job is not None:
        pages.append(reverse("respondents:import_job", args=[job.pk]))
    if change.enumeration.respondent.respondent_list_id == own.pk:
        pages.append(
            reverse("enumeration:enumeration_edit", args=[change.enumeration.respondent_id])
        )
    return pages


def _department_pages() -> list[str]:
    change = EnumerationChange.objects.select_related("enumeration").order_by("pk").first()
    accepted = RespondentList.objects.filter(status="accepted").order_by("pk").first()
    act = (
        HandoverAct.objects.filter(status="partly_returned").first() or HandoverAct.objects.first()
    )
    institution = Institution.objects.get(bin=demo_bin(1))
    district = institution.district
    usb = SyncRecord.objects.filter(channel="usb").first()
    submitted = RespondentList.objects.filter(status="submitted").order_by("pk").first()
    signed = HandoverAct.objects.filter(status="signed").order_by("pk").first()
    draft = HandoverAct.objects.filter(status="draft").order_by("pk").first()
    conflict = DuplicateIinConflict.objects.order_by("pk").first()
    leaver = accepted.respondents.filter(departed_on__isnull=True).order_by("pk").first()
    return [
        reverse("respondents:review", args=[submitted.pk]),
        reverse("respondents:departure", args=[accepted.pk, leaver.pk]),
        reverse("respondents:arrival_add", args=[accepted.pk]),
        reverse("respondents:conflict_resolve", args=[conflict.pk]),
        reverse("equipment:act_create"),
        reverse("equipment:act_sign", args=[draft.pk]),
        reverse("equipment:act_return", args=[signed.pk]),
        reverse("sync:usb_offload_create"),
        reverse("institutions:department_home"),
        reverse("institutions:institution_detail", args=[institution.pk]),
        reverse("respondents:board"),
        reverse("respondents:conflicts"),
        reverse("respondents:list_detail", args=[accepted.pk]),
        reverse("enumeration:enumeration_edit", args=[change.enumeration.respondent_id]),
        reverse("enumeration:worklist_of", args=[accepted.institution_id]),
        reverse("enumeration:progress"),
        reverse("enumeration:progress") + f"?district={district.pk}",
        reverse("enumeration:certificates"),
        reverse("equipment:overview"),
        reverse("equipment:kit_list"),
        reverse("equipment:act_list"),
        reverse("equipment:act_detail", args=[act.pk]),
        reverse("equipment:overdue"),
        reverse("sync:board"),
        reverse("sync:usb_offloads"),
        reverse("sync:institution_history", args=[usb.kit.holder_institution_id or institution.pk]),
        reverse("reminders:notifications"),
        reverse("institutions:report_queue") + "?state=",
        reverse("institutions:department_seminars"),
    ]


def _admin_pages() -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    # A few change forms the Department fills in most.
    for model in (Institution, TabletKit, Campaign, RespondentList, HandoverAct):
        meta = model._meta
        obj = model.objects.order_by("pk").first()
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    pages.append(reverse("admin:institutions_seminar_add"))
    return pages


def _check(client: Client, urls: list[str], check, refused_ok=False) -> dict[str, list[str]]:
    problems = {}
    for url in urls:
        response = client.get(url, follow=True)
        if refused_ok and response.status_code == 403:
            continue  # an admin the Department may not open (groups, permissions)
        assert response.status_code == 200, url
        found = check(response.content.decode(), url)
        if found:
            problems[url] = found
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_and_department_pages_show_no_raw_codes(demo, language):
    def check(html: str, url: str) -> list[str]:
        return raw_codes(html)

    progress = [reverse("enumeration:progress")]
    problems = _check(_client(demo["officer"], language), _officer_pages(), check)
    problems |= _check(_client(demo["dept"], language), _department_pages(), check)
    problems |= _check(_client(demo["commission"], language), progress, check)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages_show_no_raw_codes_nor_english(demo, language):
    msgids = _django_admin_msgids()
    client = _client(demo["dept"], language)

    # The admin's row checkboxes are labelled with each object's str(), which django-axes
    # writes in English with an ISO timestamp ("Access Log for … @ 2021-…"): not ours to
    # translate, so the admin check leaves out aria-label.
    attributes = VISIBLE_ATTRIBUTES - {"aria-label"}

    # Reference data's codes ("other", an institution type) are natural keys the Department
    # types in imports: its own admin lists them on purpose.
    reference_codes = {
        code
        for model in (Region, District, InstitutionType)
        for code in model.objects.values_list("code", flat=True)
    }

    reference_pages = {
        reverse(f"admin:institutions_{model._meta.model_name}_changelist")
        for model in (Region, District, InstitutionType)
    }

    def check(html: str, url: str) -> list[str]:
        english = english_admin_strings(visible_text(html, attributes), msgids)
        codes = raw_codes(html, attributes)
        if url in reference_pages:
            codes = [c for c in codes if c.split()[0] not in reference_codes]
        return codes + [f"{m!r} (English)" for m in english]

    problems = _check(client, _admin_pages(), check, refused_ok=True)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_check_finds_codes_field_names_and_iso_dates(db):
    found = raw_codes("<p>enumerated, admin_records, 2021-10-10</p><p>residence_status</p>")
    assert [f.split()[0] for f in found] == [
        "2021-10-10",
        "admin_records",
        "enumerated",
        "residence_status",
    ]
    assert raw_codes('<p>staff1@example.kz, sanaq.gov.kz, <a href="/x">Санақ</a></p>') == []


def test_admin_header_and_django_axes_read_in_kazakh(demo):
    page = _client(demo["dept"], "kk").get(reverse("admin:index")).content.decode()
    assert "Census coordination" not in page
    assert "Санақты үйлестіру" in page
    assert "Кіруді қорғау" in page  # django-axes' app
    assert "Кіру әрекеттері" in page  # its model "access attempts"


def test_a_persons_history_reads_labels_and_dates(demo):
    change = EnumerationChange.objects.filter(after__method="admin_records").first()
    page = _client(demo["dept"], "ru").get(
        reverse("enumeration:enumeration_edit", args=[change.enumeration.respondent_id])
    )
    history = visible_text(page.content.decode().split('id="history-title"', 1)[1])
    day = change.enumeration.enumerated_on
    assert f"Переписан, По данным администрации, {day:%d.%m.%Y}" in history
    assert "admin_records" not in history
    assert day.isoformat() not in history
