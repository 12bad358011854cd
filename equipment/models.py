"""Tablet kits, the acceptance-transfer acts they are handed over under, and their returns (¶8)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord.typing import StrOrPromise
from equipment.choices import (
    DEFECTIVE_CONDITIONS,
    ActStatus,
    Component,
    Condition,
    KitState,
    ReturnOutcome,
)


def validate_imei(value: str) -> None:
    """15 digits whose last is the Luhn check digit of the first 14."""
    if len(value) != 15 or not value.isdigit():
        raise ValidationError(_("An IMEI has 15 digits."), code="imei_format")
    total = 0
    for index, char in enumerate(value):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    if total % 10:
        raise ValidationError(_("The IMEI check digit does not match."), code="imei_check")


def validate_components(value: object) -> None:
    """A mapping of every component to its condition."""
    if (
        not isinstance(value, dict)
        or set(value) != set(Component.values)
        or not all(v in Condition.values for v in value.values())
    ):
        raise ValidationError(
            _("Give the condition of every component of the kit."), code="invalid_components"
        )


def all_components_good() -> dict[str, str]:
    return dict.fromkeys(Component.values, Condition.GOOD)


class TabletKit(models.Model):
    """A tablet with its seven components; the Department's inventory item."""

    inventory_number = models.CharField(_("inventory number"), max_length=64, unique=True)
    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    imei = models.CharField(_("IMEI"), max_length=15, unique=True, validators=[validate_imei])
    model = models.CharField(_("model"), max_length=128)
    components = models.JSONField(
        _("components"),
        default=all_components_good,
        validators=[validate_components],
        help_text=_("Condition of each component; 'absent' means it is not in the kit."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=KitState.choices, default=KitState.IN_STOCK
    )
    # Denormalised from the open hand-over item so that scoping is one join.
    holder_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("held by institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tablet_kits",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tablet kit")
        verbose_name_plural = _("tablet kits")
        ordering = ["inventory_number"]
        indexes = [models.Index(fields=["state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=KitState.HANDED_OVER, holder_institution__isnull=False)
                | (
                    ~models.Q(state=KitState.HANDED_OVER)
                    & models.Q(holder_institution__isnull=True)
                ),
                name="kit_holder_iff_handed_over",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} ({self.serial})"

    def natural_key(self) -> tuple[str, str]:
        return (self.serial, self.imei)

    def defective_components(self) -> list[tuple[str, StrOrPromise, StrOrPromise]]:
        """(code, label, condition label) of each component missing or damaged, in the act's
        order: what the Department has to replace before the kit goes out whole."""
        return [
            row
            for row in self.component_rows()
            if self.components.get(row[0]) in DEFECTIVE_CONDITIONS
        ]

    def component_rows(self) -> list[tuple[str, StrOrPromise, StrOrPromise]]:
        """(code, label, condition label) per component, in the act's order."""
        conditions = dict(Condition.choices)
        return [
            (code, label, conditions.get(self.components.get(code, ""), ""))
            for code, label in Component.choices
        ]


class ActCounter(models.Model):
    """The last act number issued in a campaign; locked while the next is taken."""

    campaign = models.OneToOneField(
        "institutions.Campaign", on_delete=models.CASCADE, related_name="act_counter"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("act number counter")
        verbose_name_plural = _("act number counters")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.last_number}"


def scan_upload_to(instance: HandoverAct, filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    suffix = PurePath(filename).suffix.lower()
    return f"equipment/scans/{uuid.uuid4().hex}{suffix}"


class HandoverAct(models.Model):
    """An acceptance-transfer act (қабылдау-тапсыру актісі / акт приема-передачи)."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("census campaign"),
        on_delete=models.PROTECT,
        related_name="handover_acts",
    )
    number = models.PositiveIntegerField(_("act number"))
    act_date = models.DateField(_("act date"))
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="handover_acts",
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by (Department)"),
        on_delete=models.PROTECT,
        related_name="handover_acts_given",
    )
    received_by = models.ForeignKey(
        "institutions.ResponsibleStaff",
        verbose_name=_("received by (responsible staff member)"),
        on_delete=models.PROTECT,
        related_name="handover_acts",
    )
    instruction_booklets = models.PositiveIntegerField(_("instruction booklets"), default=0)
    certificate_blanks = models.PositiveIntegerField(
        _("participation certificate blanks"), default=0
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActStatus.choices, default=ActStatus.DRAFT
    )
    department_signed_on = models.DateField(_("signed by the Department on"), null=True, blank=True)
    recipient_signed_on = models.DateField(_("signed by the recipient on"), null=True, blank=True)
    signed_scan = models.FileField(
        _("signed scan"), upload_to=scan_upload_to, max_length=255, blank=True
    )
    signed_scan_type = models.CharField(_("signed scan type"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("acceptance-transfer act")
        verbose_name_plural = _("acceptance-transfer acts")
        ordering = ["-campaign_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="act_number_per_campaign"),
            models.CheckConstraint(
                condition=models.Q(status__in=[ActStatus.DRAFT, ActStatus.CANCELLED])
                | models.Q(department_signed_on__isnull=False, recipient_signed_on__isnull=False),
                name="act_signed_has_both_dates",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(_("Act No. %(number)s") % {"number": self.number})

    @property
    def is_signed(self) -> bool:
        return self.status not in (ActStatus.DRAFT, ActStatus.CANCELLED)


class HandoverItem(models.Model):
    """One kit on an act, with its components' condition at hand-over and at return."""

    act = models.ForeignKey(
        HandoverAct, verbose_name=_("act"), on_delete=models.CASCADE, related_name="items"
    )
    kit = models.ForeignKey(
        TabletKit, verbose_name=_("tablet kit"), on_delete=models.PROTECT, related_name="items"
    )
    components_at_handover = models.JSONField(
        _("components at hand-over"), validators=[validate_components]
    )
    # Open while the kit is out: is_open is cleared on return or when a draft is cancelled.
    is_open = models.BooleanField(_("kit still out"), default=True)
    return_record = models.ForeignKey(
        "equipment.KitReturn",
        verbose_name=_("return"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    tablet_outcome = models.CharField(
        _("tablet on return"), max_length=16, choices=ReturnOutcome.choices, blank=True
    )
    # component -> {"outcome": ReturnOutcome, "note": str}, for components handed over.
    components_at_return = models.JSONField(_("components at return"), default=dict, blank=True)
    return_note = models.TextField(_("return note"), blank=True)

    class Meta:
        verbose_name = _("kit on an act")
        verbose_name_plural = _("kits on acts")
        ordering = ["act", "kit__inventory_number"]
        constraints = [
            # A kit is with one holder at a time: at most one open item per kit.
            models.UniqueConstraint(
                fields=["kit"],
                condition=models.Q(is_open=True),
                name="kit_one_open_handover",
                violation_error_message=_("This kit is already handed over under another act."),
            ),
            models.UniqueConstraint(fields=["act", "kit"], name="kit_once_per_act"),
        ]

    def __str__(self) -> str:
        return f"{self.act} — {self.kit}"

    def component_rows(self) -> list[dict[str, str]]:
        """Per component, in the act's order: label, condition at hand-over, return outcome."""
        conditions = dict(Condition.choices)
        outcomes = dict(ReturnOutcome.choices)
        rows = []
        for code, label in Component.choices:
            at_return = self.components_at_return.get(code) or {}
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "handed_over": self.components_at_handover.get(code, ""),
                    "condition": conditions.get(self.components_at_handover.get(code, ""), ""),
                    "outcome": outcomes.get(at_return.get("outcome", ""), ""),
                    "outcome_code": at_return.get("outcome", ""),
                    "note": at_return.get("note", ""),
                }
            )
        return rows


class KitReturn(models.Model):
    """One return of some or all kits of an act to the Department, with its own return act."""

    act = models.ForeignKey(
        HandoverAct, verbose_name=_("act"), on_delete=models.PROTECT, related_name="returns"
    )
    sequence = models.PositiveSmallIntegerField(_("return number within the act"))
    returned_on = models.DateField(_("returned on"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by (Department)"),
        on_delete=models.PROTECT,
        related_name="kit_returns_received",
    )
    returned_by = models.ForeignKey(
        "institutions.ResponsibleStaff",
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        related_name="kit_returns",
    )
    instruction_booklets = models.PositiveIntegerField(
        _("instruction booklets returned"), default=0
    )
    certificate_blanks = models.PositiveIntegerField(
        _("unused certificate blanks returned"), default=0
    )
    note = models.TextField(_("note"), blank=True)
    # The Department returned kits a return blocker held back (data not yet delivered):
    # why, and the blockers' messages as they read at the time.
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_blockers = models.JSONField(_("what was not delivered"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("kit return")
        verbose_name_plural = _("kit returns")
        ordering = ["act", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["act", "sequence"], name="kit_return_sequence_per_act")
        ]

    def __str__(self) -> str:
        return str(
            _("Return %(sequence)s to act No. %(number)s")
            % {"sequence": self.sequence, "number": self.act.number}
        )


class ComponentReplacement(models.Model):
    """The Department replaced a missing or damaged component of a kit in its store."""

    kit = models.ForeignKey(
        TabletKit,
        verbose_name=_("tablet kit"),
        on_delete=models.PROTECT,
        related_name="component_replacements",
    )
    component = models.CharField(_("component"), max_length=32, choices=Component.choices)
    condition_before = models.CharField(
        _("condition before"), max_length=16, choices=Condition.choices
    )
    replaced_on = models.DateField(_("replaced on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="component_replacements",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("component replacement")
        verbose_name_plural = _("component replacements")
        ordering = ["kit", "-replaced_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kit.inventory_number}: {self.get_component_display()}"
