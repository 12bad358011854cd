"""Readiness items of the equipment app: kits received (under a signed act) and returned."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy, ngettext

from census_coord.db import Every
from equipment.choices import RETURNABLE_ACT_STATUSES, ActStatus
from equipment.models import HandoverItem
from institutions.models import Campaign, Institution
from institutions.readiness import ItemNote, ReadinessItem, institution_figures, shared_figures

SIGNED_STATUSES = (*RETURNABLE_ACT_STATUSES, ActStatus.CLOSED)
KIT_FIGURES = ("kits_received", "kits_out")


def _kit_figures(campaign: Campaign) -> QuerySet[Institution]:
    """Every institution annotated with its kits received under signed acts and still out."""
    on_signed_act = Q(
        handover_acts__campaign=campaign,
        handover_acts__status__in=SIGNED_STATUSES,
        handover_acts__items__isnull=False,
    )
    return Institution.objects.order_by().annotate(
        kits_received=Count("handover_acts__items", filter=on_signed_act),
        kits_out=Count(
            "handover_acts__items", filter=on_signed_act & Q(handover_acts__items__is_open=True)
        ),
    )


def _kit_counts(
    institutions: QuerySet[Institution], campaign: Campaign
) -> list[tuple[int, int, int]]:
    """Per institution: kits received under signed acts, and how many are still out (one
    query for both items; built, and on a board compiled, once per campaign:
    ``institution_figures``)."""

    def read() -> list[tuple[int, int, int]]:
        return institution_figures(
            institutions, campaign, "kit_figures", _kit_figures, ("pk", *KIT_FIGURES)
        )

    return shared_figures(institutions, ("kits", campaign.pk), read)


def _kits_on_signed_acts(campaign: Campaign) -> QuerySet[HandoverItem]:
    return HandoverItem.objects.filter(
        act__institution=OuterRef("pk"), act__campaign=campaign, act__status__in=SIGNED_STATUSES
    )


def kits_received_done(campaign: Campaign) -> Q:
    return Q(Exists(_kits_on_signed_acts(campaign)))


def kits_returned_done(campaign: Campaign) -> Q:
    """Kits were received, and none is still out: one ``bool_and`` over the kits on signed
    acts (NULL without any, which is not done), not "received" and "none still out"."""
    every_back = (
        _kits_on_signed_acts(campaign)
        .order_by()
        .values("act__institution")
        .annotate(every=Every(ExpressionWrapper(~Q(is_open=True), output_field=BooleanField())))
        .values("every")
    )
    return Q(Coalesce(Subquery(every_back), Value(False), output_field=BooleanField()))


def kits_received(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    return {
        pk: ItemNote(
            detail=ngettext("%(count)s kit received", "%(count)s kits received", received)
            % {"count": received}
            if received
            else "",
        )
        for pk, received, _out in _kit_counts(institutions, campaign)
    }


def kits_returned(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    return {
        pk: ItemNote(
            detail=ngettext(
                "%(out)s of %(received)s kit still out",
                "%(out)s of %(received)s kits still out",
                received,
            )
            % {"out": out, "received": received}
            if received
            else "",
        )
        for pk, received, out in _kit_counts(institutions, campaign)
    }


ITEMS = [
    ReadinessItem(
        code="kits_received",
        label=gettext_lazy("Tablet kits received"),
        next_step=gettext_lazy(
            "Receive the tablet kits from the Department and sign the acceptance-transfer act."
        ),
        done=kits_received_done,
        describe=kits_received,
        officer_page="equipment:overview",
    ),
    ReadinessItem(
        code="kits_returned",
        label=gettext_lazy("Tablet kits returned"),
        next_step=gettext_lazy("Return every tablet kit to the Department by the return deadline."),
        done=kits_returned_done,
        describe=kits_returned,
        officer_page="equipment:overview",
    ),
]
