"""Checklist items of this app: responsible staff appointed, trained and provisioned (¶5–7).

Only what the Department confirmed counts: a staff member, an attendance or a provisioning
the institution reported waits for review (and a returned one for correction). Items the
Department entered itself are confirmed at once. Whether an item is done is a condition
in SQL (the board filters and counts by it); the details of the three items share one
aggregate query over the institutions shown.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from census_coord.db import Every
from institutions.choices import ReportState
from institutions.models import (
    Campaign,
    Institution,
    Provisioning,
    ResponsibleStaff,
    SeminarAttendance,
    attended_campaign_seminar,
)
from institutions.readiness import ItemNote, ReadinessItem, institution_figures, shared_figures

# A staff member counts once the Department confirmed them and the order appointing them
# (and only in the campaign they were appointed for: ``staff__campaign``).
ACTIVE_STAFF = Q(staff__is_active=True, staff__report_state=ReportState.CONFIRMED) & (
    Q(staff__order__isnull=True) | Q(staff__order__report_state=ReportState.CONFIRMED)
)


class StaffFigures(NamedTuple):
    """One institution's figures for the three items."""

    active: int  # confirmed active staff
    trained: int
    provisioned: int
    # Active staff whose appointment (staff record or order), or whose provisioning, the
    # institution reported and the Department has not confirmed yet, or returned.
    appointment_waiting: int
    appointment_returned: int
    provisioning_waiting: int
    provisioning_returned: int


def _share() -> str:
    """ "3 of 4", to be formatted with ``done`` and ``total`` (translated once a page)."""
    return gettext("%(done)d of %(total)d")


def _in_state(campaign: Campaign, state: str, *paths: str) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}report_state": state})
    return Q(staff__is_active=True, staff__campaign=campaign) & condition


def _staff_figures(campaign: Campaign) -> QuerySet[Institution]:
    """Every institution annotated with the figures of ``StaffFigures`` (``figure_<name>``)."""
    active = ACTIVE_STAFF & Q(staff__campaign=campaign)
    trained = active & attended_campaign_seminar(campaign, prefix="staff__attendances__")
    provisioned = active & Q(
        staff__provisioning__premises_provided=True,
        staff__provisioning__computer_provided=True,
        staff__provisioning__report_state=ReportState.CONFIRMED,
    )
    appointment = ("staff__", "staff__order__")
    provisioning = ("staff__provisioning__",)
    figures = {
        "active": active,
        "trained": trained,
        "provisioned": provisioned,
        "appointment_waiting": _in_state(campaign, ReportState.REPORTED, *appointment),
        "appointment_returned": _in_state(campaign, ReportState.RETURNED, *appointment),
        "provisioning_waiting": _in_state(campaign, ReportState.REPORTED, *provisioning),
        "provisioning_returned": _in_state(campaign, ReportState.RETURNED, *provisioning),
    }
    return Institution.objects.order_by().annotate(
        **{
            f"figure_{name}": Count("staff", filter=condition, distinct=True)
            for name, condition in figures.items()
        }
    )


FIELDS = ("pk", *(f"figure_{name}" for name in StaffFigures._fields))


def _staff_counts(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, StaffFigures]:
    """Per institution, the figures of the three items (one query for them all; its
    annotated queryset built, and on a board compiled, once per campaign and process:
    ``institution_figures``)."""

    def read() -> dict[int, StaffFigures]:
        rows = institution_figures(institutions, campaign, "staff_figures", _staff_figures, FIELDS)
        return {pk: StaffFigures(*counts) for pk, *counts in rows}

    return shared_figures(institutions, ("staff", campaign.pk), read)


RETURNED_HINT = _(
    "The Department returned what you reported: correct it as its comment says and report it again."
)
WAITING_HINT = _("Reported: the Department has yet to confirm it.")


