"""Checklist item of stage 2: everyone listed has an enumeration outcome."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enumeration.progress import progress_of_institutions
from institutions.models import Campaign, Institution
from institutions.readiness import ItemResult, ReadinessItem


def stage2_progress(
    institutions: QuerySet[Institution], campaign: Campaign
) -> dict[int, ItemResult]:
    """Done when everyone listed for stage 2 has an outcome (one grouped query)."""
    figures = progress_of_institutions(institutions, campaign)
    return {
        pk: ItemResult(
            done=progress.listed > 0 and progress.pending == 0,
            detail=gettext("%(done)d of %(listed)d enumerated")
            % {"done": progress.enumerated, "listed": progress.listed},
        )
        for pk, progress in figures.items()
    }


ITEMS = [
    ReadinessItem(
        code="stage2_progress",
        label=_("Everyone listed has an enumeration outcome"),
        next_step=_("Record the outcome of every pending person on the enumeration worklist."),
        compute=stage2_progress,
        officer_page="enumeration:worklist",
    ),
]
