"""Forms a tablet sent vs forms the census database received from it (issue 19, item 7-8).

A census-database form names its tablet (``CensusRecord.tablet_ref``) by the kit's
inventory number, serial number or IMEI. Sync knows what each tablet sent (its sync
records); this module, above both, answers the rest:

- ``forms_received`` — registered with ``sync.hooks`` by ``CensusDbConfig.ready()``: the
  SQL expressions the sync board annotates its kits with (forms received, last delivery);
- ``forms_not_received`` — the ``equipment.hooks.return_blocking`` provider (connected in
  ``censusdb.receivers``): a kit whose forms sent under the act are not all in the census
  database does not come back without the Department's override. Only once the act's
  campaign has a finished import: before that the app knows nothing of what arrived.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils.translation import ngettext

from censusdb.models import CensusExport, CensusExportState, CensusRecord
from equipment.hooks import ReturnBlocker
from equipment.models import HandoverAct, TabletKit
from institutions.models import Campaign
from sync.hooks import FormsReceived
from sync.models import SyncRecord

# A kit's own names, as a census-database form may give them.
KIT_REFS = ("inventory_number", "serial", "imei")


def _naming_the_kit(campaign: Campaign) -> QuerySet[CensusRecord]:
    """The campaign's forms naming the outer query's kit."""
    naming = Q()
    for field in KIT_REFS:
        naming |= Q(tablet_ref=OuterRef(field))
    return CensusRecord.objects.filter(naming, campaign=campaign).order_by()


def forms_received(campaign: Campaign | None) -> FormsReceived:
    """Per kit of the outer query: the census database's forms naming it in ``campaign``,
    and when the newest of them was completed (two grouped subqueries)."""
    if campaign is None:
        return FormsReceived(
            received=Value(None, output_field=IntegerField()),
            last_delivery=Value(None, output_field=DateTimeField()),
        )
    records = _naming_the_kit(campaign).values("campaign")
    return FormsReceived(
        received=Subquery(records.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        last_delivery=Subquery(
            records.annotate(at=Max("completed_at")).values("at"), output_field=DateTimeField()
        ),
    )


def forms_not_received(*, act: HandoverAct, kits: Sequence[TabletKit]) -> list[ReturnBlocker]:
    """Kits of ``act`` that sent more forms while out under it (sync records at the act's
    institution, received on or after the act date) than the census database holds naming
    them (the act's campaign, completed on or after the act date), as return blockers
    naming the tablet and the forms missing. Nothing before the campaign's first finished
    import. Unscoped (the equipment service asks for an act its actor holds); three queries."""
    imported = CensusExport.objects.filter(
        campaign_id=act.campaign_id, state=CensusExportState.DONE
    ).exists()
    if not imported or not kits:
        return []
    by_pk = {kit.pk: kit for kit in kits}
    sent = dict(
        SyncRecord.objects.filter(
            kit__in=list(by_pk),
            institution_id=act.institution_id,
            received_at__date__gte=act.act_date,
        )
        .order_by()
        .values("kit")
        .annotate(n=Sum("form_count"))
        .values_list("kit", "n")
    )
    refs = {getattr(kit, field): kit.pk for kit in kits if sent.get(kit.pk) for field in KIT_REFS}
    received: Counter[int] = Counter()
    if refs:
        by_ref = (
            CensusRecord.objects.filter(
                campaign_id=act.campaign_id,
                tablet_ref__in=list(refs),
                completed_at__date__gte=act.act_date,
            )
            .order_by()
            .values("tablet_ref")
            .annotate(n=Count("pk"))
            .values_list("tablet_ref", "n")
        )
        for ref, n in by_ref:
            received[refs[ref]] += n
    blockers = []
    for kit in sorted(kits, key=lambda k: k.inventory_number):
        forms, got = sent.get(kit.pk) or 0, received[kit.pk]
        if forms <= got:
            continue
        missing = forms - got
        message = ngettext(
            "Tablet %(kit)s sent %(sent)d census forms; the census database has received "
            "%(received)d of them: %(missing)d form is missing.",
            "Tablet %(kit)s sent %(sent)d census forms; the census database has received "
            "%(received)d of them: %(missing)d forms are missing.",
            missing,
        ) % {"kit": kit.inventory_number, "sent": forms, "received": got, "missing": missing}
        blockers.append(ReturnBlocker(kit=kit, code="forms_not_received", message=message))
    return blockers
