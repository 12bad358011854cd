"""Which main-navigation link a page belongs to, so that every page lights exactly one.

Pages are grouped by URL name; an app's other pages fall under its main link. The template
context gets ``nav_section``; each navigation link compares it with its own section.

The menu is drawn once per process for each combination of what it shows
(``{% once "menu" … %}`` in base.html, ``census_coord.fragments``): the kind of menu, the
section, the unread count, ``user.is_staff`` and ``menu_rules``, the policy's answer to each
rule a menu link asks (``MENU_RULES``, asked for this request's user every time, so a
changed role or rule shows on the next page).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from accounts.context_processors import menu_of
from census_coord import policy

# Every rule a link of the menus asks ({% allowed %} in base.html and the
# templates/*/_nav_*.html it includes), for the kind of object; a test keeps it complete.
MENU_RULES = (
    "admin.open",
    "censusdb.reconciliation",
    "certificate.issue",
    "conflict.resolve",
    "dashboard.view",
    "enumeration.record",
    "institution.own",
    "kit.view",
    "list.board",
    "person.search",
    "seminar.print_attendance",
    "staff.report",
    "staff.view_reports",
    "sync.view",
)

BY_NAME = {
    "respondents:conflicts": "conflicts",
    "respondents:conflict_resolve": "conflicts",
    "enumeration:progress": "progress",
    "enumeration:progress_export": "progress",
    "enumeration:reconciliation": "progress",
    "enumeration:worklist": "enumeration",
    "enumeration:worklist_of": "enumeration",
    "enumeration:enumeration_edit": "enumeration",
    "enumeration:certificate_issue": "certificates",
    "enumeration:certificates": "certificates",
    "enumeration:certificate_pdf": "certificates",
    "enumeration:certificates_bulk_issue": "certificates",
    "enumeration:certificates_bulk_pdf": "certificates",
    "enumeration:person_search": "person_search",
    "censusdb:reconciliation": "census_reconciliation",
    "censusdb:reconciliation_export": "census_reconciliation",
    "equipment:act_list": "acts",
    "equipment:act_create": "acts",
    "equipment:act_detail": "acts",
    "equipment:act_sign": "acts",
    "equipment:act_cancel": "acts",
    "equipment:act_return": "acts",
    "sync:usb_offloads": "usb",
    "sync:usb_offload_create": "usb",
    "sync:usb_mark_uploaded": "usb",
    "sync:usb_mark_verified": "usb",
    **dict.fromkeys(
        (
            "institutions:report_queue",
            "institutions:report_confirm",
            "institutions:report_return",
            "institutions:staff_part",
            "institutions:order_report",
            "institutions:order_correct",
            "institutions:staff_report",
            "institutions:staff_correct",
            "institutions:provisioning_report",
        ),
        "staff",
    ),
    **dict.fromkeys(
        (
            "institutions:officer_seminars",
            "institutions:seminar_sign_up",
            "institutions:seminar_sign_up_cancel",
            "institutions:attendance_report",
            "institutions:department_seminars",
        ),
        "seminars",
    ),
}
BY_APP = {
    "institutions": "home",
    "respondents": "lists",
    "equipment": "kits",
    "sync": "sync",
    "reminders": "notifications",
}


def nav_section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    section = BY_NAME.get(match.view_name) or BY_APP.get(match.app_name, "")
    # The Department opens an institution's worklist from the progress dashboard; only the
    # institution's menu has an "Enumeration" link (which menu is a view mode, not a rule).
    if section == "enumeration" and menu_of(request.user) != "institution":
        return "progress"
    return section


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    # A function: the template calls it when it draws the menu (not for a PDF or an
    # e-mail rendered with the request), once.
    @cache
    def menu_rules() -> tuple[bool, ...]:
        return tuple(policy.allowed(user, rule) for rule in MENU_RULES)

    return {"nav_section": nav_section(request), "menu_rules": menu_rules}
