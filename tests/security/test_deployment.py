"""Production settings pass Django's deployment checks; headers protect every page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.respondents.factories import RespondentListFactory
from tests.security.route_matrix import ROUTES

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-Kq8$w!zP3n^vL0m#tR7yB2cE5hJ9aG4fD6sU1",
        "DJANGO_ALLOWED_HOSTS": "census.example.kz",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short-but-random-Kq8$w!zP3n",
        "a" * 60,
        "django-insecure-" + "Kq8$w!zP3n^vL0m#tR7yB2cE5hJ9aG4fD6sU1xx",
    ],
)
def test_production_refuses_a_short_or_weak_secret_key(key):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.production",
        "DJANGO_SECRET_KEY": key,
        "DJANGO_ALLOWED_HOSTS": "census.example.kz",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_send_security_headers_and_no_store(client_for, department_user):
    response = client_for(department_user).get(reverse("institutions:department_home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "institutions:department_home",
        "admin:index",
        "admin:institutions_institution_changelist",
        "admin:institutions_institution_add",
        "api-docs",
        "accounts:login",
    ],
)
def test_no_inline_scripts_so_the_csp_holds(client, department_user, url_name):
    import re

    if url_name != "accounts:login":
        client.force_login(department_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        # Data blocks (json_script) are not executed; everything else must be a file.
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " onclick=" not in html
    assert " onload=" not in html


APP_PAGES = ("respondents:", "enumeration:", "equipment:", "reminders:")
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_of_lists_enumeration_equipment_and_reminders_have_no_inline_script_or_style(
    world, client
):
    """Every HTML page of these apps (stage 1 and stage 2 of the lists, equipment,
    reminders), as each signed-in actor the route matrix lets in. The dashboard's SVG
    chart is drawn with classes, not ``style=``."""
    checked = []
    pages = [
        (name, expected, reverse(name, kwargs=expected.kw(world) if expected.kw else {}))
        for name, expected in ROUTES.items()
        if name.startswith(APP_PAGES)
    ]
    # A draft act shows more controls than the signed one of the matrix.
    act_detail = ROUTES["equipment:act_detail"]
    pages.append(
        (
            "equipment:act_detail",
            act_detail,
            reverse("equipment:act_detail", args=[world.draft_act_a.pk]),
        )
    )
    # Stage 2: a pending person (the arrival) offers no certificate yet; the dashboard's
    # institution level links to worklists; the chart has the first person's day.
    pending = world.list_a.respondents.exclude(pk=world.respondent_a.pk).get()
    edit = ROUTES["enumeration:enumeration_edit"]
    pages.append(
        (
            "enumeration:enumeration_edit",
            edit,
            reverse("enumeration:enumeration_edit", args=[pending.pk]),
        )
    )
    # Imports: a job still queued shows the progress bar (a <progress>, polled by a static
    # script); a draft list's upload page shows the form.
    pages.append(
        (
            "respondents:import_job",
            ROUTES["respondents:import_job"],
            reverse("respondents:import_job", args=[world.queued_import_job_a.pk]),
        )
    )
    draft_b = RespondentListFactory(institution=world.institution_b)
    draft_pages = [reverse("respondents:import_upload", args=[draft_b.pk])]
    district = f"?district={world.institution_a.district_id}"
    pages.append(
        (
            "enumeration:progress",
            ROUTES["enumeration:progress"],
            reverse("enumeration:progress") + district,
        )
    )
    for name, expected, url in pages:
        for actor in ("officer_a", "commission", "department"):
            if expected.statuses()[actor] != 200:
                continue
            client.force_login(world.users[actor])
            response = client.get(url, expected.query)
            if not response["Content-Type"].startswith("text/html"):
                continue  # PDFs, downloads
            html = response.content.decode()
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert "src=" in tag or 'type="application/json"' in tag, (name, tag)
            assert not INLINE_STYLE.search(html), (name, INLINE_STYLE.search(html).group(0))
            assert not INLINE_HANDLER.search(html), (name, INLINE_HANDLER.search(html).group(0))
            assert "<style" not in html, name
            checked.append(name)
    client.force_login(world.users["officer_a"])
    progress = client.get(reverse("respondents:import_job", args=[world.queued_import_job_a.pk]))
    assert "<progress" in progress.content.decode()
    assert "respondents/import_progress" in progress.content.decode()
    client.force_login(world.users["officer_b"])
    for url in draft_pages:
        html = client.get(url).content.decode()
        assert 'enctype="multipart/form-data"' in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html).group(0))
        assert not INLINE_HANDLER.search(html), url
        assert "<style" not in html, url
    assert {
        "respondents:list_detail",
        "respondents:import_upload",
        "respondents:import_job",
        "enumeration:worklist",
        "enumeration:worklist_of",
        "enumeration:enumeration_edit",
        "enumeration:certificates",
        "enumeration:progress",
        "enumeration:reconciliation",
        "equipment:act_detail",
        "reminders:notifications",
    } <= set(checked)


@pytest.mark.django_db
def test_swagger_init_script_is_served_as_a_script(client_for, department_user):
    response = client_for(department_user).get(reverse("api-docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
