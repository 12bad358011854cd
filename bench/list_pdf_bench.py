"""Benchmark the respondent list's paper (PDF) against a minimal table measured in the same run.

    python bench/list_pdf_bench.py [--rows N] [--language kk|ru] [--repeat R] [--profile]
                                   [--certificates M]

Renders, in this process, the stage-1 list's PDF of ``--rows`` people (default 500) through
the product's own code: ``respondents.list_paper.paper_rows`` makes the cells of every row,
``census_coord.pdf.render_pdf`` renders ``respondents/pdf/list.html`` with the shipped fonts.
The people are model instances built in memory (Kazakh and Russian names, about 6% without
an IIN, foreigners with their country), so no database is needed. The baseline is the same
people's full names as a one-column table (``<table><tr><td>``, the same fonts, the same
WeasyPrint) rendered in the same run; the ratio of the two is what to compare between
machines. Times are the process's CPU time (``time.process_time``), the best of
``--repeat`` renders. The last line is::

    rows=… seconds=… ms_per_row=… baseline_ms_per_row=…

``--profile`` prints the top of a cProfile of one render of the list first;
``--certificates M`` first prints ``certificates=… seconds=… ms_per_certificate=…`` for one
PDF of ``M`` participation certificates (``enumeration.certificates.certificates_pdf``, a page
each, as the Department prints a selection of up to 200).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MALE = (["Ахметов", "Серікбаев", "Қасымов", "Петров", "Оспанов", "Жұмабаев", "Ким"],
        ["Бауыржан", "Дәурен", "Мұрат", "Сергей", "Ерлан", "Іліяс", "Асқар"],
        ["Серікұлы", "Иванович", "Қайратұлы", "", "Болатович"])  # fmt: skip
FEMALE = (["Жұмабаева", "Нұрланова", "Иванова", "Ермекова", "Әлиева", "Сәрсенова"],
          ["Айгүл", "Гүлнар", "Елена", "Жанар", "Толқын", "Ұлжан", "Әсем"],
          ["Серікқызы", "Ивановна", "Қайратқызы", "", "Болатовна"])  # fmt: skip


def _setup() -> None:
    # Only templates, translations and model instances: no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "census_coord.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    # Before WeasyPrint's import: it quiets WeasyPrint's and fontTools' progress logs.
    import census_coord.pdf  # noqa: F401


def people(count: int) -> list:
    """``count`` people as a list of an institution holds them, each with a row of its own."""
    from census_coord.kz_ids import with_check_digit
    from respondents.choices import Citizenship, ResidenceStatus
    from respondents.models import Respondent

    start = dt.date(1935, 1, 1)
    rows = []
    for number in range(count):
        born = start + dt.timedelta(days=(number * 113) % 30_000)
        female = number % 2 == 1
        surnames, names, patronymics = FEMALE if female else MALE
        values = {
            "surname": surnames[number % len(surnames)],
            "given_name": names[number // 3 % len(names)],
            "patronymic": patronymics[number // 7 % len(patronymics)],
            "birth_date": born,
            "sex": "female" if female else "male",
            "citizenship": Citizenship.CITIZEN,
            "residence_status": ResidenceStatus.PERMANENT,
            "iin": "",
        }
        if number % 17 == 0:
            values["citizenship"] = Citizenship.FOREIGN
            values["citizenship_country"] = "Ресей"
            values["residence_status"] = ResidenceStatus.TEMPORARILY_PRESENT
        else:
            century = (3 if born.year < 2000 else 5) + female
            serial = number
            while (iin := with_check_digit(f"{born:%y%m%d}{century}{serial % 10000:04d}")) is None:
                serial += 1
            values["iin"] = iin
        rows.append(Respondent(**values))
    rows.sort(key=lambda row: (row.surname, row.given_name, row.patronymic))
    return rows


def list_context(rows: list, language: str) -> dict:
    """``respondent_list_paper``'s context for unsaved rows (no database)."""
    from institutions.models import Campaign, District, Institution, ResponsibleStaff
    from respondents import list_paper
    from respondents.choices import Citizenship, ResidenceStatus
    from respondents.models import RespondentList

    campaign = Campaign(
        name_kk="2021 жылғы халық санағы",
        name_ru="Перепись населения 2021 года",
        list_reference_date=dt.date(2021, 6, 30),
    )
    institution = Institution(
        bin="991240990012",
        name_kk="Ақмола облысының №3 балалар үйі",
        name_ru="Детский дом №3 Акмолинской области",
        district=District(name_kk="Көкшетау қаласы", name_ru="город Кокшетау"),
        address="Көкшетау қ., Абай к-сі, 12",
        head_name="Серік Әбенов",
        head_position="Директор",
    )
    staff = ResponsibleStaff(
        campaign=campaign,
        institution=institution,
        full_name="Гүлнар Оспанова",
        position="Әлеуметтік қызметкер",
        position_ru="Социальный работник",
    )
    citizenship = {value: 0 for value, _label in Citizenship.choices}
    residence = {value: 0 for value, _label in ResidenceStatus.choices}
    for row in rows:
        citizenship[row.citizenship] += 1
        residence[row.residence_status] += 1
    totals = {
        "total": len(rows),
        "citizenship": [(label, citizenship[value]) for value, label in Citizenship.choices],
        "residence": [(label, residence[value]) for value, label in ResidenceStatus.choices],
    }
    return list_paper.paper_context(
        respondent_list=RespondentList(institution=institution, campaign=campaign),
        rows=rows,
        totals=totals,
        staff=staff,
        language=language,
    )


