"""Sync records (¶9): every upload of a tablet over VPN and every USB offload, with the
per-tablet device tokens tablets authenticate with."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from census_coord import clock


class SyncChannel(models.TextChoices):
    VPN = "vpn", _("VPN")
    USB = "usb", _("USB offload")


class UsbStage(models.TextChoices):
    """Chain of custody of a USB offload: each step is timestamped and attributable."""

    OFFLOADED = "offloaded", _("offloaded to the Department's media")
    UPLOADED = "uploaded", _("uploaded to the census database")
    VERIFIED = "verified", _("verified")


class DeviceToken(models.Model):
    """A key a tablet sends as ``Authorization: Device <key>``; bound to one kit.

    Issued when the kit's act is signed, revoked on return or cancellation. Only the
    SHA-256 of the key is stored; the key is shown once to the Department.
    """

    kit = models.ForeignKey(
        "equipment.TabletKit",
        verbose_name=_("tablet kit"),
        on_delete=models.PROTECT,
        related_name="device_tokens",
    )
    act = models.ForeignKey(
        "equipment.HandoverAct",
        verbose_name=_("act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_tokens",
    )
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kit"],
                condition=Q(revoked_at__isnull=True),
                name="device_token_one_active_per_kit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kit_id}: {self.prefix}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SyncRecord(models.Model):
    """One sync of a tablet kit: over VPN, or offloaded by USB onto a Department's media."""

    kit = models.ForeignKey(
        "equipment.TabletKit",
        verbose_name=_("tablet kit"),
        on_delete=models.PROTECT,
        related_name="sync_records",
    )
    # The institution holding the kit at the time of the sync: scoping is one column.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="sync_records",
    )
    holder = models.ForeignKey(
        "institutions.ResponsibleStaff",
        verbose_name=_("kit holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=SyncChannel.choices)
    sent_at = models.DateTimeField(_("tablet's sync mark"))
    received_at = models.DateTimeField(_("received by the server"), default=clock.now)
    form_count = models.PositiveIntegerField(_("census forms"))
    payload_checksum = models.CharField(_("payload checksum"), max_length=128)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128)
    body_hash = models.CharField(_("request hash"), max_length=64, editable=False)
    enumerated_count = models.PositiveIntegerField(_("respondents enumerated"), default=0)
    device_token = models.ForeignKey(
        DeviceToken,
        verbose_name=_("device token"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sync_records",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # USB chain of custody: offloaded -> uploaded -> verified.
    usb_stage = models.CharField(
        _("USB offload stage"), max_length=16, choices=UsbStage.choices, blank=True
    )
    media_id = models.CharField(_("media identifier"), max_length=64, blank=True)
    offloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offloaded onto the media of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offloaded_at = models.DateTimeField(_("offloaded at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(
        _("uploaded to the census database at"), null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync record")
        verbose_name_plural = _("sync records")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["kit", "-received_at"], name="sync_kit_received"),
            models.Index(fields=["institution", "-received_at"], name="sync_institution_received"),
            models.Index(fields=["usb_stage"], name="sync_usb_stage"),
        ]
        constraints = [
            # Insert-or-get of the API rests on this: one record per (kit, client key).
            models.UniqueConstraint(
                fields=["kit", "idempotency_key"], name="sync_idempotency_key_per_kit"
            ),
            models.CheckConstraint(
                condition=(
                    Q(channel=SyncChannel.VPN, usb_stage="", media_id="")
                    | Q(
                        channel=SyncChannel.USB,
                        usb_stage__in=UsbStage.values,
                        offloaded_by__isnull=False,
                        offloaded_at__isnull=False,
                    )
                    & ~Q(media_id="")
                ),
                name="sync_channel_fields",
            ),
            models.CheckConstraint(
                condition=(
                    Q(usb_stage__in=["", UsbStage.OFFLOADED], uploaded_at__isnull=True)
                    | Q(
                        usb_stage__in=[UsbStage.UPLOADED, UsbStage.VERIFIED],
                        uploaded_at__isnull=False,
                        uploaded_by__isnull=False,
                    )
                ),
                name="sync_usb_uploaded_attributed",
            ),
            models.CheckConstraint(
                condition=Q(~Q(usb_stage=UsbStage.VERIFIED), verified_at__isnull=True)
                | Q(
                    usb_stage=UsbStage.VERIFIED,
                    verified_at__isnull=False,
                    verified_by__isnull=False,
                ),
                name="sync_usb_verified_attributed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kit_id} {self.get_channel_display()} {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def clock_skew(self) -> dt.timedelta:
        """How far the tablet's clock was ahead (+) or behind (−) the server's."""
        return self.sent_at - self.received_at

    @property
    def reached_census_database(self) -> bool:
        return self.channel == SyncChannel.VPN or self.usb_stage in (
            UsbStage.UPLOADED,
            UsbStage.VERIFIED,
        )
