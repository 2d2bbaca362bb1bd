"""Thailand's provinces, districts and subdistricts, loaded from the geothai package.

Data credit: GeoThai (CC-BY-4.0).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from otop.core.collation import ThaiSortKey


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = [ThaiSortKey("name_th"), "name_th"]

    def __str__(self) -> str:
        return self.name_th


class District(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class Subdistrict(models.Model):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    postcodes = models.CharField(_("postcodes"), max_length=60, help_text=_("Space-separated."))

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()