def render_list(rows: list, language: str) -> bytes:
    from census_coord.pdf import render_pdf
    from respondents import list_paper

    return render_pdf(
        template_name=list_paper.TEMPLATE, context=list_context(rows, language), language=language
    )


def render_baseline(rows: list) -> bytes:
    """The same people's names as the simplest table WeasyPrint lays out, same fonts."""
    from django.utils.html import escape
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from census_coord.pdf import FONT_DIR, FONT_FACES_CSS

    cells = "".join(f"<tr><td>{escape(row.full_name)}</td></tr>" for row in rows)
    html = (
        '<html><head><meta charset="utf-8"><style>body { font-family: "DocSans"; }</style>'
        f"</head><body><table>{cells}</table></body></html>"
    )
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
        stylesheets=[CSS(string=FONT_FACES_CSS, font_config=fonts)], font_config=fonts
    )


def render_certificates(rows: list, language: str) -> bytes:
    """``rows`` as one PDF of their certificates, every fifth a duplicate."""
    from accounts.models import User
    from enumeration.certificates import certificates_pdf
    from enumeration.models import Certificate

    campaign = list_context(rows[:1], language)["campaign"]
    issuer = User(first_name="Айгүл", last_name="Сәрсенова", position_kk="Бас маман")
    certificates = []
    for number, row in enumerate(rows, start=1):
        certificate = Certificate(
            pk=number, number=number, campaign=campaign, issued_on=dt.date(2021, 10, 1)
        )
        certificate.respondent = row
        certificate.issued_by = issuer
        certificates.append(certificate)
    return certificates_pdf(
        certificates=certificates,
        language=language,
        duplicates={certificate.pk: certificate.pk % 5 == 0 for certificate in certificates},
    )


def best_cpu_seconds(render: Callable[[], bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        render()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--language", choices=["kk", "ru"], default="kk")
    parser.add_argument("--repeat", type=int, default=1, help="renders of each; the best counts")
    parser.add_argument("--profile", action="store_true", help="cProfile one render first")
    parser.add_argument("--certificates", type=int, default=0, help="also time M certificates")
    args = parser.parse_args()
    _setup()
    rows = people(args.rows)
    # Warm up: WeasyPrint's first render loads Pango, the fonts and its user-agent stylesheet.
    render_baseline(rows[:10])
    render_list(rows[:10], args.language)
    if args.certificates:
        people_ = people(args.certificates)
        render_certificates(people_[:2], args.language)
        seconds = best_cpu_seconds(lambda: render_certificates(people_, args.language), args.repeat)
        print(
            f"certificates={args.certificates} seconds={seconds:.2f} "
            f"ms_per_certificate={1000 * seconds / args.certificates:.1f}"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(render_list, rows, args.language)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    seconds = best_cpu_seconds(lambda: render_list(rows, args.language), args.repeat)
    baseline = best_cpu_seconds(lambda: render_baseline(rows), args.repeat)
    print(
        f"rows={args.rows} seconds={seconds:.2f} ms_per_row={1000 * seconds / args.rows:.2f} "
        f"baseline_ms_per_row={1000 * baseline / args.rows:.2f}"
    )


if __name__ == "__main__":
    main()
