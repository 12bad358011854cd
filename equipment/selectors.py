"""Reads of kits, acts and returns, always narrowed to what the acting user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_region_wide
from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord import clock
from enumeration.models import Certificate
from equipment.choices import OPEN_ACT_STATUSES, ActStatus, Component, KitState, ReturnOutcome
from equipment.hooks import ReturnBlocker, return_blocking
from equipment.models import HandoverAct, HandoverItem, KitReturn, TabletKit
from institutions.models import Campaign, Institution, ResponsibleStaff
from institutions.selectors import campaign_get_active, institution_list


def kit_list(*, user: Actor) -> QuerySet[TabletKit]:
    """Officers: the kits their institution holds. Region-wide users: the store and every
    kit held in their region."""
    kits = TabletKit.objects.select_related("holder_institution")
    held = scope_queryset(kits, user=user, institution_path="holder_institution")
    if is_region_wide(user):
        return kits.filter(Q(pk__in=held.values("pk")) | Q(holder_institution__isnull=True))
    return held


def kit_get(*, user: Actor, pk: int) -> TabletKit:
    """One kit the user may see; 404 otherwise."""
    try:
        return kit_list(user=user).get(pk=pk)
    except TabletKit.DoesNotExist as exc:
        raise Http404 from exc


def kits_held(*, user: Actor) -> QuerySet[TabletKit]:
    """The kits out with institutions the user may see, each with ``return_by``: the kit
    return deadline of the campaign of the act it went out under (never the active
    campaign's: a 2021 kit is due back by 2021's date after 2031 opens)."""
    open_item = HandoverItem.objects.filter(
        kit=OuterRef("pk"), is_open=True, act__status__in=OPEN_ACT_STATUSES
    ).order_by("-act__act_date")
    return (
        kit_list(user=user)
        .filter(state=KitState.HANDED_OVER)
        .annotate(return_by=Subquery(open_item.values("act__campaign__kit_return_deadline")[:1]))
    )


def kit_state_counts(*, user: Actor) -> dict[str, int]:
    """Kits per state, every state present (zero when none)."""
    counts = dict.fromkeys(KitState.values, 0)
    for row in kit_list(user=user).order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def kits_available_for_handover(*, user: Actor) -> QuerySet[TabletKit]:
    """Kits in the store that may go out; incomplete ones are offered too, flagged on the
    form and handed over only with the Department's confirmation."""
    return kit_list(user=user).filter(
        state__in=(KitState.IN_STOCK, KitState.RETURNED, KitState.INCOMPLETE)
    )


def kits_awaiting_replacement(*, user: Actor) -> QuerySet[TabletKit]:
    """Kits in the store with a component missing or damaged (incomplete or in repair)."""
    return kit_list(user=user).filter(state__in=(KitState.INCOMPLETE, KitState.IN_REPAIR))


@dataclass(frozen=True)
class ComponentLoss:
    """Of one component: how many came back missing and damaged in a campaign's returns."""

    code: str
    label: str
    missing: int
    damaged: int


def component_losses(*, user: Actor, campaign: Campaign | None = None) -> list[ComponentLoss]:
    """Missing and damaged components (and tablets) in the campaign's returns, per
    component in the act's order; one query, narrowed to what the user may see."""
    campaign = campaign or campaign_get_active()
    returned = scope_queryset(
        HandoverItem.objects.filter(act__campaign=campaign, return_record__isnull=False),
        user=user,
        institution_path="act__institution",
    )
    aggregates: dict[str, Any] = {
        "tablet_missing": Count("pk", filter=Q(tablet_outcome=ReturnOutcome.MISSING)),
        "tablet_damaged": Count("pk", filter=Q(tablet_outcome=ReturnOutcome.DAMAGED)),
    }
    for code in Component.values:
        for outcome in (ReturnOutcome.MISSING, ReturnOutcome.DAMAGED):
            lookup = {f"components_at_return__{code}__outcome": outcome}
            aggregates[f"{code}_{outcome}"] = Count("pk", filter=Q(**lookup))
    counts = returned.aggregate(**aggregates)
    rows = [("tablet", _("tablet")), *Component.choices]
    return [
        ComponentLoss(
            code=code,
            label=str(label),
            missing=counts[f"{code}_{ReturnOutcome.MISSING}"],
            damaged=counts[f"{code}_{ReturnOutcome.DAMAGED}"],
        )
        for code, label in rows
    ]


