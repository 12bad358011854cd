"""Pages of the equipment app. Thin: selectors read (scoped), services write."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role, role_of
from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_list, record_read
from audit.models import AuditAction
from census_coord import clock
from census_coord.documents import department_details, person_name
from census_coord.downloads import protected_file_response
from census_coord.errors import service_error_message
from census_coord.exports import xlsx_response
from census_coord.filtering import page_rows
from census_coord.forms import form_add_service_errors
from census_coord.pagination import paginate
from census_coord.pdf import pdf_response
from census_coord.policy import allowed, rule_required
from equipment import selectors
from equipment.choices import ActStatus, KitState
from equipment.filters import HandoverActFilterSet, TabletKitFilterSet
from equipment.forms import (
    ComponentReplaceForm,
    HandoverActForm,
    HandoverSignForm,
    KitReturnForm,
)
from equipment.hooks import DeviceKey
from equipment.services import (
    handover_act_cancel,
    handover_act_create,
    handover_act_sign,
    kit_components_replace,
    kit_return_record,
)
from institutions.campaigns import selected_campaign

PDF_LANGUAGES = ("kk", "ru")


@rule_required("kit.view")
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Department: kits by state, acts awaiting signature, overdue returns.
    Officer: the kits the institution holds and its acts."""
    role = role_of(request.user)
    user = request.user
    if role == Role.OFFICER:
        kits = list(selectors.kits_held(user=user))
        context = {
            "kits": kits,
            # Each kit is due back by the deadline of its own act's campaign.
            "return_deadlines": sorted(
                {kit.return_by for kit in kits if kit.return_by}  # type: ignore[attr-defined]  # annotated by kits_held
            ),
            "acts": selectors.act_list(user=user).exclude(status=ActStatus.CANCELLED),
            "campaign": selected_campaign(request),
        }
        return render(request, "equipment/officer_overview.html", context)
    counts = selectors.kit_state_counts(user=user)
    context = {
        "state_counts": [(state, label, counts[state]) for state, label in KitState.choices],
        "awaiting": selectors.acts_awaiting_signature(user=user),
        "overdue": selectors.overdue_by_holder(user=user),
        "campaign": selected_campaign(request),
    }
    return render(request, "equipment/department_overview.html", context)


@rule_required("kit.view")
def kit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    kits, filtered = page_rows(
        TabletKitFilterSet(request.GET, queryset=selectors.kit_list(user=request.user))
    )
    page, filter_params = paginate(request, kits)
    state = filtered.get("state", "")
    context = {
        "page": page,
        "filter_params": filter_params,
        "state": state,
        "states": KitState.choices,
    }
    return render(request, "equipment/kit_list.html", context)


@rule_required("kit.view")
def act_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = selected_campaign(request)
    acts, filtered = page_rows(
        HandoverActFilterSet(
            request.GET, queryset=selectors.act_list(user=request.user, campaign=campaign)
        )
    )
    page, filter_params = paginate(request, acts)
    status = filtered.get("status", "")
    # Acts name the responsible staff who received the kits.
    record_list(
        request=request,
        params={"status": status},
        object_type="equipment.handoveract",
        record_count=page.paginator.count,
    )
    context = {
        "page": page,
        "filter_params": filter_params,
        "status": status,
        "statuses": ActStatus.choices,
        "campaign": campaign,
    }
    return render(request, "equipment/act_list.html", context)


@rule_required("kit.view")
def act_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    act = selectors.act_get(user=request.user, pk=pk)
    record_read(request, obj=act)
    context = {
        "act": act,
        "items": selectors.act_items(act=act),
        "returns": act.returns.select_related("returned_by", "received_by"),
        "blanks": selectors.institution_blanks(institution=act.institution, campaign=act.campaign),
    }
    return render(request, "equipment/act_detail.html", context)


