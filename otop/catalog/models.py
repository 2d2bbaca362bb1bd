from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.collation import ThaiSortKey
from otop.core.models import TimeStampedModel
from otop.core.uploads import validate_image_file


class Category(models.Model):
    """One of the center's product categories (the five of the OTOP programme by default)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_th


class Product(TimeStampedModel):
    """A product on the center's shelf; what is sold is one of its variants."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNDER_REVIEW = "under_review", _("Under review")
        LISTED = "listed", _("Listed")
        DELISTED = "delisted", _("Delisted")

    code = models.CharField(_("short code"), max_length=12, unique=True, help_text=_("Used in the QR link /p/<code>."))
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    description_th = models.TextField(_("short description (Thai)"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    story_th = models.TextField(_("story (Thai)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    otop_stars = models.PositiveSmallIntegerField(
        _("OTOP star level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    is_basket = models.BooleanField(_("gift basket"), default=False)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    length_mm = models.PositiveIntegerField(_("parcel length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("parcel width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("parcel height (mm)"), null=True, blank=True)
    fda_number = models.CharField(_("Thai FDA (อย.) number"), max_length=30, blank=True)
    tcps_number = models.CharField(_("TCPS (มผช.) number"), max_length=30, blank=True)
    is_halal = models.BooleanField(_("Halal certified"), default=False)
    gi_name = models.CharField(_("geographical indication (GI)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = [ThaiSortKey("name_th"), "name_th"]
        constraints = [
            models.CheckConstraint(
                condition=Q(otop_stars__isnull=True) | Q(otop_stars__gte=1, otop_stars__lte=5),
                name="product_stars_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"]),
            # The API's list pages through listed products in SKU order.
            models.Index(fields=["status", "sku"], name="catalog_product_status_sku"),
        ]
        permissions = [
            ("print_labels", _("Can print shelf labels")),
            ("import_catalog", _("Can import and export the catalog as CSV")),
        ]

    def __str__(self) -> str:
        return self.name_th

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.LISTED


class Variant(models.Model):
    """A sellable version of a product (a colour, a size); a product without real variants has one."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    barcode = models.CharField(_("barcode (EAN-13)"), max_length=13, unique=True, null=True, blank=True)
    name_th = models.CharField(_("variant (Thai)"), max_length=100, blank=True)
    name_en = models.CharField(_("variant (English)"), max_length=100, blank=True)
    price = models.DecimalField(_("price incl. VAT (THB)"), max_digits=12, decimal_places=2)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_default = models.BooleanField(_("default variant"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=Decimal("0")), name="variant_price_not_negative"),
            models.UniqueConstraint(fields=["product"], condition=Q(is_default=True), name="one_default_variant"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name_th} {self.name_th}".strip()


class ProductPhoto(models.Model):
    """A photo of a product, re-encoded without EXIF/GPS, with a WebP thumbnail."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to="products/", width_field="width", height_field="height", validators=[validate_image_file]
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/thumbs/")
    width = models.PositiveIntegerField(_("width (px)"), default=0)
    height = models.PositiveIntegerField(_("height (px)"), default=0)
    alt_th = models.CharField(_("description (Thai)"), max_length=200, blank=True)
    alt_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    # The widths of the stored renditions (otop/catalog/renditions.py); empty until they are made.
    rendition_widths = models.JSONField(_("rendition widths (px)"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.image.name


class BasketComponent(models.Model):
    """One line of a gift basket: a variant of another product and how many of it."""

    basket = models.ForeignKey(
        Product, verbose_name=_("gift basket"), on_delete=models.CASCADE, related_name="components"
    )
    variant = models.ForeignKey(Variant, verbose_name=_("variant"), on_delete=models.PROTECT, related_name="in_baskets")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("basket component")
        verbose_name_plural = _("basket components")
        ordering = ["basket_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "variant"], name="basket_component_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="basket_component_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant.sku}"


class QrScanDay(models.Model):
    """How many times a product's QR link was opened on a business day (no personal data)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="qr_scans")
    day = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        verbose_name = _("QR scans on a day")
        verbose_name_plural = _("QR scans per day")
        ordering = ["-day", "product_id"]
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="qr_scan_day_once")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.count}"
