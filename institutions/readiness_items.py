"""Checklist items of this app: responsible staff appointed, trained and provisioned (¶5–7).

The three items share one aggregate query over all the given institutions.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions.models import Campaign, Institution, attended_campaign_seminar
from institutions.readiness import ItemResult, ReadinessItem, shared_figures

ACTIVE_STAFF = Q(staff__is_active=True)


def _share(done: int, total: int) -> str:
    return gettext("%(done)d of %(total)d") % {"done": done, "total": total}


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


def _staff_appointed(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemResult]:
    return {
        pk: ItemResult(done=total > 0, detail=str(total))
        for pk, (total, _trained, _provisioned) in _staff_counts(institutions, campaign).items()
    }


def _staff_share(
    institutions: QuerySet[Institution], campaign: Campaign, position: int
) -> dict[int, ItemResult]:
    """Done when there is active staff and every active staff member meets the item."""
    return {
        pk: ItemResult(
            done=counts[0] > 0 and counts[position] == counts[0],
            detail=_share(counts[position], counts[0]),
        )
        for pk, counts in _staff_counts(institutions, campaign).items()
    }


def _staff_trained(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemResult]:
    return _staff_share(institutions, campaign, 1)


def _staff_provisioned(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemResult]:
    return _staff_share(institutions, campaign, 2)


ITEMS = [
    ReadinessItem(
        code="staff_appointed",
        label=_("Staff appointed"),
        next_step=_(
            "Ask the head to appoint responsible staff by order and send the order to the "
            "Department."
        ),
        compute=_staff_appointed,
        officer_page="institutions:officer_home#staff",
    ),
    ReadinessItem(
        code="staff_trained",
        label=_("Staff trained"),
        next_step=_(
            "The Department records who attended its seminars. Every responsible staff "
            "member attends one; the dates are in your notifications."
        ),
        compute=_staff_trained,
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
        compute=_staff_provisioned,
        officer_page="institutions:officer_home#staff",
    ),
]
