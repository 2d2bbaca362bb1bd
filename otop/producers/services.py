"""Writes of the producer registry: profiles, portal accounts, bank accounts, certifications."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts import roles
from otop.accounts.models import User
from otop.accounts.services import create_user, issue_password_link
from otop.core.encryption import mask
from otop.core.services import record_audit_event
from otop.core.uploads import InvalidUpload, clean_document, clean_image, stored_name
from otop.core.validators import normalize_thai_phone
from otop.geo.selectors import InvalidAddress, resolve_address
from otop.producers import notify
from otop.producers.errors import BankAccountNotPending, InvalidProducerData, PhoneAlreadyUsed
from otop.producers.models import BankAccount, Certification, Producer, ProducerPhoto

# Fields a producer may change on its own profile (the rest is kept by staff).
SELF_SERVICE_FIELDS = (
    "name_th", "name_en", "contact_name", "phone", "line_id", "email", "address_line",
    "story_th", "story_en",
)  # fmt: skip
STAFF_FIELDS = (
    *SELF_SERVICE_FIELDS, "kind", "tax_id", "otop_registration_number", "otop_stars", "commission_percent",
    "is_active",
)  # fmt: skip
EXPIRY_WARNING_DAYS = 60
# Encrypted numbers never enter the audit log in full.
MASKED_IN_AUDIT = {"tax_id"}


def _place_fields(address: dict[str, str] | None) -> dict[str, Any]:
    """Resolve province/district/subdistrict/postcode; raise InvalidProducerData naming the bad part."""
    if address is None:
        return {}
    try:
        place = resolve_address(**address)
    except InvalidAddress as error:
        raise InvalidProducerData(error.message, fields=error.fields) from error
    return {
        "province": place.province,
        "district": place.district,
        "subdistrict": place.subdistrict,
        "postcode": place.postcode,
    }


def _full_clean(producer: Producer) -> None:
    try:
        producer.full_clean(exclude=["user"])
    except ValidationError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
        raise InvalidProducerData(_("Some fields are missing or not valid."), fields=fields) from error


@transaction.atomic
def register_producer(*, actor: User, address: dict[str, str], **fields: Any) -> Producer:
    """Add a producer to the registry; the address is checked against the reference places."""
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"unknown producer fields: {sorted(unknown)}")
    if fields.get("phone"):
        fields["phone"] = normalize_thai_phone(fields["phone"])
    producer = Producer(**fields, **_place_fields(address))
    _full_clean(producer)
    producer.save()
    record_audit_event(actor=actor, action="producers.registered", target=producer, summary=producer.name_th)
    return producer


@transaction.atomic
def update_producer(
    *, actor: User, producer: Producer, address: dict[str, str] | None = None, by_staff: bool = False, **changes: Any
) -> Producer:
    """Change a producer's profile. Producers change only SELF_SERVICE_FIELDS; staff also the rest."""
    allowed = STAFF_FIELDS if by_staff else SELF_SERVICE_FIELDS
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"fields not changeable here: {sorted(unknown)}")
    if changes.get("phone"):
        changes["phone"] = normalize_thai_phone(changes["phone"])
    producer = Producer.objects.select_for_update(of=("self",)).get(pk=producer.pk)
    changes.update(_place_fields(address))
    before = {name: str(getattr(producer, name)) for name in changes}
    for name, value in changes.items():
        setattr(producer, name, value)
    _full_clean(producer)
    producer.save(update_fields=[*changes, "updated_at"])
    changed = {
        name: [before[name], str(value)] if name not in MASKED_IN_AUDIT else [mask(before[name]), mask(str(value))]
        for name, value in changes.items()
        if before[name] != str(value)
    }
    record_audit_event(actor=actor, action="producers.profile_updated", target=producer, data=changed)
    return producer


@transaction.atomic
def open_portal_account(*, actor: User, producer: Producer, phone: str) -> User:
    """Give a producer a portal sign-in by phone. It has no password yet: the producer chooses one through
    the link from portal_sign_in_link, so staff never know it."""
    phone = normalize_thai_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise PhoneAlreadyUsed(
            _("This phone number already has an account."), fields={"phone": [_("Already used by another account.")]}
        )
    user = create_user(
        username=f"producer-{phone}",
        password=None,
        role=roles.PRODUCER,
        first_name=producer.contact_name[:150],
        email=producer.email,
        phone=phone,
    )
    Producer.objects.filter(pk=producer.pk).update(user=user)
    producer.user = user
    record_audit_event(actor=actor, action="producers.portal_opened", target=producer, data={"phone": phone})
    return user


def portal_sign_in_link(*, actor: User, producer: Producer, base_url: str) -> str:
    """A one-time link for the producer to choose a (new) password on their own phone; e-mailed too when
    the producer has an address. The current password keeps working until the new one is saved."""
    if producer.user is None:
        raise InvalidProducerData(_("This producer has no portal account yet."))
    link = issue_password_link(actor=actor, user=producer.user, base_url=base_url)
    record_audit_event(actor=actor, action="producers.sign_in_link_issued", target=producer)
    notify.producer(producer=producer, event="producers/sign_in_link", context={"link": link})
    return link


@transaction.atomic
def submit_bank_account(
    *, actor: User, producer: Producer, bank: str, account_number: str, account_name: str
) -> BankAccount:
    """Record a new payout account; it waits for staff and replaces any account still waiting."""
    account = BankAccount(
        producer=producer,
        bank=bank,
        account_number=account_number.replace("-", "").replace(" ", ""),
        account_name=account_name,
        submitted_by=actor,
    )
    try:
        account.full_clean(exclude=["producer", "submitted_by"])
    except ValidationError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
        raise InvalidProducerData(_("Some fields are missing or not valid."), fields=fields) from error
    BankAccount.objects.filter(producer=producer, status=BankAccount.Status.PENDING).update(
        status=BankAccount.Status.REPLACED
    )
    account.save()
    record_audit_event(
        actor=actor,
        action="producers.bank_account_submitted",
        target=producer,
        summary=str(account),
        data={"bank_account": account.pk},
    )
    return account


