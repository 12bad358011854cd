"""Who may do what: every permission of the product as a named rule, in one table.

Each rule is a django-rules predicate over the actor and the object acted on, registered
with a one-line description (``RULES``; ``manage.py policy_table`` renders them into
docs/PERMISSIONS.md). Every entry point asks this module and nothing else decides:

- services: ``require(actor, "list.review", respondent_list)`` (raises PermissionDenied);
- views: ``@rule_required("list.review")`` or ``RuleRequiredMixin`` (login redirect for an
  anonymous visitor, the 403 page for a refused user);
- DRF: ``PolicyPermission`` reading ``view.rule`` or ``view.action_rules``;
- the admin: ``RuleAdminMixin`` (``admin_rule``) on a ModelAdmin;
- templates: ``{% load policy %}{% allowed "list.review" obj as can_review %}``.

Rules answer "may this role do this to this kind of object"; which objects an actor sees
at all (another institution's list is a 404) stays in ``accounts/scoping.py`` and the
selectors, and a state a service refuses (a list that is not submitted) stays a
ValidationError of the service. Asked without an object, an object rule answers for the
kind: "may an officer submit lists at all".

``allowed`` goes through ``rules.has_perm`` rather than ``user.has_perm`` on purpose:
Django answers ``True`` to every ``has_perm`` of a superuser, and a rule such as "nobody
issues a token for a person's account" must hold for superusers too. The rule names
(``list.review``) never look like Django's ``app_label.codename`` model permissions, so
the admin's answers from the model permissions stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

import rules
from django import template
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework import permissions
from rest_framework.request import Request

from accounts.roles import Role, role_of
from accounts.types import Actor, ActorOrAnonymous

View = Callable[..., HttpResponseBase]

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ModelAdmin = ModelAdmin[Any]
else:
    _ModelAdmin = object  # a mixin: the ModelAdmin comes after it in the bases


# --- predicates ------------------------------------------------------------------------


def _holder(obj: Any) -> Any:
    """The account a rule is about: the user itself, or the holder of a token."""
    return getattr(obj, "user", obj)


def _region_id(user: Actor) -> int | None:
    """The region an account acts in: its institution's, else its own (None: all)."""
    if user.institution is not None:
        return user.institution.district.region_id
    return user.region_id


def _institution_id(obj: Any) -> int | None:
    """The institution an object belongs to: a list's, a row's (via its list), a
    certificate's (via its person)."""
    if getattr(getattr(obj, "_meta", None), "label", "") == "institutions.Institution":
        return obj.pk
    if hasattr(obj, "institution_id"):
        return obj.institution_id
    if hasattr(obj, "respondent_list"):
        return obj.respondent_list.institution_id
    if hasattr(obj, "respondent"):
        return _institution_id(obj.respondent)
    if hasattr(obj, "staff"):
        return _institution_id(obj.staff)
    return None


def _institution_region_id(obj: Any) -> int | None:
    """The region of the institution an object belongs to (an institution, a record with
    ``institution``, or one of a staff member's records)."""
    if getattr(getattr(obj, "_meta", None), "label", "") != "institutions.Institution":
        obj = obj.institution if hasattr(obj, "institution_id") else obj.staff.institution
    return obj.district.region_id


@rules.predicate
def is_department(actor: Actor) -> bool:
    return role_of(actor) == Role.DEPARTMENT


@rules.predicate
def is_commission(actor: Actor) -> bool:
    return role_of(actor) == Role.COMMISSION


@rules.predicate
def is_officer(actor: Actor) -> bool:
    return role_of(actor) == Role.OFFICER


@rules.predicate
def is_api_client(actor: Actor) -> bool:
    return role_of(actor) == Role.API_CLIENT


@rules.predicate
def is_region_wide_client(actor: Actor) -> bool:
    """An API client of the Department, bound to no institution."""
    return role_of(actor) == Role.API_CLIENT and not actor.institution_id


@rules.predicate
def is_institution_client(actor: Actor) -> bool:
    """An API client of one institution (its own software)."""
    return role_of(actor) == Role.API_CLIENT and bool(actor.institution_id)


