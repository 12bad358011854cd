"""Reads of sync records and tablet status, always narrowed to what the acting user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord import clock
from equipment.choices import KitState
from equipment.hooks import ReturnBlocker
from equipment.models import HandoverAct, TabletKit
from equipment.selectors import kit_list
from institutions.models import Campaign, Institution
from sync.hooks import forms_received_provider
from sync.models import DeviceToken, SyncChannel, SyncRecord, UsbStage

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _LastSync(TypedDict):
    last_received_at: dt.datetime | None


class _SyncStatus(_LastSync):
    last_sent_at: dt.datetime | None
    last_channel: str | None
    last_form_count: int | None
    forms_total: int | None
    has_vpn: bool
    has_usb: bool
    usb_not_uploaded: int | None


class _Delivery(TypedDict):
    forms_received: int | None
    forms_missing: int | None
    last_delivery_at: dt.datetime | None


class _BoardStatus(_SyncStatus, _Delivery):
    stale: bool


def sync_record_list(*, user: Actor) -> QuerySet[SyncRecord]:
    return scope_queryset(
        SyncRecord.objects.select_related(
            "kit", "institution", "holder", "offloaded_by", "uploaded_by", "verified_by"
        ),
        user=user,
    )


def sync_record_get(*, user: Actor, pk: int) -> SyncRecord:
    """One record the user may see; 404 otherwise."""
    try:
        return sync_record_list(user=user).get(pk=pk)
    except SyncRecord.DoesNotExist as exc:
        raise Http404 from exc


def usb_offloads_open(*, user: Actor) -> QuerySet[SyncRecord]:
    """USB offloads whose data has not been verified in the census database, oldest first."""
    return (
        sync_record_list(user=user)
        .filter(channel=SyncChannel.USB, usb_stage__in=(UsbStage.OFFLOADED, UsbStage.UPLOADED))
        .order_by("offloaded_at", "pk")
    )


def institution_sync_history(*, user: Actor, institution: Institution) -> QuerySet[SyncRecord]:
    return sync_record_list(user=user).filter(institution=institution)


def device_token_list(*, user: Actor, kit: TabletKit) -> QuerySet[DeviceToken]:
    """The keys issued for a kit the user may see, newest first; empty for any other kit."""
    return (
        DeviceToken.objects.filter(kit__in=kit_list(user=user).filter(pk=kit.pk))
        .select_related("issued_by")
        .order_by("-created_at", "-pk")
    )


def in_tablet_window(campaign: Campaign | None, day: dt.date) -> bool:
    return campaign is not None and campaign.tablet_start <= day <= campaign.tablet_end


def stale_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=settings.SYNC_STALE_HOURS)


def _last(field: str) -> Subquery:
    latest = SyncRecord.objects.filter(kit=OuterRef("pk")).order_by("-received_at", "-pk")
    return Subquery(latest.values(field)[:1])


def kits_with_sync_status(
    kits: QuerySet[TabletKit],
) -> QuerySet[WithAnnotations[TabletKit, _SyncStatus]]:
    """Kits annotated with their last sync and totals, in one query."""
    records = SyncRecord.objects.filter(kit=OuterRef("pk")).order_by()
    return kits.annotate(
        last_received_at=_last("received_at"),
        last_sent_at=_last("sent_at"),
        last_channel=_last("channel"),
        last_form_count=_last("form_count"),
        forms_total=Subquery(
            records.values("kit").annotate(n=Sum("form_count")).values("n"),
            output_field=IntegerField(),
        ),
        has_vpn=Exists(records.filter(channel=SyncChannel.VPN)),
        has_usb=Exists(records.filter(channel=SyncChannel.USB)),
        usb_not_uploaded=Subquery(
            records.filter(usb_stage=UsbStage.OFFLOADED)
            .values("kit")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class TabletRow:
    """One tablet on the sync board."""

    kit: TabletKit
    last_received_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    last_channel: str
    last_form_count: int | None
    forms_total: int
    usb_only: bool
    usb_not_uploaded: int
    stale: bool
    hours_since_sync: int | None
    # Of the forms sent, those the census database has received (None: nobody imports it).
    forms_received: int | None = None
    forms_missing: int | None = None
    last_delivery_at: dt.datetime | None = None

    @property
    def clock_skew(self) -> dt.timedelta | None:
        if self.last_sent_at is None or self.last_received_at is None:
            return None
        return self.last_sent_at - self.last_received_at

    @property
    def clock_skew_minutes(self) -> int | None:
        skew = self.clock_skew
        return None if skew is None else round(skew.total_seconds() / 60)

    @property
    def last_channel_label(self) -> str:
        return str(dict(SyncChannel.choices).get(self.last_channel, ""))


def stale_expression(campaign: Campaign | None, now: dt.datetime) -> Value | ExpressionWrapper:
    """The one "stale" rule, over kits annotated by ``kits_with_sync_status``: during the
    campaign's tablet window, no sync received (ever, or since ``SYNC_STALE_HOURS`` ago)."""
    if not in_tablet_window(campaign, timezone.localdate(now)):
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(
        Q(last_received_at__isnull=True) | Q(last_received_at__lt=stale_cutoff(now)),
        output_field=BooleanField(),
    )