def _hint(waiting: int, returned: int) -> str | Promise:
    if returned:
        return RETURNED_HINT
    if waiting:
        return WAITING_HINT
    return ""


def _confirmed_staff(campaign: Campaign) -> QuerySet[ResponsibleStaff]:
    """The institution's active staff of the campaign that count (``ACTIVE_STAFF``, from a
    staff member)."""
    return ResponsibleStaff.objects.filter(
        Q(order__isnull=True) | Q(order__report_state=ReportState.CONFIRMED),
        institution=OuterRef("pk"),
        campaign=campaign,
        is_active=True,
        report_state=ReportState.CONFIRMED,
    )


def _staff_appointed(campaign: Campaign) -> Q:
    return Q(Exists(_confirmed_staff(campaign)))


def _every_confirmed_staff(campaign: Campaign, condition: Exists) -> Q:
    """Confirmed staff (``_staff_appointed``), and every one of them meets ``condition``.

    One ``bool_and`` over the institution's confirmed staff, not "appointed" and "none
    that does not": the staff table is read once per item, not twice (the aggregate of no
    staff is NULL, which is not done)."""
    every = (
        _confirmed_staff(campaign)
        .order_by()
        .values("institution")
        .annotate(every=Every(condition))
        .values("every")
    )
    return Q(Coalesce(Subquery(every), Value(False), output_field=BooleanField()))


def _staff_trained(campaign: Campaign) -> Q:
    """Confirmed staff, and every one of them attended a seminar of this campaign."""
    attended = SeminarAttendance.objects.filter(
        attended_campaign_seminar(campaign), staff=OuterRef("pk")
    )
    return _every_confirmed_staff(campaign, Exists(attended))


def _staff_provisioned(campaign: Campaign) -> Q:
    """Confirmed staff, and every one of them has premises and a computer, confirmed."""
    provisioned = Provisioning.objects.filter(
        staff=OuterRef("pk"),
        premises_provided=True,
        computer_provided=True,
        report_state=ReportState.CONFIRMED,
    )
    return _every_confirmed_staff(campaign, Exists(provisioned))


def _appointed_note(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    return {
        pk: ItemNote(
            detail=str(figures.active),
            hint=_hint(figures.appointment_waiting, figures.appointment_returned),
        )
        for pk, figures in _staff_counts(institutions, campaign).items()
    }


def _trained_note(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    share = _share()
    return {
        pk: ItemNote(detail=share % {"done": figures.trained, "total": figures.active})
        for pk, figures in _staff_counts(institutions, campaign).items()
    }


def _provisioned_note(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemNote]:
    share = _share()
    return {
        pk: ItemNote(
            detail=share % {"done": figures.provisioned, "total": figures.active},
            hint=_hint(figures.provisioning_waiting, figures.provisioning_returned),
        )
        for pk, figures in _staff_counts(institutions, campaign).items()
    }


ITEMS = [
    ReadinessItem(
        code="staff_appointed",
        label=_("Staff appointed"),
        next_step=_(
            "Report the head's order appointing responsible staff, with its scan, and the "
            "staff it appoints; the Department confirms them."
        ),
        done=_staff_appointed,
        describe=_appointed_note,
        officer_page="institutions:officer_home#staff",
    ),
    ReadinessItem(
        code="staff_trained",
        label=_("Staff trained"),
        next_step=_(
            "The Department confirms who attended its seminars. Sign every responsible staff "
            "member up for one and report that they attended."
        ),
        done=_staff_trained,
        describe=_trained_note,
        officer_page="institutions:officer_home#seminars",
        recorded_by_department=True,
    ),
    ReadinessItem(
        code="staff_provisioned",
        label=_("Premises and computer"),
        next_step=_(
            "Provide every responsible staff member with premises and a computer with "
            "internet access, and report it to the Department."
        ),
        done=_staff_provisioned,
        describe=_provisioned_note,
        officer_page="institutions:officer_home#staff",
    ),
]
