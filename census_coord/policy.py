"""Who may do what: the product's named permission rules, in one table.

Each rule is a django-rules predicate over the actor and the object acted on; services,
views, the admin and commands ask ``allowed(actor, "rule.name", obj)`` and never repeat a
rule's logic. This module is the seed of the one policy (issue 14 moves every other
permission here); today it holds the rules for API tokens.

``allowed`` goes through ``rules.has_perm`` rather than ``user.has_perm`` on purpose:
Django answers ``True`` to every ``has_perm`` of a superuser, and a rule such as "nobody
issues a token for a person's account" must hold for superusers too.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.roles import Role, role_of


def _holder(obj: Any) -> Any:
    """The account a rule is about: the user itself, or the holder of a token."""
    return getattr(obj, "user", obj)


def _region_id(user: Any) -> int | None:
    """The region an account acts in: its institution's, else its own (None: all)."""
    if user.institution_id:
        return user.institution.district.region_id
    return user.region_id


@rules.predicate
def is_department(actor: Any) -> bool:
    return role_of(actor) == Role.DEPARTMENT


@rules.predicate
def is_officer(actor: Any) -> bool:
    return role_of(actor) == Role.OFFICER


@rules.predicate
def holder_is_api_client(actor: Any, obj: Any) -> bool:
    """Only accounts of client software hold tokens: never a person, a superuser, staff
    of the admin site, the commission or the Department (a token acts as its holder)."""
    holder = _holder(obj)
    return (
        holder is not None
        and role_of(holder) == Role.API_CLIENT
        and not holder.is_superuser
        and not holder.is_staff
    )


@rules.predicate
def holder_in_actors_region(actor: Any, obj: Any) -> bool:
    """A department user bound to a region acts on accounts of that region only."""
    holder = _holder(obj)
    return actor.region_id is None or _region_id(holder) == actor.region_id


@rules.predicate
def holder_of_actors_institution(actor: Any, obj: Any) -> bool:
    holder = _holder(obj)
    return bool(actor.institution_id) and holder.institution_id == actor.institution_id


# The target of token.issue is the account that will hold the token.
rules.add_perm(
    "token.issue",
    holder_is_api_client
    & ((is_department & holder_in_actors_region) | (is_officer & holder_of_actors_institution)),
)
# The target of token.revoke is the token. The Department may revoke any token in its
# region, also one a person holds from before tokens were limited to client accounts.
rules.add_perm(
    "token.revoke",
    (is_department & holder_in_actors_region)
    | (is_officer & holder_is_api_client & holder_of_actors_institution),
)


def allowed(actor: Any, rule: str, obj: Any = None) -> bool:
    """Does ``rule`` let ``actor`` act on ``obj``? Unknown rules answer no."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return rules.has_perm(rule, actor, obj)


# --- Institutions' own part (¶5–7): the officer reports, the Department confirms ---------
# The object is an institution or a record that belongs to one: an appointment order or a
# staff member (``institution``), a provisioning or an attendance (through ``staff``).


def _institution_of(obj: Any) -> Any:
    if obj is None or obj._meta.label_lower == "institutions.institution":
        return obj
    if hasattr(obj, "institution_id"):
        return obj.institution
    return obj.staff.institution


@rules.predicate
def is_commission(actor: Any) -> bool:
    return role_of(actor) == Role.COMMISSION


@rules.predicate
def of_actors_institution(actor: Any, obj: Any) -> bool:
    institution = _institution_of(obj)
    return (
        bool(actor.institution_id)
        and institution is not None
        and (institution.pk == actor.institution_id)
    )


@rules.predicate
def in_actors_region(actor: Any, obj: Any) -> bool:
    """A department user bound to a region acts on that region's institutions only.

    Asked without an object ("may this user confirm at all?"), the region does not narrow.
    """
    institution = _institution_of(obj)
    return (
        actor.region_id is None
        or institution is None
        or institution.district.region_id == actor.region_id
    )


# Report (or correct and report again) an order, a staff member, provisioning, attendance.
rules.add_perm("staff.report", is_officer & of_actors_institution)
# Confirm a reported item, or return it with a comment.
rules.add_perm("staff.confirm", is_department & in_actors_region)
# The queue of items reported by institutions (the commission reads it).
rules.add_perm("staff.view_reports", is_department | is_commission)
# Sign a staff member up for a seminar, or cancel the sign-up before the date.
rules.add_perm("seminar.sign_up", is_officer & of_actors_institution)
rules.add_perm("seminar.print_attendance", is_department)