def act_list(*, user: Actor, campaign: Campaign | None = None) -> QuerySet[HandoverAct]:
    """Acts the user may see (of ``campaign`` when given), latest campaign first."""
    acts = HandoverAct.objects.select_related(
        "campaign", "institution", "received_by", "handed_over_by"
    )
    if campaign is not None:
        acts = acts.filter(campaign=campaign)
    return scope_queryset(
        acts.annotate(kit_count=Count("items")).order_by("-campaign__critical_moment", "-number"),
        user=user,
    )


def act_get(*, user: Actor, pk: int) -> HandoverAct:
    """One act the user may see; 404 otherwise, so another institution's act is not revealed."""
    try:
        return act_list(user=user).get(pk=pk)
    except HandoverAct.DoesNotExist as exc:
        raise Http404 from exc


def act_items(*, act: HandoverAct) -> QuerySet[HandoverItem]:
    """The kits of an act already fetched through ``act_get``."""
    return act.items.select_related("kit", "return_record").order_by("kit__inventory_number")


def kit_return_list(*, user: Actor) -> QuerySet[KitReturn]:
    return scope_queryset(
        KitReturn.objects.select_related(
            "act", "act__institution", "act__campaign", "returned_by", "received_by"
        ),
        user=user,
        institution_path="act__institution",
    )


def kit_return_get(*, user: Actor, pk: int) -> KitReturn:
    try:
        return kit_return_list(user=user).get(pk=pk)
    except KitReturn.DoesNotExist as exc:
        raise Http404 from exc


def recipient_choices(*, user: Actor) -> QuerySet[ResponsibleStaff]:
    return scope_queryset(
        ResponsibleStaff.objects.filter(is_active=True).select_related("institution"), user=user
    )


def kits_out_of_campaign(*, campaign: Campaign) -> QuerySet[HandoverItem]:
    """Every kit of the campaign still out with an institution, unscoped.

    For system jobs (the kits-not-returned reminder) only; reads on behalf of a user go
    through ``overdue_items``, which narrows this to what the user may see.
    """
    return HandoverItem.objects.filter(
        is_open=True, act__campaign=campaign, act__status__in=OPEN_ACT_STATUSES
    )


def overdue_items(
    *, user: Actor, campaign: Campaign | None = None, today: dt.date | None = None
) -> QuerySet[HandoverItem]:
    """Kits still out after the campaign's return deadline, ordered by institution and holder.
    Empty until the deadline has passed."""
    campaign = campaign or campaign_get_active()
    today = today or clock.today()
    items = kits_out_of_campaign(campaign=campaign)
    if today <= campaign.kit_return_deadline:
        items = items.none()
    return scope_queryset(
        items.select_related("kit", "act", "act__institution", "act__received_by"),
        user=user,
        institution_path="act__institution",
    ).order_by("act__institution__name_kk", "act__received_by__full_name", "kit__inventory_number")


@dataclass
class OverdueHolder:
    """The kits one responsible staff member of one institution has not returned in time."""

    institution: Institution
    holder: ResponsibleStaff
    items: list[HandoverItem] = field(default_factory=list)