@rules.predicate
def of_actors_institution(actor: Actor, obj: Any) -> bool:
    """The object belongs to the actor's institution (asked for a kind: yes)."""
    return obj is None or (
        bool(actor.institution_id) and _institution_id(obj) == actor.institution_id
    )


@rules.predicate
def holder_is_api_client(actor: Actor, obj: Any) -> bool:
    """Only accounts of client software hold tokens: never a person, a superuser, staff
    of the admin site, the commission or the Department (a token acts as its holder)."""
    if obj is None:
        return True
    holder = _holder(obj)
    return role_of(holder) == Role.API_CLIENT and not holder.is_superuser and not holder.is_staff


@rules.predicate
def holder_in_actors_region(actor: Actor, obj: Any) -> bool:
    """A department user bound to a region acts on accounts of that region only."""
    if obj is None:
        return True
    holder = _holder(obj)
    return actor.region_id is None or _region_id(holder) == actor.region_id


@rules.predicate
def in_actors_region(actor: Actor, obj: Any) -> bool:
    """A department user bound to a region acts on that region's institutions only (asked
    for a kind: yes)."""
    return obj is None or actor.region_id is None or _institution_region_id(obj) == actor.region_id


@rules.predicate
def holder_of_actors_institution(actor: Actor, obj: Any) -> bool:
    if obj is None:
        return bool(actor.institution_id)
    holder = _holder(obj)
    return bool(actor.institution_id) and holder.institution_id == actor.institution_id


def campaign_of(obj: Any) -> Any:
    """The census campaign an object belongs to: a campaign itself, a record with
    ``campaign`` (a list, an act, a seminar, a staff appointment), or one reached through
    its list, person, act, seminar or staff member; None for objects of no campaign."""
    label = getattr(getattr(obj, "_meta", None), "label", "")
    if label == "institutions.Campaign":
        return obj
    if label in ("institutions.Institution", "") or obj is None:
        return None
    if hasattr(obj, "campaign_id"):
        return obj.campaign
    for path in ("respondent_list", "respondent", "act", "seminar", "staff"):
        if hasattr(obj, path):
            return campaign_of(getattr(obj, path))
    return None


@rules.predicate
def in_open_campaign(actor: Actor, obj: Any) -> bool:
    """The object's campaign still takes writes: it is the active one (a closed campaign is
    read-only). Asked for a kind, or of an object of no campaign: yes."""
    campaign = campaign_of(obj)
    return campaign is None or bool(campaign.is_active)


# Who reads and writes people's rows: the institution's officer or client, or the Department.
institution_worker = ((is_officer | is_api_client) & of_actors_institution) | is_department
region_wide = is_department | is_commission
signed_in_staff = is_department | is_commission | is_officer


# --- the rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    predicate: Any


RULES: dict[str, Rule] = {}


def _rule(name: str, predicate: Any, description: str) -> None:
    RULES[name] = Rule(name, description, predicate)
    rules.add_perm(name, predicate)