@transaction.atomic
def confirm_bank_account(*, actor: User, account: BankAccount, now: Any = None) -> BankAccount:
    """Make a waiting account the one payouts go to; the previously confirmed one is replaced."""
    account = BankAccount.objects.select_for_update(of=("self",)).select_related("producer").get(pk=account.pk)
    if account.status != BankAccount.Status.PENDING:
        raise BankAccountNotPending(_("This bank account is not waiting for confirmation."))
    BankAccount.objects.filter(producer=account.producer, status=BankAccount.Status.CONFIRMED).update(
        status=BankAccount.Status.REPLACED
    )
    account.status = BankAccount.Status.CONFIRMED
    account.confirmed_by = actor
    account.confirmed_at = now or timezone.now()
    account.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    record_audit_event(
        actor=actor,
        action="producers.bank_account_confirmed",
        target=account.producer,
        summary=str(account),
        data={"bank_account": account.pk},
    )
    notify.producer(producer=account.producer, event="bank_account_confirmed", context={"account": str(account)})
    return account


@transaction.atomic
def reject_bank_account(*, actor: User, account: BankAccount) -> BankAccount:
    account = BankAccount.objects.select_for_update(of=("self",)).select_related("producer").get(pk=account.pk)
    if account.status != BankAccount.Status.PENDING:
        raise BankAccountNotPending(_("This bank account is not waiting for confirmation."))
    account.status = BankAccount.Status.REJECTED
    account.save(update_fields=["status", "updated_at"])
    record_audit_event(
        actor=actor,
        action="producers.bank_account_rejected",
        target=account.producer,
        data={"bank_account": account.pk},
    )
    return account


@transaction.atomic
def add_certification(
    *,
    actor: User,
    producer: Producer,
    kind: str,
    number: str,
    expires_on: date | None = None,
    issued_on: date | None = None,
    document: Any = None,
) -> Certification:
    """Record a certification, with its document (a PDF or photo, checked by content) kept private."""
    certification = Certification(
        producer=producer, kind=kind, number=number.strip(), expires_on=expires_on, issued_on=issued_on
    )
    cleaned = None
    if document:
        try:
            cleaned = clean_document(document)
        except InvalidUpload as error:
            raise InvalidProducerData(error.message, fields={"document": [error.message]}) from None
    try:
        certification.full_clean(exclude=["document"])
    except ValidationError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
        if "__all__" in fields:
            fields["number"] = fields.pop("__all__")
        raise InvalidProducerData(_("Some fields are missing or not valid."), fields=fields) from error
    if cleaned is not None:
        certification.document.save(stored_name(cleaned), cleaned.content, save=False)
    certification.save()
    record_audit_event(actor=actor, action="producers.certification_added", target=producer, summary=str(certification))
    return certification


@transaction.atomic
def add_producer_photo(*, actor: User, producer: Producer, image: Any, caption_th: str = "") -> ProducerPhoto:
    """Add a public photo of the producer, re-encoded from its pixels under a random name."""
    try:
        cleaned = clean_image(image)
    except InvalidUpload as error:
        raise InvalidProducerData(error.message, fields={"image": [error.message]}) from None
    order = producer.photos.count()
    photo = ProducerPhoto(producer=producer, caption_th=caption_th, sort_order=order)
    photo.image.save(stored_name(cleaned), cleaned.content, save=True)
    record_audit_event(actor=actor, action="producers.photo_added", target=producer)
    return photo


def flag_expiring_certifications(*, today: date | None = None, within_days: int = EXPIRY_WARNING_DAYS) -> int:
    """Tell producers (and staff, by e-mail to the center) once about each certification expiring soon.

    Run daily (`manage.py flag_expiring_certifications`); returns how many were flagged.
    """
    today = today or timezone.localdate()
    flagged = 0
    due = (
        Certification.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=within_days),
            expiry_notified_on__isnull=True,
        )
        .select_related("producer")
        .order_by("pk")
    )
    for certification in due:
        with transaction.atomic():
            # The conditional update makes a second run (or a parallel worker) flag nothing twice.
            if not Certification.objects.filter(pk=certification.pk, expiry_notified_on__isnull=True).update(
                expiry_notified_on=today
            ):
                continue
            context = {
                "certification": str(certification),
                "expires_on": certification.expires_on,
                "producer_name": certification.producer.name_th,
            }
            notify.producer(producer=certification.producer, event="certification_expiring", context=context)
            notify.staff(event="certification_expiring_staff", context=context)
            record_audit_event(
                actor=None,
                action="producers.certification_expiring",
                target=certification.producer,
                summary=str(certification),
            )
            flagged += 1
    return flagged


def reveal_tax_id(*, actor: User, producer: Producer) -> str:
    """The full tax or national ID number for a role that needs it; every look is in the audit log."""
    if not actor.has_perm("producers.view_national_id"):
        raise PermissionDenied
    record_audit_event(
        actor=actor, action="producers.national_id_viewed", target=producer, summary=producer.masked_tax_id
    )
    return producer.tax_id


def reveal_account_number(*, actor: User, account: BankAccount) -> str:
    """A bank account's full number for those who confirm accounts; every look is in the audit log."""
    if not actor.has_perm("producers.reveal_bankaccount"):
        raise PermissionDenied
    record_audit_event(
        actor=actor,
        action="producers.bank_account_viewed",
        target=account.producer,
        summary=str(account),
        data={"bank_account": account.pk},
    )
    return account.account_number
