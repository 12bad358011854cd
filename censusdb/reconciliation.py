"""The four-way reconciliation's counters (issue 19 item 5): one write, set-based.

Which forms count, in one place for the counters and for the names behind them:

- a listed person is *in the census database* when a form is matched to them
  (``MATCHED``: recorded, agreeing with the officer, or under review as a disagreement);
  *here* when that form names their own institution's BIN, *elsewhere* when it names
  another institution, or none (a household);
- a form *on no list* names an institution's BIN and matches nobody (``UNLISTED``:
  nobody found, or the Department rejected the candidates).

``reconciliation_refresh`` recounts ``ReconciliationCount`` from the census records with
two grouped queries and one upsert; the export run calls it once at its end (separate from
the apply step), a review decision and a change of a list's people for their institutions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q

from censusdb.models import CensusRecord, ReconciliationCount, RecordState
from enumeration.selectors import listed_q
from institutions.models import Campaign

MATCHED = (RecordState.APPLIED, RecordState.CONFIRMED, RecordState.REVIEW)
UNLISTED = (RecordState.NOT_LISTED, RecordState.REJECTED)
HOME = "respondent__respondent_list__institution_id"


def matched_records(campaign: Campaign) -> Q:
    """Forms matched to a person listed in ``campaign`` (a filter on CensusRecord)."""
    return Q(campaign=campaign, respondent__isnull=False, state__in=MATCHED) & listed_q(
        campaign, prefix="respondent__"
    )


def unlisted_records(campaign: Campaign) -> Q:
    """Forms naming a known institution that match nobody on a list."""
    return Q(
        campaign=campaign, respondent__isnull=True, institution__isnull=False, state__in=UNLISTED
    )


@transaction.atomic
def reconciliation_refresh(
    *, campaign: Campaign, institution_ids: Iterable[int] | None = None
) -> int:
    """Recount the counters of ``campaign`` (of ``institution_ids`` only, when given) from
    the census records; returns how many institutions have any. Idempotent."""
    matched = CensusRecord.objects.filter(matched_records(campaign))
    unlisted = CensusRecord.objects.filter(unlisted_records(campaign))
    stale = ReconciliationCount.objects.filter(campaign=campaign)
    if institution_ids is not None:
        ids = sorted(set(institution_ids))
        matched = matched.filter(**{f"{HOME}__in": ids})
        unlisted = unlisted.filter(institution_id__in=ids)
        stale = stale.filter(institution_id__in=ids)
    counts: dict[int, list[int]] = {}
    rows = (
        matched.order_by()
        .values(HOME)
        .annotate(
            here=Count("respondent_id", distinct=True, filter=Q(institution_id=F(HOME))),
            people=Count("respondent_id", distinct=True),
        )
        .values_list(HOME, "here", "people")
    )
    for institution_id, here, people_matched in rows:
        counts[institution_id] = [here, people_matched - here, 0]
    for institution_id, n in (
        unlisted.order_by()
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    ):
        counts.setdefault(institution_id, [0, 0, 0])[2] = n
    stale.exclude(institution_id__in=list(counts)).delete()
    ReconciliationCount.objects.bulk_create(
        [
            ReconciliationCount(
                campaign=campaign,
                institution_id=institution_id,
                in_db=here,
                elsewhere=elsewhere,
                unlisted=unlisted_n,
            )
            for institution_id, (here, elsewhere, unlisted_n) in counts.items()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["campaign", "institution"],
        update_fields=["in_db", "elsewhere", "unlisted"],
    )
    return len(counts)