@rule_required("act.create")
def act_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HandoverActForm(
        request.POST or None,
        staff=selectors.recipient_choices(user=request.user),
        kits=selectors.kits_available_for_handover(user=request.user),
        initial={"act_date": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        staff = form.cleaned_data["received_by"]
        try:
            act = handover_act_create(
                actor=request.user,
                institution=staff.institution,
                received_by=staff,
                kits=list(form.cleaned_data["kits"]),
                act_date=form.cleaned_data["act_date"],
                instruction_booklets=form.cleaned_data["instruction_booklets"],
                certificate_blanks=form.cleaned_data["certificate_blanks"],
                note=form.cleaned_data["note"],
                confirm_incomplete=form.cleaned_data["confirm_incomplete"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Act No. %(number)s is drafted.") % {"number": act.number})
            return redirect("equipment:act_detail", pk=act.pk)
    return render(request, "equipment/act_form.html", {"form": form})


def device_keys_message(request: HttpRequest, keys: Sequence[DeviceKey]) -> None:
    """Show just-issued device keys once, after an act's signature."""
    for issued in keys:
        messages.info(
            request,
            _("Device key for tablet %(kit)s (shown once, enter it on the tablet): %(key)s")
            % {"kit": issued.kit.inventory_number, "key": issued.key},
        )


@rule_required("act.sign")
def act_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    act = selectors.act_get(user=request.user, pk=pk)
    form = HandoverSignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = handover_act_sign(actor=request.user, act=act, **form.cleaned_data)
            act = signed.act
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The signatures are recorded."))
            device_keys_message(request, signed.device_keys)
            return redirect("equipment:act_detail", pk=act.pk)
    return render(request, "equipment/act_sign.html", {"act": act, "form": form})


@rule_required("act.cancel")
def act_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Refused by role before the method: a read-only user learns nothing from a 405.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    act = selectors.act_get(user=request.user, pk=pk)
    try:
        handover_act_cancel(actor=request.user, act=act)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, _("The draft act is cancelled; its kits are back in stock."))
    return redirect("equipment:act_detail", pk=act.pk)


@rule_required("kit.return")
def act_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    act = selectors.act_get(user=request.user, pk=pk)
    items = [item for item in selectors.act_items(act=act) if item.is_open]
    form = KitReturnForm(
        request.POST or None,
        items=items,
        staff=selectors.recipient_choices(user=request.user).filter(institution=act.institution),
        may_override=allowed(request.user, "kit.return_override", act),
        initial={"returned_on": clock.today(), "returned_by": act.received_by_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            kit_return = kit_return_record(
                actor=request.user,
                act=act,
                returned_on=form.cleaned_data["returned_on"],
                returned_by=form.cleaned_data["returned_by"],
                lines=form.lines(),
                instruction_booklets=form.cleaned_data["instruction_booklets"],
                certificate_blanks=form.cleaned_data["certificate_blanks"],
                note=form.cleaned_data["note"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("Return %(sequence)s is recorded.") % {"sequence": kit_return.sequence}
            )
            return redirect("equipment:act_detail", pk=act.pk)
    context = {
        "act": act,
        "form": form,
        # Warned before anything is typed: what would refuse the return of each kit still out.
        "blockers": selectors.return_blockers(act=act, kits=[item.kit for item in items]),
        "blanks": selectors.institution_blanks(institution=act.institution, campaign=act.campaign),
    }
    return render(request, "equipment/act_return.html", context)


@rule_required("blanks.view")
def blanks_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Certificate blanks per institution: handed over on acts − certificates issued in the
    app − blanks returned = unaccounted; with totals, and as XLSX."""
    campaign = selected_campaign(request)
    rows, total = selectors.certificate_blanks(user=request.user, campaign=campaign)
    exporting = request.GET.get("format") == "xlsx"
    if exporting:
        record_read(
            request,
            AuditAction.EXPORT,
            object_type="equipment.handoveract",
            record_count=len(rows),
            extra={"report": "certificate_blanks", "format": "xlsx"},
        )
        table = [
            (
                row.institution.bin if row.institution else "",
                row.institution.name if row.institution else _("Total"),
                row.handed_over,
                row.issued,
                row.returned,
                row.unaccounted,
            )
            for row in [*rows, total]
        ]
        return xlsx_response(
            filename=f"certificate-blanks-{campaign.code}.xlsx",
            headers=[
                _("BIN"),
                _("Institution"),
                _("Blanks handed over"),
                _("Certificates issued"),
                _("Blanks returned"),
                _("Blanks unaccounted for"),
            ],
            rows=table,
            sheet_title=_("Certificate blanks"),
        )
    context = {"rows": rows, "total": total, "campaign": campaign}
    return render(request, "equipment/blanks_report.html", context)


@rule_required("kit.replace")
def kit_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The Department records the replacement of a kit's missing or damaged components."""
    kit = selectors.kit_get(user=request.user, pk=pk)
    form = ComponentReplaceForm(
        request.POST or None, kit=kit, initial={"replaced_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            kit = kit_components_replace(
                actor=request.user,
                kit=kit,
                components=form.cleaned_data["components"],
                replaced_on=form.cleaned_data["replaced_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The replacement is recorded; kit %(kit)s is %(state)s.")
                % {"kit": kit.inventory_number, "state": kit.get_state_display()},
            )
            return redirect(f"{reverse('equipment:kit_list')}?state={kit.state}")
    replacements = kit.component_replacements.select_related("recorded_by")
    context = {"kit": kit, "form": form, "replacements": replacements}
    return render(request, "equipment/kit_replace.html", context)


def _pdf_language(request: AuthenticatedHttpRequest) -> str:
    language = request.GET.get("lang", "")
    if language not in PDF_LANGUAGES:
        raise Http404
    return language


@rule_required("kit.view")
def act_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    act = selectors.act_get(user=request.user, pk=pk)
    language = _pdf_language(request)
    context = {
        "act": act,
        "items": selectors.act_items(act=act),
        "department": department_details(language),
        "giver_name": person_name(act.handed_over_by),
        "giver_position": act.handed_over_by.position_in(language),
        "receiver_position": act.received_by.position_in(language),
    }
    record_read(request, AuditAction.PRINT, obj=act, extra={"language": language})
    return pdf_response(
        template_name="equipment/pdf/act.html",
        context=context,
        filename=f"act-{act.campaign.code}-{act.number}-{language}.pdf",
        language=language,
    )


@rule_required("kit.view")
def return_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kit_return = selectors.kit_return_get(user=request.user, pk=pk)
    language = _pdf_language(request)
    items = kit_return.items.select_related("kit").order_by("kit__inventory_number")
    context = {
        "kit_return": kit_return,
        "act": kit_return.act,
        "items": items,
        "department": department_details(language),
        "receiver_name": person_name(kit_return.received_by),
        "receiver_position": kit_return.received_by.position_in(language),
        "giver_position": kit_return.returned_by.position_in(language),
    }
    record_read(
        request,
        AuditAction.PRINT,
        obj=kit_return,
        institution=kit_return.act.institution_id,
        extra={"language": language},
    )
    return pdf_response(
        template_name="equipment/pdf/return.html",
        context=context,
        filename=f"return-{kit_return.act.number}-{kit_return.sequence}-{language}.pdf",
        language=language,
    )


@rule_required("kit.view")
def act_scan(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The signed scan, only to those who may see the act; never from a public URL.
    The shared download rule scopes, audits and sends ``no-store``."""
    act = selectors.act_get(user=request.user, pk=pk)
    suffix = act.signed_scan.name.rsplit(".", 1)[-1] if act.signed_scan else ""
    return protected_file_response(
        request=request,
        queryset=selectors.act_list(user=request.user),
        pk=act.pk,
        file_field="signed_scan",
        download_name=f"act-{act.campaign.code}-{act.number}-signed.{suffix}",
    )


@rule_required("kit.overdue")
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = selected_campaign(request)
    groups = selectors.overdue_by_holder(user=request.user, campaign=campaign)
    # Holders' names and phones: the list and its export are on record.
    exporting = request.GET.get("format") == "xlsx"
    record_read(
        request,
        AuditAction.EXPORT if exporting else AuditAction.VIEW,
        object_type="equipment.handoveritem",
        record_count=sum(len(group.items) for group in groups),
        extra={"report": "overdue", **({"format": "xlsx"} if exporting else {})},
    )
    if exporting:
        rows = (
            (
                group.institution.bin,
                group.institution.name,
                group.holder.full_name,
                group.holder.phone,
                item.act.number,
                item.act.act_date,
                item.kit.inventory_number,
                item.kit.serial,
            )
            for group in groups
            for item in group.items
        )
        return xlsx_response(
            filename=f"overdue-kits-{campaign.code}.xlsx",
            headers=[
                _("BIN"),
                _("Institution"),
                _("Holder"),
                _("Phone"),
                _("Act number"),
                _("Act date"),
                _("Inventory number"),
                _("Serial number"),
            ],
            rows=rows,
            sheet_title=_("Overdue kits"),
        )
    context = {
        "groups": groups,
        "campaign": campaign,
        "losses": selectors.component_losses(user=request.user, campaign=campaign),
        "awaiting_replacement": selectors.kits_awaiting_replacement(user=request.user),
    }
    return render(request, "equipment/overdue.html", context)
