"""Reference data: regions, their districts and cities, and institution types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedNameMixin(models.Model):
    """kk/ru/en names; ``name`` answers in the active language, falling back to Kazakh."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk or self.name_ru or self.name_en


class Region(TranslatedNameMixin):
    """A region (облыс/область) of Kazakhstan."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class District(TranslatedNameMixin):
    """A district (аудан/район) or city of regional significance within a region."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CITY = "city", _("city")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["region__code", "kind", "code"]

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class InstitutionType(TranslatedNameMixin):
    """One of the institution types the census order lists (¶3)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("institution type")
        verbose_name_plural = _("institution types")
        ordering = ["position", "code"]

    def natural_key(self) -> tuple[str]:
        return (self.code,)
