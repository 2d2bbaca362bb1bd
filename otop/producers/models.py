from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from otop.core.collation import ThaiSortKey
from otop.core.encryption import EncryptedCharField, mask
from otop.core.models import TimeStampedModel
from otop.core.uploads import RandomName, private_storage, validate_image_file
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
    # Encrypted at rest; staff see it masked unless their role needs it (producers.view_national_id, audited).
    tax_id = EncryptedCharField(_("tax or national ID"), max_length=13, blank=True, validators=[validate_thai_tax_id])
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
        ordering = [ThaiSortKey("name_th"), "name_th"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(otop_stars__isnull=True) | models.Q(otop_stars__gte=1, otop_stars__lte=5),
                name="producer_stars_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["province", "district"])]
        permissions = [("view_national_id", _("Can see a producer's full tax or national ID number"))]

    def __str__(self) -> str:
        return self.name_th

    @property
    def masked_tax_id(self) -> str:
        return mask(self.tax_id)

    @property
    def confirmed_bank_account(self) -> BankAccount | None:
        """The account payouts go to: the last one staff confirmed (None until then)."""
        return self.bank_accounts.filter(status=BankAccount.Status.CONFIRMED).first()


class ProducerMember(models.Model):
    """A person in a producer group; used to find conflicts of interest on the committee."""

    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[validate_thai_phone])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producer_memberships",
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["producer_id", "name"]

    def __str__(self) -> str:
        return self.name


class Certification(TimeStampedModel):
    """A standard or registration the producer holds (อย., มผช., GI, ...), valid until a date."""

    class Kind(models.TextChoices):
        FDA = "fda", _("Thai FDA (อย.)")
        TCPS = "tcps", _("Thai Community Product Standard (มผช.)")
        GI = "gi", _("Geographical indication (GI)")
        HALAL = "halal", _("Halal")
        ORGANIC = "organic", _("Organic")
        GMP = "gmp", _("GMP")
        OTHER = "other", _("Other")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("Empty if it never expires."))
    # Private: served only through a permission-checked view (producers.views.certification_document).
    document = models.FileField(
        _("document"), storage=private_storage, upload_to=RandomName("certifications"), blank=True
    )
    expiry_notified_on = models.DateField(_("expiry flagged on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["producer", "kind", "number"], name="certification_unique_per_producer"),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(issued_on__lte=models.F("expires_on")),
                name="certification_issued_before_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ProducerPhoto(models.Model):
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("producers/photos"), validators=[validate_image_file])
    caption_th = models.CharField(_("caption (Thai)"), max_length=200, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("producer photo")
        verbose_name_plural = _("producer photos")
        ordering = ["producer_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.caption_th or self.image.name


class BankAccount(TimeStampedModel):
    """A bank account for payouts. A new one takes effect only when staff confirm it."""

    class Bank(models.TextChoices):
        BAAC = "baac", _("Bank for Agriculture and Agricultural Cooperatives (BAAC)")
        KTB = "ktb", _("Krungthai Bank")
        KBANK = "kbank", _("Kasikornbank")
        SCB = "scb", _("Siam Commercial Bank")
        BBL = "bbl", _("Bangkok Bank")
        BAY = "bay", _("Krungsri (Bank of Ayudhya)")
        GSB = "gsb", _("Government Savings Bank")
        TTB = "ttb", _("TMBThanachart Bank")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff to confirm")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        REPLACED = "replaced", _("Replaced by a newer account")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="bank_accounts"
    )
    bank = models.CharField(_("bank"), max_length=10, choices=Bank.choices)
    # Encrypted at rest; shown masked except to those who confirm accounts (each unmasked view audited).
    account_number = EncryptedCharField(
        _("account number"),
        max_length=15,
        validators=[RegexValidator(r"^\d{10,15}$", _("An account number has 10 to 15 digits."))],
    )
    account_name = models.CharField(_("account name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["producer_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer"], condition=models.Q(status="confirmed"), name="one_confirmed_bank_account"
            ),
            models.UniqueConstraint(
                fields=["producer"], condition=models.Q(status="pending"), name="one_pending_bank_account"
            ),
        ]
        permissions = [
            ("confirm_bankaccount", _("Can confirm a producer's bank account")),
            ("reveal_bankaccount", _("Can see a producer's full bank account number")),
        ]

    def __str__(self) -> str:
        return f"{self.get_bank_display()} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return mask(self.account_number)
