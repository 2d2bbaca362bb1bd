"""Writes of the producer registry: profiles, portal accounts, bank accounts, certifications."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts import roles
from otop.accounts.models import User
from otop.accounts.services import create_user
from otop.core.services import record_audit_event
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
    changed = {name: [before[name], str(value)] for name, value in changes.items() if before[name] != str(value)}
    record_audit_event(actor=actor, action="producers.profile_updated", target=producer, data=changed)
    return producer


@transaction.atomic
def open_portal_account(
    *, actor: User, producer: Producer, phone: str, password: str | None = None
) -> tuple[User, str]:
    """Give a producer a portal sign-in by phone; return the user and the (new) password to hand over."""
    phone = normalize_thai_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise PhoneAlreadyUsed(
            _("This phone number already has an account."), fields={"phone": [_("Already used by another account.")]}
        )
    password = password or _new_password()
    user = create_user(
        username=f"producer-{phone}",
        password=password,
        role=roles.PRODUCER,
        first_name=producer.contact_name[:150],
        email=producer.email,
        phone=phone,
    )
    Producer.objects.filter(pk=producer.pk).update(user=user)
    producer.user = user
    record_audit_event(actor=actor, action="producers.portal_opened", target=producer, data={"phone": phone})
    return user, password


def _new_password() -> str:
    # Digits and few letters: easy to read out over the phone to a village group.
    return "-".join(secrets.token_hex(2) for _part in range(3))


@transaction.atomic
def reset_portal_password(*, actor: User, producer: Producer) -> str:
    """Set a new password on the producer's portal account and return it for staff to hand over."""
    if producer.user is None:
        raise InvalidProducerData(_("This producer has no portal account yet."))
    password = _new_password()
    producer.user.set_password(password)
    producer.user.save(update_fields=["password"])
    record_audit_event(actor=actor, action="producers.password_reset", target=producer)
    return password


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
    certification = Certification(
        producer=producer, kind=kind, number=number.strip(), expires_on=expires_on, issued_on=issued_on
    )
    if document:
        certification.document = document
    try:
        certification.full_clean()
    except ValidationError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
        if "__all__" in fields:
            fields["number"] = fields.pop("__all__")
        raise InvalidProducerData(_("Some fields are missing or not valid."), fields=fields) from error
    certification.save()
    record_audit_event(actor=actor, action="producers.certification_added", target=producer, summary=str(certification))
    return certification


@transaction.atomic
def add_producer_photo(*, actor: User, producer: Producer, image: Any, caption_th: str = "") -> ProducerPhoto:
    order = producer.photos.count()
    photo = ProducerPhoto.objects.create(producer=producer, image=image, caption_th=caption_th, sort_order=order)
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
