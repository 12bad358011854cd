"""Pages of the sync app: the tablet sync board, USB offloads in custody, per-institution
history and device keys. Thin: selectors read (scoped), services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_of
from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from census_coord import clock
from census_coord.errors import service_error_message
from census_coord.filtering import page_rows
from census_coord.forms import form_add_service_errors
from census_coord.pagination import paginate
from census_coord.policy import rule_required
from equipment import selectors as equipment_selectors
from equipment.choices import KitState
from institutions.campaigns import selected_campaign
from institutions.selectors import institution_get
from sync import selectors, services
from sync.filters import TabletBoardFilterSet
from sync.forms import UsbOffloadForm
from sync.models import SyncChannel


@rule_required("sync.view")
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every tablet out with an institution: last sync, forms, channel, clock skew, stale."""
    role = role_of(request.user)
    campaign = selected_campaign(request)
    now = clock.now()
    kits = selectors.tablet_board_kits(user=request.user, campaign=campaign, now=now)
    kits, filtered = page_rows(TabletBoardFilterSet(request.GET, queryset=kits))
    rows = selectors.tablet_board_rows(kits, now=now)
    stale_only = filtered.get("stale") == "1"
    holding_only = filtered.get("holding") == "1"
    record_read(
        request,
        object_type="sync.syncrecord",
        record_count=len(rows),
        institution=request.user.institution_id if role == Role.OFFICER else None,
    )
    context = {
        "rows": rows,
        "campaign": campaign,
        "in_window": selectors.in_tablet_window(campaign, clock.today()),
        "stale_hours": settings.SYNC_STALE_HOURS,
        "stale_only": stale_only,
        "holding_only": holding_only,
        "shows_delivery": any(row.forms_received is not None for row in rows),
        "is_officer": role == Role.OFFICER,
        "usb_open": selectors.usb_offloads_open(user=request.user).count(),
    }
    return render(request, "sync/board.html", context)


@rule_required("sync.view")
def usb_offloads(request: AuthenticatedHttpRequest) -> HttpResponse:
    """USB offloads whose data is still on the media or not yet verified in the census database."""
    role = role_of(request.user)
    records = list(selectors.usb_offloads_open(user=request.user))
    record_read(
        request,
        object_type="sync.syncrecord",
        record_count=len(records),
        institution=request.user.institution_id if role == Role.OFFICER else None,
    )
    return render(request, "sync/usb_offloads.html", {"records": records})


@rule_required("usb.record")
def usb_offload_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A Department employee records a USB offload received on their media."""
    kits = (
        equipment_selectors.kit_list(user=request.user)
        .filter(state=KitState.HANDED_OVER)
        .select_related("holder_institution")
    )
    form = UsbOffloadForm(request.POST or None, kits=kits)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sync_record_receive(
                kit=data["kit"],
                channel=SyncChannel.USB,
                sent_at=data["sent_at"],
                form_count=data["form_count"],
                payload_checksum=data["payload_checksum"],
                idempotency_key=data["idempotency_key"],
                actor=request.user,
                media_id=data["media_id"],
            )
        except services.SyncConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The USB offload is recorded."))
            return redirect("sync:usb_offloads")
    return render(request, "sync/usb_offload_form.html", {"form": form})


def _usb_step(request: AuthenticatedHttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    record = selectors.sync_record_get(user=request.user, pk=pk)
    try:
        step(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, done)
    return redirect("sync:usb_offloads")


@login_required
@require_POST
@rule_required("usb.record")
def usb_mark_uploaded(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _usb_step(
        request,
        pk,
        services.usb_offload_mark_uploaded,
        _("The offload is recorded as uploaded to the census database."),
    )


@login_required
@require_POST
@rule_required("usb.record")
def usb_mark_verified(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _usb_step(
        request, pk, services.usb_offload_mark_verified, _("The upload is recorded as verified.")
    )


@rule_required("sync.view")
def institution_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every sync and offload of one institution's tablets, newest first."""
    institution = institution_get(user=request.user, pk=pk)
    records = selectors.institution_sync_history(user=request.user, institution=institution)
    page, filter_params = paginate(request, records)
    record_read(
        request,
        object_type="sync.syncrecord",
        record_count=page.paginator.count,
        institution=institution,
    )
    return render(
        request,
        "sync/institution_history.html",
        {"institution": institution, "page": page, "filter_params": filter_params},
    )


@never_cache
@rule_required("device_key.issue")
def kit_device_key(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The Department issues a (new) device key for a handed-over kit; shown once."""
    kit = equipment_selectors.kit_list(user=request.user).filter(pk=pk).first()
    if kit is None:
        raise Http404
    issued = None
    error = ""
    if request.method == "POST":
        try:
            issued = services.device_token_issue(actor=request.user, kit=kit)
        except ValidationError as exc:
            error = service_error_message(exc)
    tokens = selectors.device_token_list(user=request.user, kit=kit)[:20]
    context = {"kit": kit, "issued": issued, "error": error, "tokens": tokens}
    return render(request, "sync/kit_device_key.html", context)
