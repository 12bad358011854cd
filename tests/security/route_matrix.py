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


ROUTES: dict[str, E] = {
    # --- start pages and accounts -------------------------------------------------------
    "home": E(302, 302, 302, 302, 302),
    "healthz": E(200, 200, 200, 200, 200),
    "accounts:login": E(302, 302, 302, 302, 200),
    "accounts:logout": E(405, 405, 405, 405, 405),
    "accounts:set_language": E(405, 405, 405, 405, 405),
    # Explains that no role is assigned; answers 403 whoever asks.
    "accounts:no_role": E(403, 403, 403, 403, 403),
    "accounts:set_password": E(200, 200, 200, 200, 200, kw=lambda w: {"uidb64": "x", "token": "y"}),
    "accounts:set_password_done": E(200, 200, 200, 200, 200),
    # --- institutions -------------------------------------------------------------------
    "institutions:department_home": E(403, 403, 200, 200, 302),
    "institutions:readiness_export": E(403, 403, 200, 200, 302),
    "institutions:officer_home": E(200, 200, 403, 403, 302),
    "institutions:institution_detail": E(200, 404, 200, 200, 302, kw=_pk_a),
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
    "admin:sync_devicetoken_add": E(302, 302, 302, 403, 302),
    "admin:sync_devicetoken_delete": E(302, 302, 302, 403, 302),
    # --- REST API -----------------------------------------------------------------------
    "institution-list": E(200, 200, 200, 200, 401),
    "institution-detail": E(200, 404, 200, 200, 401, kw=_pk_a),
    "api-schema": E(200, 200, 200, 200, 401),
    "api-docs": E(200, 200, 200, 200, 401),
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