def overdue_by_holder(
    *, user: Actor, campaign: Campaign | None = None, today: dt.date | None = None
) -> list[OverdueHolder]:
    """``overdue_items`` grouped per institution and holder (one query)."""
    groups: dict[tuple[int, int], OverdueHolder] = {}
    for item in overdue_items(user=user, campaign=campaign, today=today):
        key = (item.act.institution_id, item.act.received_by_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = OverdueHolder(item.act.institution, item.act.received_by)
        group.items.append(item)
    return list(groups.values())


def acts_awaiting_signature(*, user: Actor) -> QuerySet[HandoverAct]:
    return act_list(user=user).filter(status=ActStatus.DRAFT).order_by("act_date", "number")


def institutions_for_acts(*, user: Actor) -> QuerySet[Institution]:
    return institution_list(user=user).filter(is_active=True)


def return_blockers(*, act: HandoverAct, kits: Sequence[TabletKit]) -> list[ReturnBlocker]:
    """What keeps these kits of ``act`` from coming back (data not yet delivered), from
    every provider connected to ``equipment.hooks.return_blocking``; empty: nothing."""
    if not kits:
        return []
    responses = return_blocking.send(sender=HandoverAct, act=act, kits=list(kits))
    return [blocker for _receiver, returned in responses for blocker in (returned or [])]  # type: ignore[misc]  # receivers return ReturnBlockers


# Blanks count as handed over once the act is signed (a draft is not yet a hand-over).
BLANKS_ACT_STATUSES = (ActStatus.SIGNED, ActStatus.PARTLY_RETURNED, ActStatus.CLOSED)


@dataclass(frozen=True)
class BlanksBalance:
    """Certificate blanks of one institution (or a total) in a campaign."""

    handed_over: int
    issued: int
    returned: int
    institution: Institution | None = None

    @property
    def unaccounted(self) -> int:
        """Handed over on acts − certificates issued in the app − blanks returned."""
        return self.handed_over - self.issued - self.returned


def _blanks_by_institution(
    acts: QuerySet[HandoverAct], returns: QuerySet[KitReturn], certificates: QuerySet[Certificate]
) -> dict[int, tuple[int, int, int]]:
    """institution id -> (handed over, issued, returned): three grouped queries."""
    handed = dict(
        acts.order_by()
        .values("institution")
        .annotate(n=Sum("certificate_blanks"))
        .values_list("institution", "n")
    )
    returned = dict(
        returns.order_by()
        .values("act__institution")
        .annotate(n=Sum("certificate_blanks"))
        .values_list("act__institution", "n")
    )
    issued = dict(
        certificates.order_by()
        .values("respondent__respondent_list__institution")
        .annotate(n=Count("pk"))
        .values_list("respondent__respondent_list__institution", "n")
    )
    ids = set(handed) | set(returned) | set(issued)
    return {pk: (handed.get(pk) or 0, issued.get(pk) or 0, returned.get(pk) or 0) for pk in ids}


def _blanks_sources(
    campaign: Campaign,
) -> tuple[QuerySet[HandoverAct], QuerySet[KitReturn], QuerySet[Certificate]]:
    return (
        HandoverAct.objects.filter(campaign=campaign, status__in=BLANKS_ACT_STATUSES),
        KitReturn.objects.filter(act__campaign=campaign, act__status__in=BLANKS_ACT_STATUSES),
        Certificate.objects.filter(campaign=campaign),
    )


def institution_blanks(*, institution: Institution, campaign: Campaign) -> BlanksBalance:
    """One institution's blanks, unscoped: for the return service and for an act the user
    already reached through ``act_get``."""
    acts, returns, certificates = _blanks_sources(campaign)
    figures = _blanks_by_institution(
        acts.filter(institution=institution),
        returns.filter(act__institution=institution),
        certificates.filter(respondent__respondent_list__institution=institution),
    )
    handed, issued, returned = figures.get(institution.pk, (0, 0, 0))
    return BlanksBalance(handed, issued, returned, institution)


def certificate_blanks(
    *, user: Actor, campaign: Campaign | None = None
) -> tuple[list[BlanksBalance], BlanksBalance]:
    """The blanks report: per institution the user may see that handed over, issued or
    returned any (by institution name), and the total. Four queries, however many."""
    campaign = campaign or campaign_get_active()
    acts, returns, certificates = _blanks_sources(campaign)
    figures = _blanks_by_institution(
        scope_queryset(acts, user=user),
        scope_queryset(returns, user=user, institution_path="act__institution"),
        scope_queryset(
            certificates, user=user, institution_path="respondent__respondent_list__institution"
        ),
    )
    institutions: Iterable[Institution] = Institution.objects.filter(pk__in=figures).order_by(
        "name_kk", "pk"
    )
    rows = [BlanksBalance(*figures[place.pk], institution=place) for place in institutions]
    total = BlanksBalance(
        sum(row.handed_over for row in rows),
        sum(row.issued for row in rows),
        sum(row.returned for row in rows),
    )
    return rows, total
