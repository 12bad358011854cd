"""Who gets what on every route: the expected status of a GET per actor.

Every URL pattern must have an entry here, or ``test_route_matrix`` fails and names it.
Adding a route is one line in ``ROUTES``:

    "respondents:list_detail": E(200, 404, 200, 200, 302, kw=lambda w: {"pk": w.list_a.pk}),

The five statuses are for, in order: officer of institution A, officer of institution B,
the regional commission, department staff, and an anonymous visitor. Objects in ``kw``
belong to institution A (so officer B must get 404). Build them in ``World``
(tests/security/world.py) if the route needs a new kind of object.

Admin routes get defaults by name suffix (``ADMIN_DEFAULTS``): the admin is for department
staff only, everybody else is sent to the admin's login page. Give an explicit entry when
a model's admin differs (e.g. read-only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTORS = ("officer_a", "officer_b", "commission", "department", "anonymous")


@dataclass(frozen=True)
class E:
    """Expected statuses (officer A, officer B, commission, department, anonymous)."""

    officer_a: int
    officer_b: int
    commission: int
    department: int
    anonymous: int
    kw: Callable[[Any], dict[str, Any]] | None = None
    # For unnamed patterns (nothing to reverse): the path to request.
    url: Callable[[Any], str] | None = None
    query: dict[str, str] = field(default_factory=dict)

    def statuses(self) -> dict[str, int]:
        return {actor: getattr(self, actor) for actor in ACTORS}


def _pk_a(world: Any) -> dict[str, Any]:
    return {"pk": world.institution_a.pk}


def _list_a(world: Any) -> dict[str, Any]:
    return {"pk": world.list_a.pk}


def _row_a(world: Any) -> dict[str, Any]:
    return {"pk": world.list_a.pk, "row": world.respondent_a.pk}


def _job_a(world: Any) -> dict[str, Any]:
    return {"job": world.import_job_a.pk}


def _api_job_a(world: Any) -> dict[str, Any]:
    return {"pk": world.import_job_a.pk}


def _api_row_a(world: Any) -> dict[str, Any]:
    return {"list_pk": world.list_a.pk, "pk": world.respondent_a.pk}


def _act_a(world: Any) -> dict[str, Any]:
    return {"pk": world.act_a.pk}


def _person_a(world: Any) -> dict[str, Any]:
    return {"pk": world.respondent_a.pk}


def _certificate_a(world: Any) -> dict[str, Any]:
    return {"pk": world.certificate_a.pk}


def _notification_a(world: Any) -> dict[str, Any]:
    return {"pk": world.notification_a.pk}


ROUTES: dict[str, E] = {
    # --- start pages and accounts -------------------------------------------------------
    "home": E(302, 302, 302, 302, 302),
    "healthz": E(200, 200, 200, 200, 200),
    "favicon": E(301, 301, 301, 301, 301),
    "accounts:login": E(302, 302, 302, 302, 200),
    "accounts:logout": E(405, 405, 405, 405, 405),
    "accounts:set_language": E(405, 405, 405, 405, 405),
    # Explains that no role is assigned; answers 403 whoever asks.
    "accounts:no_role": E(403, 403, 403, 403, 403),
    "accounts:set_password": E(200, 200, 200, 200, 200, kw=lambda w: {"uidb64": "x", "token": "y"}),
    "accounts:set_password_done": E(200, 200, 200, 200, 200),
    # Password reset by e-mail: open to everybody, the same pages whoever asks.
    "accounts:password_reset": E(200, 200, 200, 200, 200),
    "accounts:password_reset_done": E(200, 200, 200, 200, 200),
    "accounts:password_reset_confirm": E(
        200, 200, 200, 200, 200, kw=lambda w: {"uidb64": "x", "token": "y"}
    ),
    "accounts:password_reset_complete": E(200, 200, 200, 200, 200),
    # An officer manages their own institution's client tokens; the Department uses the admin.
    "accounts:api_tokens": E(200, 200, 403, 403, 302),
    # POST only (another institution's token answers 404: tests/accounts/test_token_policy.py).
    "accounts:api_token_revoke": E(405, 405, 405, 405, 405, kw=lambda w: {"pk": 1}),
    # --- institutions -------------------------------------------------------------------
    "institutions:department_home": E(403, 403, 200, 200, 302),
    "institutions:readiness_export": E(403, 403, 200, 200, 302),
    "institutions:officer_home": E(200, 200, 403, 403, 302),
    "institutions:institution_detail": E(200, 404, 200, 200, 302, kw=_pk_a),
    # The institution's own part (¶5–7): the officer reports, the Department reviews (POST
    # only; the commission reads the queue), the scan goes to whoever sees the institution.
    "institutions:staff_part": E(200, 200, 403, 403, 302),
    "institutions:order_report": E(200, 200, 403, 403, 302),
    "institutions:order_correct": E(200, 404, 403, 403, 302, kw=lambda w: {"pk": w.order_a.pk}),
    "institutions:order_scan": E(200, 404, 200, 200, 302, kw=lambda w: {"pk": w.order_a.pk}),
    "institutions:staff_report": E(200, 200, 403, 403, 302),
    "institutions:staff_correct": E(200, 404, 403, 403, 302, kw=lambda w: {"pk": w.staff_a.pk}),
    "institutions:provisioning_report": E(
        200, 404, 403, 403, 302, kw=lambda w: {"pk": w.staff_a.pk}
    ),
    "institutions:officer_seminars": E(200, 200, 403, 403, 302),
    "institutions:seminar_sign_up": E(
        405, 405, 403, 403, 302, kw=lambda w: {"pk": w.attendance_a.seminar_id}
    ),
    "institutions:seminar_sign_up_cancel": E(
        405, 405, 403, 403, 302, kw=lambda w: {"pk": w.attendance_a.pk}
    ),
    "institutions:attendance_report": E(
        405, 405, 403, 403, 302, kw=lambda w: {"pk": w.attendance_a.pk}
    ),
    "institutions:report_queue": E(403, 403, 200, 200, 302),
    # POST only; officers always see the active campaign (the policy refuses them).
    "institutions:campaign_select": E(403, 403, 405, 405, 302),
    "institutions:report_confirm": E(
        403, 403, 405, 405, 302, kw=lambda w: {"kind": "order", "pk": w.order_a.pk}
    ),
    "institutions:report_return": E(
        403, 403, 405, 405, 302, kw=lambda w: {"kind": "order", "pk": w.order_a.pk}
    ),
    "institutions:department_seminars": E(403, 403, 403, 200, 302),
    "institutions:attendance_sheet_pdf": E(
        403,
        403,
        403,
        200,
        302,
        kw=lambda w: {"pk": w.attendance_a.seminar_id},
        query={"lang": "kk"},
    ),
    # --- respondents: stage-1 lists -------------------------------------------------------
    # Officer A's list exists (a redirect to it); B has none yet (the start page).
    "respondents:my_list": E(302, 200, 403, 403, 302),
    # Region-wide status board; no personal data on it.
    "respondents:board": E(403, 403, 200, 200, 302),
    # Rows are personal data: the institution's officers and the department only; the
    # commission gets reports, not names.
    "respondents:list_detail": E(200, 404, 403, 200, 302, kw=_list_a),
    "respondents:row_add": E(200, 404, 403, 200, 302, kw=_list_a),
    "respondents:row_edit": E(200, 404, 403, 200, 302, kw=_row_a),
    "respondents:row_delete": E(200, 404, 403, 200, 302, kw=_row_a),
    "respondents:departure": E(200, 404, 403, 200, 302, kw=_row_a),
    "respondents:arrival_add": E(200, 404, 403, 200, 302, kw=_list_a),
    "respondents:submit": E(200, 404, 403, 403, 302, kw=_list_a),
    "respondents:review": E(403, 403, 403, 200, 302, kw=_list_a),
    # The board's bulk review: the Department only, POST only.
    "respondents:board_review": E(403, 403, 403, 405, 302),
    # A deliberate download: POST only.
    "respondents:export": E(405, 405, 403, 405, 302, kw=_list_a),
    # The list as a paper, and the signed scan filed back: the list's own readers.
    "respondents:list_pdf": E(200, 404, 403, 200, 302, kw=_list_a, query={"lang": "kk"}),
    # A large list's paper by a worker: the start is POST only; the stored file, while
    # none is current, sends the list's readers back to the print page.
    "respondents:list_pdf_prepare": E(405, 405, 403, 405, 302, kw=_list_a),
    "respondents:list_pdf_file": E(302, 404, 403, 302, 302, kw=_list_a, query={"lang": "kk"}),
    "respondents:signed_scans": E(200, 404, 403, 200, 302, kw=_list_a),
    "respondents:signed_scan_download": E(
        200, 404, 403, 200, 302, kw=lambda w: {"pk": w.list_a.pk, "scan": w.signed_scan_a.pk}
    ),
    "respondents:conflicts": E(403, 403, 403, 200, 302),
    "respondents:conflict_resolve": E(
        403, 403, 403, 200, 302, kw=lambda w: {"pk": w.conflict_a.pk}
    ),
    # --- respondents: file imports ----------------------------------------------------------
    # Uploads, jobs and their error reports carry people's rows: the list's officers and the
    # department, never the commission (as for the rows themselves).
    "respondents:import_upload": E(200, 404, 403, 200, 302, kw=_list_a),
    "respondents:import_job": E(200, 404, 403, 200, 302, kw=_job_a),
    "respondents:import_job_status": E(200, 404, 403, 200, 302, kw=_job_a),
    "respondents:import_job_errors": E(
        200, 404, 403, 200, 302, kw=lambda w: {"job": w.import_job_a.pk, "kind": "xlsx"}
    ),
    # Blank templates hold nobody; they are offered to those who upload.
    "respondents:import_template": E(
        200, 200, 403, 200, 302, kw=lambda w: {"language": "kk", "kind": "xlsx"}
    ),
    # --- respondents: stage-2 enumeration, certificates, progress ------------------------
    # The worklist is people's rows: officers (their own institution) and the department,
    # who has no institution of its own and is sent to the dashboard; never the commission.
    "enumeration:worklist": E(200, 200, 403, 302, 302),
    "enumeration:worklist_of": E(
        200, 404, 403, 200, 302, kw=lambda w: {"institution": w.institution_a.pk}
    ),
    "enumeration:worklist_pdf": E(
        200,
        404,
        403,
        200,
        302,
        kw=lambda w: {"institution": w.institution_a.pk},
        query={"lang": "ru"},
    ),
    "enumeration:enumeration_edit": E(200, 404, 403, 200, 302, kw=_person_a),
    # Issuing and printing are POST only; the commission is refused before the method.
    "enumeration:certificate_issue": E(405, 405, 403, 405, 302, kw=_person_a),
    "enumeration:certificate_pdf": E(405, 405, 403, 405, 302, kw=_certificate_a),
    # The register names people: B sees its own (empty) register, the commission none.
    "enumeration:certificates": E(200, 200, 403, 200, 302),
    # The Department's tools: certificates for a selection, one PDF of many, person search.
    "enumeration:certificates_bulk_issue": E(
        403, 403, 403, 405, 302, kw=lambda w: {"institution": w.institution_a.pk}
    ),
    "enumeration:certificates_bulk_pdf": E(403, 403, 403, 405, 302),
    "enumeration:person_search": E(403, 403, 403, 200, 302),
    # Figures only: region-wide readers.
    "enumeration:progress": E(200, 200, 200, 200, 302),
    "enumeration:progress_export": E(403, 403, 405, 405, 302),
    # Officers see their own people; the commission sees the counts without names.
    "enumeration:reconciliation": E(200, 200, 200, 200, 302),
    # --- equipment: kits and hand-over acts ------------------------------------------------
    "equipment:overview": E(200, 200, 200, 200, 302),
    "equipment:kit_list": E(200, 200, 200, 200, 302),
    "equipment:kit_replace": E(403, 403, 403, 200, 302, kw=lambda w: {"pk": w.kit_a.pk}),
    "equipment:act_list": E(200, 200, 200, 200, 302),
    "equipment:act_create": E(403, 403, 403, 200, 302),
    "equipment:act_detail": E(200, 404, 200, 200, 302, kw=_act_a),
    "equipment:act_sign": E(403, 403, 403, 200, 302, kw=_act_a),
    # POST only, and for the department only: everybody else is refused before the method.
    "equipment:act_cancel": E(403, 403, 403, 405, 302, kw=_act_a),
    "equipment:act_return": E(403, 403, 403, 200, 302, kw=_act_a),
    "equipment:act_pdf": E(200, 404, 200, 200, 302, kw=_act_a, query={"lang": "kk"}),
    "equipment:act_scan": E(200, 404, 200, 200, 302, kw=_act_a),
    "equipment:return_pdf": E(
        200, 404, 200, 200, 302, kw=lambda w: {"pk": w.kit_return_a.pk}, query={"lang": "ru"}
    ),
    "equipment:overdue": E(403, 403, 200, 200, 302),
    "equipment:blanks": E(403, 403, 200, 200, 302),
    # --- reminders: a user's own notifications -------------------------------------------
    "reminders:notifications": E(200, 200, 200, 200, 302),
    "reminders:notification_read_all": E(405, 405, 405, 405, 302),
    "reminders:notification_read": E(405, 405, 405, 405, 302, kw=_notification_a),
    # --- sync ---------------------------------------------------------------------------
    "sync:board": E(200, 200, 200, 200, 302),
    "sync:usb_offloads": E(200, 200, 200, 200, 302),
    "sync:usb_offload_create": E(403, 403, 403, 200, 302),
    "sync:usb_mark_uploaded": E(405, 405, 405, 405, 302, kw=lambda w: {"pk": w.sync_record_a.pk}),
    "sync:usb_mark_verified": E(405, 405, 405, 405, 302, kw=lambda w: {"pk": w.sync_record_a.pk}),
    "sync:institution_history": E(200, 404, 200, 200, 302, kw=_pk_a),
    "sync:kit_device_key": E(403, 403, 403, 200, 302, kw=lambda w: {"pk": w.kit_a.pk}),
    "sync-record-list": E(200, 200, 200, 200, 401),
    "sync-record-detail": E(200, 404, 200, 200, 401, kw=lambda w: {"pk": w.sync_record_a.pk}),
    "admin:sync_syncrecord_add": E(302, 302, 302, 403, 302),
    "admin:sync_syncrecord_delete": E(302, 302, 302, 403, 302),
    # A campaign is never deleted (lists, acts and certificates belong to it).
    "admin:institutions_campaign_delete": E(302, 302, 302, 403, 302),
    "admin:sync_devicetoken_add": E(302, 302, 302, 403, 302),
    "admin:sync_devicetoken_delete": E(302, 302, 302, 403, 302),
    # --- census database (issue 19) --------------------------------------------------
    # Imports and the review queue are the Department's; the forms name people (officers:
    # their own institution's); the counts are for every reader, the commission included.
    "censusdb:export_list": E(403, 403, 403, 200, 302),
    "censusdb:export_detail": E(
        403, 403, 403, 200, 302, kw=lambda w: {"pk": w.census_review_a.record.export_id}
    ),
    "censusdb:record_list": E(200, 200, 403, 200, 302),
    "censusdb:counts": E(200, 200, 200, 200, 302),
    # Officers see their own institution's figures and people; the export is POST only.
    "censusdb:reconciliation": E(200, 200, 200, 200, 302),
    "censusdb:reconciliation_export": E(403, 403, 405, 405, 302),
    "censusdb:review_list": E(403, 403, 403, 200, 302),
    "censusdb:review_detail": E(403, 403, 403, 200, 302, kw=lambda w: {"pk": w.census_review_a.pk}),
    "census-export-list": E(403, 403, 403, 200, 401),
    "census-export-detail": E(
        403, 403, 403, 200, 401, kw=lambda w: {"pk": w.census_review_a.record.export_id}
    ),
    "census-export-upload": E(403, 403, 403, 405, 401),
    "census-reconciliation-list": E(200, 200, 200, 200, 401),
    "census-reconciliation-people": E(200, 200, 403, 200, 401, query={"section": "not_in_db"}),
    # --- REST API -----------------------------------------------------------------------
    "institution-list": E(200, 200, 200, 200, 401),
    "institution-detail": E(200, 404, 200, 200, 401, kw=_pk_a),
    "api-schema": E(200, 200, 200, 200, 401),
    "equipment-kit-list": E(200, 200, 200, 200, 401),
    "equipment-kit-detail": E(200, 404, 200, 200, 401, kw=lambda w: {"pk": w.kit_a.pk}),
    "equipment-act-list": E(200, 200, 200, 200, 401),
    "equipment-act-detail": E(200, 404, 200, 200, 401, kw=_act_a),
    # Notifications are the recipient's own (officer A's here): everybody else gets 404.
    "notification-list": E(200, 200, 200, 200, 401),
    "notification-detail": E(200, 404, 404, 404, 401, kw=_notification_a),
    "notification-read": E(405, 405, 405, 405, 401, kw=_notification_a),
    "notification-read-all": E(405, 405, 405, 405, 401),
    "api-docs": E(200, 200, 200, 200, 401),
    # POST only; the commission (read-only) is refused before the method.
    "enumeration-batch": E(405, 405, 403, 405, 401),
    # Lists (status and counts, no names) for every reader; their rows, uploads and import
    # jobs for the list's institution and the department only, as on the pages.
    "respondent-list-list": E(200, 200, 200, 200, 401),
    "respondent-list-detail": E(200, 404, 200, 200, 401, kw=_list_a),
    # POST only. Submitting is the officer's act: everybody else is refused before the method.
    "respondent-list-submit": E(405, 405, 403, 403, 401, kw=_list_a),
    "respondent-list-uploads": E(405, 405, 403, 405, 401, kw=_list_a),
    "respondent-list": E(200, 404, 403, 200, 401, kw=lambda w: {"list_pk": w.list_a.pk}),
    # POST only; B's request names A's list, which it cannot see.
    "respondent-batch": E(405, 404, 403, 405, 401, kw=lambda w: {"list_pk": w.list_a.pk}),
    "respondent-detail": E(200, 404, 403, 200, 401, kw=_api_row_a),
    "import-job-list": E(200, 200, 403, 200, 401),
    "import-job-detail": E(200, 404, 403, 200, 401, kw=_api_job_a),
    "import-job-errors": E(200, 404, 403, 200, 401, kw=_api_job_a),
    "import-job-errors-xlsx": E(200, 404, 403, 200, 401, kw=_api_job_a),
    # Review and amendments (respondents/api/review.py): POST only. Reviewing is the
    # Department's; amendments the list's institution's and the Department's.
    "respondent-list-review-accept": E(403, 403, 403, 405, 401, kw=_list_a),
    "respondent-list-review-return": E(403, 403, 403, 405, 401, kw=_list_a),
    "respondent-list-amendment-arrivals": E(405, 405, 403, 405, 401, kw=_list_a),
    "respondent-amendment-departure": E(405, 405, 403, 405, 401, kw=_api_row_a),
    # Outcomes and certificates name people: not the commission's (enumeration/api/outcomes.py).
    "enumeration-outcome-list": E(200, 200, 403, 200, 401),
    "enumeration-outcome-detail": E(200, 404, 403, 200, 401, kw=_person_a),
    "certificate-list": E(200, 200, 403, 200, 401),
    "certificate-detail": E(200, 404, 403, 200, 401, kw=_certificate_a),
    "certificate-pdf": E(405, 405, 403, 405, 401, kw=_certificate_a),
    # Staff and seminars (institutions/api/staff.py): read as the institution's page;
    # reported by the institution, confirmed or returned by the Department (POST/PUT only).
    "appointment-order-list": E(200, 200, 200, 200, 401),
    "appointment-order-detail": E(200, 404, 200, 200, 401, kw=lambda w: {"pk": w.order_a.pk}),
    "appointment-order-confirm": E(403, 403, 403, 405, 401, kw=lambda w: {"pk": w.order_a.pk}),
    "appointment-order-return": E(403, 403, 403, 405, 401, kw=lambda w: {"pk": w.order_a.pk}),
    "staff-list": E(200, 200, 200, 200, 401),
    "staff-detail": E(200, 404, 200, 200, 401, kw=lambda w: {"pk": w.staff_a.pk}),
    "staff-confirm": E(403, 403, 403, 405, 401, kw=lambda w: {"pk": w.staff_a.pk}),
    "staff-return": E(403, 403, 403, 405, 401, kw=lambda w: {"pk": w.staff_a.pk}),
    "staff-provisioning": E(405, 405, 403, 403, 401, kw=lambda w: {"pk": w.staff_a.pk}),
    "provisioning-list": E(200, 200, 200, 200, 401),
    "provisioning-detail": E(
        200, 404, 200, 200, 401, kw=lambda w: {"pk": w.staff_a.provisioning.pk}
    ),
    "provisioning-confirm": E(
        403, 403, 403, 405, 401, kw=lambda w: {"pk": w.staff_a.provisioning.pk}
    ),
    "provisioning-return": E(
        403, 403, 403, 405, 401, kw=lambda w: {"pk": w.staff_a.provisioning.pk}
    ),
    "seminar-list": E(200, 200, 200, 200, 401),
    # Seminars are the region's: every institution sees them (who attends is scoped).
    "seminar-detail": E(200, 200, 200, 200, 401, kw=lambda w: {"pk": w.attendance_a.seminar_id}),
    "seminar-sign-up": E(405, 405, 403, 403, 401, kw=lambda w: {"pk": w.attendance_a.seminar_id}),
    "seminar-attendance-list": E(200, 200, 200, 200, 401),
    "seminar-attendance-detail": E(200, 404, 200, 200, 401, kw=lambda w: {"pk": w.attendance_a.pk}),
    "seminar-attendance-attended": E(
        405, 405, 403, 403, 401, kw=lambda w: {"pk": w.attendance_a.pk}
    ),
    "seminar-attendance-confirm": E(
        403, 403, 403, 405, 401, kw=lambda w: {"pk": w.attendance_a.pk}
    ),
    "seminar-attendance-return": E(403, 403, 403, 405, 401, kw=lambda w: {"pk": w.attendance_a.pk}),
    # --- admin: explicit entries where the defaults do not fit ---------------------------
    "admin:index": E(302, 302, 302, 200, 302),
    # Non-staff users see the admin login form saying they lack access.
    "admin:login": E(200, 200, 200, 302, 200),
    "admin:logout": E(302, 302, 302, 405, 302),
    "admin:password_change": E(302, 302, 302, 200, 302),
    "admin:password_change_done": E(302, 302, 302, 200, 302),
    "admin:autocomplete": E(302, 302, 302, 403, 302),
    "admin:jsi18n": E(302, 302, 302, 200, 302),
    "admin:app_list": E(302, 302, 302, 200, 302, kw=lambda w: {"app_label": "institutions"}),
    "admin:view_on_site": E(302, 302, 302, 404, 302, kw=lambda w: w.view_on_site_kwargs()),
    "admin:catch_all": E(302, 302, 302, 404, 302, url=lambda w: "/admin/no-such-page/"),
    # Groups are managed by migrations and ROLE_PERMISSIONS, not by hand.
    "admin:auth_group_changelist": E(302, 302, 302, 403, 302),
    "admin:auth_group_add": E(302, 302, 302, 403, 302),
    "admin:auth_group_change": E(302, 302, 302, 403, 302),
    "admin:auth_group_history": E(302, 302, 302, 403, 302),
    "admin:auth_group_delete": E(302, 302, 302, 403, 302),
    # Users are managed by superusers; department staff invite officers from staff lists.
    "admin:accounts_user_changelist": E(302, 302, 302, 403, 302),
    "admin:accounts_user_add": E(302, 302, 302, 403, 302),
    "admin:accounts_user_change": E(302, 302, 302, 403, 302),
    "admin:accounts_user_history": E(302, 302, 302, 403, 302),
    "admin:accounts_user_delete": E(302, 302, 302, 403, 302),
    "admin:auth_user_password_change": E(
        302, 302, 302, 403, 302, kw=lambda w: {"id": w.users["officer_a"].pk}
    ),
    # Tokens are revoked, never deleted.
    "admin:accounts_apitoken_delete": E(302, 302, 302, 403, 302),
    # The audit trail is read-only for everybody.
    "admin:audit_auditevent_add": E(302, 302, 302, 403, 302),
    "admin:audit_auditevent_delete": E(302, 302, 302, 403, 302),
    # Respondent lists, kits' acts and returns change only through the services (pages).
    "admin:respondents_respondentlist_add": E(302, 302, 302, 403, 302),
    "admin:respondents_respondentlist_delete": E(302, 302, 302, 403, 302),
    "admin:respondents_respondent_add": E(302, 302, 302, 403, 302),
    "admin:respondents_respondent_delete": E(302, 302, 302, 403, 302),
    "admin:respondents_amendment_add": E(302, 302, 302, 403, 302),
    "admin:respondents_amendment_delete": E(302, 302, 302, 403, 302),
    "admin:respondents_duplicateiinconflict_add": E(302, 302, 302, 403, 302),
    "admin:respondents_duplicateiinconflict_delete": E(302, 302, 302, 403, 302),
    "admin:enumeration_enumeration_add": E(302, 302, 302, 403, 302),
    "admin:censusdb_censusrecord_add": E(302, 302, 302, 403, 302),
    "admin:censusdb_censusrecord_delete": E(302, 302, 302, 403, 302),
    "admin:censusdb_censusreview_add": E(302, 302, 302, 403, 302),
    "admin:censusdb_censusreview_delete": E(302, 302, 302, 403, 302),
    "admin:enumeration_enumeration_delete": E(302, 302, 302, 403, 302),
    "admin:enumeration_certificate_add": E(302, 302, 302, 403, 302),
    "admin:enumeration_certificate_delete": E(302, 302, 302, 403, 302),
    # Import jobs are added by uploading a file (the service); never changed or deleted.
    "admin:respondents_importjob_delete": E(302, 302, 302, 403, 302),
    "admin:equipment_handoveract_add": E(302, 302, 302, 403, 302),
    "admin:equipment_handoveract_delete": E(302, 302, 302, 403, 302),
    "admin:equipment_kitreturn_add": E(302, 302, 302, 403, 302),
    "admin:equipment_kitreturn_delete": E(302, 302, 302, 403, 302),
    # A kit that has been on an act is written off, never deleted.
    "admin:equipment_tabletkit_delete": E(302, 302, 302, 403, 302),
    # Reminder kinds come from code and the log from the engine: edited, never added by hand.
    "admin:reminders_reminderkindsetting_add": E(302, 302, 302, 403, 302),
    "admin:reminders_reminderkindsetting_delete": E(302, 302, 302, 403, 302),
    "admin:reminders_reminder_add": E(302, 302, 302, 403, 302),
    "admin:reminders_reminder_delete": E(302, 302, 302, 403, 302),
    # django-axes records are made by sign-in attempts only.
    "admin:axes_accessattempt_add": E(302, 302, 302, 403, 302),
    "admin:axes_accesslog_add": E(302, 302, 302, 403, 302),
    "admin:axes_accessfailurelog_add": E(302, 302, 302, 403, 302),
}

# Routes under admin/ without an explicit entry, by the end of their name.
ADMIN_DEFAULTS: dict[str, E] = {
    "changelist": E(302, 302, 302, 200, 302),
    "add": E(302, 302, 302, 200, 302),
    "change": E(302, 302, 302, 200, 302),
    "history": E(302, 302, 302, 200, 302),
    "delete": E(302, 302, 302, 200, 302),
    "import": E(302, 302, 302, 200, 302),
    "export": E(302, 302, 302, 200, 302),
    # POST-only step of an import.
    "process_import": E(302, 302, 302, 405, 302),
    # "<object_id>/" redirects to the change page.
    "object_redirect": E(302, 302, 302, 302, 302),
}
