"""Checklist item of stage 2: everyone listed has an enumeration outcome."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enumeration.models import ListProgress
from enumeration.progress import pending_of_counters, progress_of_institutions
from institutions.models import Campaign, Institution
from institutions.readiness import ItemNote, ReadinessItem


def stage2_done(campaign: Campaign) -> Q:
    """Done when everyone listed for stage 2 has an outcome (the list's counters)."""
    finished = (
        ListProgress.objects.filter(institution=OuterRef("pk"), campaign=campaign, listed__gt=0)
        .annotate(pending=pending_of_counters())
        .filter(pending=0)
    )
    return Q(Exists(finished))


def stage2_progress(institutions: QuerySet[Institution], campaign: Campaign) -> dict[int, ItemNote]:
    """People enumerated of those listed (one grouped query over the counters)."""
    figures = progress_of_institutions(institutions, campaign)
    return {
        pk: ItemNote(
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
        done=stage2_done,
        describe=stage2_progress,
        officer_page="enumeration:worklist",
    ),
]
