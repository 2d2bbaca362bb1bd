from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from otop.core.models import TimeStampedModel
from otop.core.validators import validate_postcode, validate_thai_phone, validate_thai_tax_id


class Producer(TimeStampedModel):
    """An OTOP producer: a person, a community group, a community enterprise or an SME."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        GROUP = "group", _("Community group")
        COMMUNITY_ENTERPRISE = "community_enterprise", _("Community enterprise")
        SME = "sme", _("SME")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.GROUP)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[validate_thai_phone])
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_line = models.CharField(_("address (house, village, road)"), max_length=300, blank=True)
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "geo.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="producers"
    )
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, validators=[validate_postcode])
    tax_id = models.CharField(_("tax or national ID"), max_length=13, blank=True, validators=[validate_thai_tax_id])
    otop_registration_number = models.CharField(_("OTOP registration number"), max_length=50, blank=True)
    otop_stars = models.PositiveSmallIntegerField(
        _("OTOP star level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    story_th = models.TextField(_("story (Thai)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    commission_percent = models.DecimalField(
        _("commission (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty means the center's default."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producer",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name_th"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(otop_stars__isnull=True) | models.Q(otop_stars__gte=1, otop_stars__lte=5),
                name="producer_stars_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["province", "district"])]

    def __str__(self) -> str:
        return self.name_th