# Stage 1: lists of respondents.
_rule(
    "institution.own",
    is_officer,
    "Work on one's own institution's pages: its checklist, its list, its API clients.",
)
_rule(
    "institution.view",
    signed_in_staff | is_api_client,
    "Open an institution's page: its data, staff and readiness checklist (a client: its "
    "staff, orders and seminars over the API).",
)
_rule(
    "readiness.board",
    region_wide,
    "See and export the readiness board of the region's institutions.",
)
_rule(
    "list.board",
    region_wide,
    "See the board of every institution's list (statuses and counts, no names).",
)
_rule(
    "list.open",
    (is_officer & of_actors_institution) | is_department,
    "Start an institution's list for the active campaign.",
)
_rule(
    "respondent.view_personal",
    institution_worker,
    "Read a list's people (names, IINs), export them and follow its imports.",
)
_rule(
    "list.edit_rows",
    institution_worker & in_open_campaign,
    "Add, change and delete rows, record arrivals and departures, amend an accepted list.",
)
_rule(
    "import.start",
    institution_worker & in_open_campaign,
    "Upload a file of rows into a list and apply it.",
)
_rule(
    "list.attach_scan",
    institution_worker & in_open_campaign,
    "File the scan of the signed paper list with a submitted or accepted list.",
)
_rule(
    "list.submit",
    is_officer & of_actors_institution & in_open_campaign,
    "Send one's institution's draft or returned list to the Department.",
)
_rule(
    "list.review",
    (is_department | is_region_wide_client) & in_open_campaign,
    "Accept a submitted list or return it to the institution (also the Department's API client).",
)
_rule(
    "list.review_bulk",
    is_department,
    "Accept, or return with one comment, several submitted lists at once (the lists board).",
)
_rule(
    "person.search",
    is_department,
    "Search the region's lists for a person by IIN, or by name and birth date.",
)
_rule(
    "conflict.resolve",
    is_department,
    "See and decide duplicate-IIN conflicts between lists.",
)
_rule(
    "campaign.select",
    region_wide,
    "Choose the census campaign the pages show (an earlier one is read-only).",
)
_rule(
    "campaign.write",
    (is_department | is_officer | is_api_client) & in_open_campaign,
    "Change anything in a campaign's data (a closed campaign is read-only for everyone).",
)
_rule(
    "campaign.manage",
    is_department,
    "Open the next census campaign, make one active, change a campaign's dates.",
)
_rule(
    "campaign.purge",
    is_department,
    "Anonymise the respondents of a closed campaign after the retention period.",
)


# Institutions' own part (¶5–7): the officer reports, the Department confirms. The object
# is an institution or one of its records: an appointment order, a staff member, their
# provisioning or seminar attendance.
_rule(
    "staff.report",
    (is_officer | is_institution_client) & of_actors_institution & in_open_campaign,
    "Report (or correct and report again) the appointment order, staff, premises and "
    "computer, and seminar attendance of one's institution.",
)
_rule(
    "staff.confirm",
    (is_department | is_region_wide_client) & in_actors_region & in_open_campaign,
    "Confirm an item an institution reported, or return it with a comment.",
)
_rule(
    "staff.view_reports",
    region_wide,
    "See the queue of items reported by institutions.",
)
_rule(
    "seminar.sign_up",
    (is_officer | is_institution_client) & of_actors_institution & in_open_campaign,
    "Sign one's institution's staff up for a seminar, or cancel before its date.",
)
_rule(
    "seminar.print_attendance",
    is_department,
    "Print a seminar's attendance sheet.",
)

# Stage 2: enumeration.
_rule(
    "enumeration.record",
    institution_worker & in_open_campaign,
    "Record people's enumeration outcomes (worklist, batch API, tablet sync).",
)
_rule(
    "enumeration.override_window",
    is_department,
    "Accept an enumeration date outside the campaign's window, giving a reason.",
)
_rule(
    "certificate.issue",
    (is_officer & of_actors_institution) | is_department,
    "Issue, print and list participation certificates.",
)
_rule(
    "certificate.view",
    institution_worker,
    "Read the register of certificates and print one (also an institution's API client).",
)
_rule(
    "certificate.issue_bulk",
    is_department,
    "Issue certificates to the selected people at once and print them as one PDF.",
)
_rule(
    "dashboard.view",
    signed_in_staff,
    "See the enumeration progress dashboard and the reconciliation.",
)
_rule(
    "progress.export",
    region_wide,
    "Export the enumeration progress counters of the region.",
)

# Equipment.
_rule(
    "kit.view",
    signed_in_staff,
    "See tablet kits, acceptance-transfer acts, their PDFs and scans, overdue returns.",
)
_rule("kit.overdue", region_wide, "See and export the region's overdue kit returns.")
_rule(
    "act.create",
    is_department & in_open_campaign,
    "Draw up an acceptance-transfer act for an institution.",
)
_rule(
    "act.sign", is_department & in_open_campaign, "Record an act signed: its kits are handed over."
)
_rule("act.cancel", is_department & in_open_campaign, "Cancel an act that has not been signed.")
_rule("kit.return", is_department & in_open_campaign, "Record kits returned from an institution.")
_rule(
    "kit.return_override",
    is_department & in_open_campaign,
    "Return a kit whose tablet still holds undelivered data, giving the reason.",
)
_rule("kit.replace", is_department, "Record the replacement of a kit's missing parts.")
_rule(
    "blanks.view",
    region_wide,
    "See and export the region's certificate blanks: handed over, issued, returned.",
)
_rule("kit.change_state", is_department, "Set a kit's state (in stock, defective, written off).")