def delivery_annotations(campaign: Campaign | None) -> dict[str, Any]:
    """Over kits annotated by ``kits_with_sync_status``: ``forms_received`` (forms naming
    the kit in the census database of ``campaign``), ``last_delivery_at`` (when the newest
    of them was completed) and ``forms_missing`` (sent − received, never below 0), from the
    provider registered in ``sync.hooks``; NULL each when there is none."""
    provider = forms_received_provider()
    if provider is None:
        return {
            "forms_received": Value(None, output_field=IntegerField()),
            "last_delivery_at": Value(None, output_field=DateTimeField()),
            "forms_missing": Value(None, output_field=IntegerField()),
        }
    answer = provider(campaign)
    received = Coalesce(answer.received, Value(0), output_field=IntegerField())
    return {
        "forms_received": received,
        "last_delivery_at": answer.last_delivery,
        "forms_missing": Greatest(
            Coalesce(F("forms_total"), Value(0)) - received,
            Value(0),
            output_field=IntegerField(),
        ),
    }


# (the forms-received provider, every field of the campaign) → ``_board_base`` of them.
_BOARD_BASE: dict[tuple[Any, ...], QuerySet[TabletKit]] = {}


def _board_base(campaign: Campaign | None) -> QuerySet[TabletKit]:
    """Every handed-over kit annotated with its last sync and the forms received of it:
    built once per process, campaign and provider (their dozen subqueries cost
    milliseconds to resolve, the same for every request), never evaluated; each request
    narrows a copy to its user's scope. A changed campaign (any field) or provider builds
    anew; the provider is kept in the key, so it is not another one at the same address."""
    provider = forms_received_provider()
    fields = Campaign._meta.concrete_fields
    key = (provider, *(getattr(campaign, f.attname) if campaign else None for f in fields))
    if key not in _BOARD_BASE:
        if len(_BOARD_BASE) >= 64:  # campaigns whose dates changed leave stale keys behind
            _BOARD_BASE.clear()
        kits = TabletKit.objects.filter(state=KitState.HANDED_OVER).select_related(
            "holder_institution"
        )
        _BOARD_BASE[key] = kits_with_sync_status(kits).annotate(**delivery_annotations(campaign))
    return _BOARD_BASE[key]


def tablet_board_kits(
    *, user: Actor, campaign: Campaign | None, now: dt.datetime | None = None
) -> QuerySet[WithAnnotations[TabletKit, _BoardStatus]]:
    """The tablets out with institutions the user may see, annotated with their last sync,
    the forms the census database received of them (``delivery_annotations``) and
    ``stale`` (``stale_expression``); one query, for the board's FilterSet to narrow."""
    now = now or clock.now()
    kits = scope_queryset(
        _board_base(campaign), user=user, institution_path="holder_institution"
    ).order_by("holder_institution__name_kk", "inventory_number")
    return kits.annotate(stale=stale_expression(campaign, now))  # type: ignore[return-value]  # annotated by _board_base


