"""Checklist items of this app: responsible staff appointed, trained and provisioned (¶5–7).

Their details share one aggregate query over the given institutions.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions.models import (
    Campaign,
    Institution,
    ResponsibleStaff,
    SeminarAttendance,
    attended_campaign_seminar,
)
from institutions.readiness import ItemNote, ReadinessItem, shared_figures

ACTIVE_STAFF = Q(staff__is_active=True)
PROVISIONED = Q(provisioning__premises_provided=True, provisioning__computer_provided=True)


def _share(done: int, total: int) -> str:
    return gettext("%(done)d of %(total)d") % {"done": done, "total": total}


def _active_staff() -> QuerySet[ResponsibleStaff]:
    return ResponsibleStaff.objects.filter(institution=OuterRef("pk"), is_active=True)


def _staff_appointed(_campaign: Campaign) -> Q:
    return Q(Exists(_active_staff()))


def _staff_trained(campaign: Campaign) -> Q:
    """Active staff, and every one of them attended a seminar of this campaign."""
    attended = SeminarAttendance.objects.filter(
        attended_campaign_seminar(campaign), staff=OuterRef("pk")
    )
    return _staff_appointed(campaign) & ~Exists(_active_staff().exclude(Exists(attended)))


def _staff_provisioned(campaign: Campaign) -> Q:
    """Active staff, and every one of them has premises and a computer."""
    return _staff_appointed(campaign) & ~Exists(_active_staff().exclude(PROVISIONED))


def _staff_counts(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, tuple[int, int, int]]:
    """Per institution: active staff, of them trained, of them provisioned (one query for
    the three items)."""

    def read() -> dict[int, tuple[int, int, int]]:
        trained = ACTIVE_STAFF & attended_campaign_seminar(campaign, prefix="staff__attendances__")
        provisioned = ACTIVE_STAFF & Q(
            staff__provisioning__premises_provided=True,
            staff__provisioning__computer_provided=True,
        )
        rows = (
            institutions.order_by()
            .annotate(
                active_staff=Count("staff", filter=ACTIVE_STAFF, distinct=True),
                trained=Count("staff", filter=trained, distinct=True),
                provisioned=Count("staff", filter=provisioned, distinct=True),
            )
            .values_list("pk", "active_staff", "trained", "provisioned")
        )
        return {pk: (total, done, ready) for pk, total, done, ready in rows}

    return shared_figures(institutions, ("staff", campaign.pk), read)


def _staff_total(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    return {
        pk: ItemNote(detail=str(total))
        for pk, (total, _trained, _provisioned) in _staff_counts(institutions, campaign).items()
    }


def _staff_share(
    institutions: QuerySet[Institution], campaign: Campaign, position: int
) -> dict[int, ItemNote]:
    return {
        pk: ItemNote(detail=_share(counts[position], counts[0]))
        for pk, counts in _staff_counts(institutions, campaign).items()
    }


def _trained_share(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    return _staff_share(institutions, campaign, 1)


def _provisioned_share(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemNote]:
    return _staff_share(institutions, campaign, 2)


ITEMS = [
    ReadinessItem(
        code="staff_appointed",
        label=_("Staff appointed"),
        next_step=_(
            "Ask the head to appoint responsible staff by order and send the order to the "
            "Department."
        ),
        done=_staff_appointed,
        describe=_staff_total,
        officer_page="institutions:officer_home#staff",
    ),
    ReadinessItem(
        code="staff_trained",
        label=_("Staff trained"),
        next_step=_(
            "The Department records who attended its seminars. Every responsible staff "
            "member attends one; the dates are in your notifications."
        ),
        done=_staff_trained,
        describe=_trained_share,
        officer_page="institutions:officer_home#seminars",
        recorded_by_department=True,
    ),
    ReadinessItem(
        code="staff_provisioned",
        label=_("Premises and computer"),
        next_step=_(
            "Provide every responsible staff member with premises and a computer with "
            "internet access, and tell the Department."
        ),
        done=_staff_provisioned,
        describe=_provisioned_share,
        officer_page="institutions:officer_home#staff",
    ),
]