# Synchronisation.
_rule(
    "sync.view",
    signed_in_staff | is_api_client,
    "See the tablet board, synchronisations and an institution's sync history.",
)
_rule(
    "sync.record",
    is_department | is_region_wide_client,
    "Post a synchronisation for any kit (a tablet posts its own with its device key).",
)
_rule("usb.record", is_department, "Record a USB offload and mark it uploaded and verified.")
_rule("device_key.issue", is_department, "Issue a tablet's device key (shown once).")

# The census database's export of completed forms (issue 19).
_rule(
    "censusdb.import",
    is_department | is_region_wide_client,
    "Import an export of the census database (file, or REST by a department-wide client).",
)
_rule(
    "censusdb.records",
    (is_officer & of_actors_institution) | is_department,
    "See the census database's forms (names) of one's institution (Department: all).",
)
_rule(
    "censusdb.counts",
    signed_in_staff,
    "See how many census-database forms matched, await review or are on no list.",
)
_rule(
    "censusdb.reconciliation",
    signed_in_staff | is_api_client,
    "See the four-way reconciliation's counts, page and API (officer, institution's client: "
    "own institution).",
)
_rule(
    "censusdb.reconciliation_people",
    institution_worker,
    "See the people behind a reconciliation section, page and API (not the commission).",
)
_rule(
    "censusdb.reconciliation_export",
    region_wide,
    "Export a reconciliation section (names for the Department, counts for the commission).",
)
_rule(
    "censusdb.review",
    is_department,
    "Decide census-database forms with several candidates, variant names or disagreements.",
)


# Accounts, tokens and the audit trail.
_rule(
    "admin.open",
    is_department,
    "Use the administration site (its pages as far as the role's model permissions go).",
)
_rule("audit.view", is_department, "Read the audit trail in the admin.")
# The target of token.issue is the account that will hold the token.
_rule(
    "token.issue",
    holder_is_api_client
    & ((is_department & holder_in_actors_region) | (is_officer & holder_of_actors_institution)),
    "Issue an API token for a client account of one's region or institution.",
)
# The target of token.revoke is the token. The Department may revoke any token in its
# region, also one a person holds from before tokens were limited to client accounts.
_rule(
    "token.revoke",
    (is_department & holder_in_actors_region)
    | (is_officer & holder_is_api_client & holder_of_actors_institution),
    "Revoke an API token of one's region (Department) or of one's institution's clients.",
)


# Credentials that are not users: the rules each kind is allowed (DRF only). A tablet's
# device key posts the syncs of its own kit and reads nothing.
CREDENTIAL_RULES: dict[str, tuple[str, ...]] = {"sync.DeviceToken": ("sync.record",)}


# --- asking ----------------------------------------------------------------------------


def allowed(actor: ActorOrAnonymous | None, rule: str, obj: Any = None) -> bool:
    """Does ``rule`` let ``actor`` act on ``obj``? Unknown rules answer no."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return rules.has_perm(rule, actor, obj)


def require(actor: ActorOrAnonymous, rule: str, obj: Any = None) -> None:
    """A service's check: PermissionDenied unless ``rule`` lets ``actor`` act on ``obj``."""
    if rule not in RULES:
        raise KeyError(rule)
    if not allowed(actor, rule, obj):
        raise PermissionDenied


def rule_required(rule: str) -> Callable[[View], View]:
    """A view for signed-in users whom ``rule`` allows (asked for the kind of object: the
    view's selector decides which objects, with a 404 for others)."""
    if rule not in RULES:
        raise KeyError(rule)

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(request.user, rule)
            return view(request, *args, **kwargs)

        wrapper.policy_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate


class RuleRequiredMixin(LoginRequiredMixin):
    """The class-based form of ``rule_required``: set ``rule``."""

    rule: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            require(request.user, self.rule)
        return super().dispatch(request, *args, **kwargs)


class PolicyPermission(permissions.IsAuthenticated):
    """DRF: an authenticated caller whom the view's rule allows. The rule is
    ``view.action_rules[view.action]`` if given, else ``view.rule`` (an extra action sets
    its own: ``@action(..., rule="list.submit")``; none: any signed-in caller). Checked
    before the method, so a refused caller learns nothing more.

    A credential that is not a user (a tablet's device key) is allowed exactly the rules
    ``CREDENTIAL_RULES`` gives its kind."""

    def has_permission(self, request: Request, view: Any) -> bool:
        rule = getattr(view, "action_rules", {}).get(getattr(view, "action", None))
        rule = rule or getattr(view, "rule", None)
        credential = getattr(getattr(request.auth, "_meta", None), "label", None)
        if credential in CREDENTIAL_RULES:
            return rule in CREDENTIAL_RULES[credential]
        if not super().has_permission(request, view):
            return False
        return rule is None or allowed(request.user, rule)


class RuleAdminMixin(_ModelAdmin):
    """A ModelAdmin that the rule ``admin_rule`` opens, on top of the model permissions
    of the role's group (which say what the admin may view, add, change, delete)."""

    admin_rule: str = "admin.open"

    def _opens(self, request: HttpRequest) -> bool:
        return allowed(request.user, self.admin_rule)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._opens(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._opens(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._opens(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._opens(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._opens(request) and super().has_delete_permission(request, obj)


# --- the table of docs/PERMISSIONS.md -----------------------------------------------------


def _sample_actor(role: Role | None, *, institution: bool) -> Any:
    """An unsaved account of ``role`` (None: an anonymous visitor), for the table."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if role is None:
        return AnonymousUser()
    user = get_user_model()(username=f"sample-{role}", is_active=True)
    user.institution_id = 1 if institution else None
    user._role_group_names = {role}
    return user


# The columns of the table: who asks, as the rules see them.
TABLE_ACTORS: tuple[tuple[str, Role | None, bool], ...] = (
    ("Department", Role.DEPARTMENT, False),
    ("Commission", Role.COMMISSION, False),
    ("Officer", Role.OFFICER, True),
    ("API client (institution)", Role.API_CLIENT, True),
    ("API client (Department)", Role.API_CLIENT, False),
    ("Anonymous", None, False),
)

TABLE_HEADER = """# Permissions

Generated by `manage.py policy_table` from `census_coord/policy.py`; do not edit by hand
(a test fails when this file is stale).

Each row is a named rule; a cell says whether the role may do it at all. Rules about an
object narrow further: an officer or an institution's API client acts on their own
institution's objects only (`of_actors_institution`), a regional Department user on
their region's accounts and tokens. Which objects anyone sees is decided by the selectors
(`accounts/scoping.py`): another institution's object answers 404, not 403. A tablet's
device key is not a user; it may only `{device}`.
"""


def render_table() -> str:
    """docs/PERMISSIONS.md: every rule, its description, and who may."""
    actors = [
        (label, _sample_actor(role, institution=bound)) for label, role, bound in TABLE_ACTORS
    ]
    lines = [
        TABLE_HEADER.format(device="`, `".join(CREDENTIAL_RULES["sync.DeviceToken"])),
        "| Rule | What it lets one do | " + " | ".join(label for label, _ in actors) + " |",
        "|---|---|" + "---|" * len(actors),
    ]
    for rule in RULES.values():
        cells = ["yes" if allowed(actor, rule.name) else "—" for _, actor in actors]
        lines.append(f"| `{rule.name}` | {rule.description} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- templates ---------------------------------------------------------------------------

register = template.Library()


@register.simple_tag(takes_context=True, name="allowed")
def allowed_tag(context: template.Context, rule: str, obj: Any = None) -> bool:
    """``{% allowed "list.review" respondent_list as can_review %}`` for the signed-in user
    (no request in the context, as on the error pages: no one)."""
    return allowed(getattr(context.get("request"), "user", None), rule, obj)