def tablet_board_rows(
    kits: QuerySet[WithAnnotations[TabletKit, _BoardStatus]], *, now: dt.datetime | None = None
) -> list[TabletRow]:
    """The board's rows of kits from ``tablet_board_kits`` (narrowed or not)."""
    now = now or clock.now()
    return [
        TabletRow(
            kit=kit,
            last_received_at=kit.last_received_at,
            last_sent_at=kit.last_sent_at,
            last_channel=kit.last_channel or "",
            last_form_count=kit.last_form_count,
            forms_total=kit.forms_total or 0,
            usb_only=kit.has_usb and not kit.has_vpn,
            usb_not_uploaded=kit.usb_not_uploaded or 0,
            stale=kit.stale,
            hours_since_sync=(
                None
                if kit.last_received_at is None
                else int((now - kit.last_received_at).total_seconds() // 3600)
            ),
            forms_received=kit.forms_received,
            forms_missing=kit.forms_missing,
            last_delivery_at=kit.last_delivery_at,
        )
        for kit in kits
    ]


def tablet_board(
    *, user: Actor, campaign: Campaign | None, now: dt.datetime | None = None
) -> list[TabletRow]:
    """Every tablet out with institutions the user may see, with its sync status.

    A tablet is stale when, during the campaign's tablet window, its last sync (or, never
    synced, nothing at all) is older than ``SYNC_STALE_HOURS``.
    """
    now = now or clock.now()
    return tablet_board_rows(tablet_board_kits(user=user, campaign=campaign, now=now), now=now)


def kits_not_syncing(*, cutoff: dt.datetime) -> QuerySet[WithAnnotations[TabletKit, _LastSync]]:
    """Every handed-over kit (all institutions) with no sync received since ``cutoff``,
    annotated with its last sync; one query."""
    recent = SyncRecord.objects.filter(kit=OuterRef("pk"), received_at__gte=cutoff)
    return (
        TabletKit.objects.filter(state=KitState.HANDED_OVER, holder_institution__isnull=False)
        .filter(~Exists(recent))
        .annotate(
            last_received_at=Subquery(
                SyncRecord.objects.filter(kit=OuterRef("pk"))
                .order_by("-received_at")
                .values("received_at")[:1],
                output_field=DateTimeField(),
            )
        )
        .select_related("holder_institution")
        .order_by("pk")
    )


def usb_offloads_not_uploaded() -> QuerySet[SyncRecord]:
    """Every USB offload still only on a Department employee's media (all institutions)."""
    return (
        SyncRecord.objects.filter(channel=SyncChannel.USB, usb_stage=UsbStage.OFFLOADED)
        .select_related("kit", "institution", "offloaded_by")
        .order_by("pk")
    )


def usb_offloads_undelivered(*, act: HandoverAct, kits: Sequence[TabletKit]) -> list[ReturnBlocker]:
    """USB offloads of ``kits`` while out under ``act`` (at its institution, received on or
    after the act date) that are not yet uploaded to the census database and verified, as
    return blockers naming the tablet, the media and the stage reached. Unscoped: the
    equipment service asks for an act its actor already holds. One query."""
    by_pk = {kit.pk: kit for kit in kits}
    records = (
        SyncRecord.objects.filter(
            kit__in=list(by_pk),
            institution_id=act.institution_id,
            channel=SyncChannel.USB,
            received_at__date__gte=act.act_date,
        )
        .exclude(usb_stage=UsbStage.VERIFIED)
        .order_by("kit_id", "received_at", "pk")
    )
    return [
        ReturnBlocker(
            kit=by_pk[record.kit_id],
            code="usb_offload_not_verified",
            message=_(
                "Tablet %(kit)s: the USB offload of %(day)s on media %(media)s (census forms: "
                "%(forms)s) has reached only the stage “%(stage)s”; it must be uploaded to "
                "the census database and verified."
            )
            % {
                "kit": by_pk[record.kit_id].inventory_number,
                "day": timezone.localtime(record.received_at).strftime("%d.%m.%Y"),
                "media": record.media_id,
                "forms": record.form_count,
                "stage": record.get_usb_stage_display(),
            },
        )
        for record in records
    ]
