"""Writes about people: creating users with a role, issuing and checking API tokens."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from otop.accounts import roles
from otop.accounts.messages import code_sender
from otop.accounts.models import ApiToken, PhoneSignUp, User
from otop.accounts.roles import ADMIN_SITE_ROLES, ROLE_PERMISSIONS
from otop.core.errors import Conflict, DomainError, TooManyTries
from otop.core.services import record_audit_event
from otop.core.throttle import Verdict, hit, over
from otop.core.validators import normalize_thai_phone


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "th",
) -> User:
    """Create a user in one role; without a password the account cannot sign in until one is set."""
    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"unknown role {role!r}")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=normalize_thai_phone(phone) if phone else "",
        preferred_language=preferred_language,
        is_staff=role in ADMIN_SITE_ROLES,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def issue_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for an integration; the plain key is returned once and never stored."""
    key = "otop_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[5:13], key_hash=ApiToken.hash_key(key))
    return token, key


def user_for_api_key(key: str) -> User | None:
    """Return the active user a bearer key belongs to, recording when it was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def password_link(*, user: User, base_url: str) -> str:
    """A one-time link where the user sets a new password (Django's reset token: it stops working once
    the password changes, and after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )
    return base_url.rstrip("/") + path


def issue_password_link(*, actor: User, user: User, base_url: str) -> str:
    """Give staff a link to hand to someone who signs in by phone (a producer without e-mail): the person
    sets the password on their own phone, so staff never see or choose it."""
    record_audit_event(actor=actor, action="accounts.password_link_issued", target=user, summary=user.username)
    return password_link(user=user, base_url=base_url)


class AccountExists(Conflict):
    code = "account_exists"


@transaction.atomic
def sign_up_customer(*, name: str, email: str, password: str, language: str = "th") -> User:
    """Open a customer account for a shopper, who signs in with their e-mail address.

    Assumes a valid e-mail and a password the validators accepted (the form checks both); refuses an
    address another account already has (AccountExists), creating nothing."""
    email = email.strip().lower()
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise AccountExists(
            _("An account with this e-mail address exists already: sign in, or ask for a new password.")
        )
    try:
        with transaction.atomic():
            user = create_user(
                username=email,
                password=password,
                role=roles.CUSTOMER,
                first_name=name.strip(),
                email=email,
                preferred_language=language,
            )
    except IntegrityError:  # the same address sent twice at once
        raise AccountExists(
            _("An account with this e-mail address exists already: sign in, or ask for a new password.")
        ) from None
    record_audit_event(actor=user, action="accounts.signed_up", target=user, summary=email)
    return user


# Sign-up by mobile number: a code by SMS proves the number before the account exists.
SIGN_UP_CODE_LIFETIME = timedelta(minutes=10)
SIGN_UP_MAX_WRONG_TRIES = 5
SIGN_UP_CODES_PER_PHONE = "3/h"
SIGN_UP_CODES_PER_CLIENT = "10/h"
SIGN_UP_CHECKS_PER_CLIENT = "30/h"


class SignUpCodeRefused(DomainError):
    """The sign-up code was not accepted (wrong, expired, used, locked, or its SMS never left)."""


def _sign_up_code_digest(pending_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"accounts-sign-up:{pending_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _masked_phone(phone: str) -> str:
    return f"{phone[:2]}•••••{phone[-3:]}"


def _too_many(verdict: Verdict | None, text: str) -> None:
    if verdict is not None and not verdict.allowed:
        minutes = max(1, math.ceil(verdict.retry_after / 60))
        raise TooManyTries(text % {"minutes": minutes}, retry_after=verdict.retry_after)


def start_phone_sign_up(
    *, name: str, phone: str, password: str, client: str, language: str = "th", now: datetime | None = None
) -> PhoneSignUp:
    """Send a 6-digit code by SMS to the mobile number a shopper signs up with; the account is made by
    `finish_phone_sign_up` once the code comes back. Refused, with nothing sent or stored, while SMS is
    not set up, for a number that is not a mobile, for a number an account has, and over the limits."""
    now = now or timezone.now()
    sender = code_sender()
    if sender is None:
        raise DomainError(
            _(
                "SMS is not set up at the center, so you cannot sign up with a phone number. "
                "Sign up with an e-mail address."
            )
        )
    phone = normalize_thai_phone(phone)
    if not (len(phone) == 10 and phone.isdigit() and phone[:2] in ("06", "08", "09")):
        raise DomainError(
            _("An SMS reaches mobile numbers only (06, 08 or 09)."),
            fields={"phone": [_("Enter a mobile number, e.g. 081 234 5678.")]},
        )
    if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
        raise AccountExists(
            _("An account with this phone number exists already: sign in, or ask the center for a password link."),
            fields={"phone": [_("This number has an account already.")]},
        )
    text = _("Too many codes were asked for. Please wait %(minutes)s minutes and try again.")
    _too_many(over("signup-code-phone", phone, SIGN_UP_CODES_PER_PHONE), text)
    _too_many(over("signup-code-client", client, SIGN_UP_CODES_PER_CLIENT), text)
    hit("signup-code-phone", phone, SIGN_UP_CODES_PER_PHONE)
    hit("signup-code-client", client, SIGN_UP_CODES_PER_CLIENT)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # Sign-ups never finished (a name, a number, a password hash) go a day after their code expired.
        PhoneSignUp.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        PhoneSignUp.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        pending = PhoneSignUp.objects.create(
            phone=phone, name=name.strip(), password=make_password(password), language=language,
            code_digest="", created_at=now, expires_at=now + SIGN_UP_CODE_LIFETIME,
        )  # fmt: skip
        pending.code_digest = _sign_up_code_digest(pending.pk, code)
        pending.message_id = sender.send(
            phone=phone, code=code, minutes=int(SIGN_UP_CODE_LIFETIME.total_seconds() // 60), language=language
        )
        pending.save(update_fields=["code_digest", "message_id"])
        record_audit_event(
            actor=None, action="accounts.sign_up_code_sent", target=pending, summary=_masked_phone(phone)
        )
    return pending


def sign_up_sms_state(pending: PhoneSignUp) -> tuple[str, str]:
    """("queued" | "sent" | "failed", why it failed) of the SMS carrying a sign-up code."""
    sender = code_sender()
    if sender is None:
        return "failed", _("SMS is not set up at the center.")
    return sender.state(pending.message_id)


def finish_phone_sign_up(*, pending_id: int, phone: str, code: str, client: str, now: datetime | None = None) -> User:
    """Open the customer account once the code sent to its number is typed right (once, within 10 minutes,
    before the 5th wrong try). A wrong code counts one try; nothing else changes."""
    now = now or timezone.now()
    verdict = hit("signup-code-check", client, SIGN_UP_CHECKS_PER_CLIENT)
    _too_many(verdict, _("Too many codes were typed. Please wait %(minutes)s minutes and try again."))
    code = "".join((code or "").split())
    refusal = None
    user = None
    with transaction.atomic():
        pending = PhoneSignUp.objects.select_for_update().filter(pk=pending_id, phone=phone).first()
        if pending is None or pending.used_at is not None or now >= pending.expires_at:
            refusal = _("This code is no longer valid. Ask for a new one.")
        elif pending.wrong_tries >= SIGN_UP_MAX_WRONG_TRIES:
            refusal = _("The code was typed wrong 5 times and is locked. Ask for a new one.")
        elif (sms := sign_up_sms_state(pending))[0] == "failed":
            refusal = sms[1]
        elif not hmac.compare_digest(pending.code_digest, _sign_up_code_digest(pending.pk, code)):
            PhoneSignUp.objects.filter(pk=pending.pk).update(wrong_tries=F("wrong_tries") + 1)
            left = SIGN_UP_MAX_WRONG_TRIES - pending.wrong_tries - 1
            if left <= 0:
                refusal = _("The code was typed wrong 5 times and is locked. Ask for a new one.")
            else:
                refusal = _("The code is not right. %(left)s tries left.") % {"left": left}
        else:
            user = _open_phone_account(pending)
    if refusal:
        raise SignUpCodeRefused(refusal)
    return user


def _open_phone_account(pending: PhoneSignUp) -> User:
    exists = AccountExists(
        _("An account with this phone number exists already: sign in, or ask the center for a password link.")
    )
    if User.objects.filter(Q(phone=pending.phone) | Q(username=pending.phone)).exists():
        raise exists
    try:
        with transaction.atomic():
            user = create_user(
                username=pending.phone, password=None, role=roles.CUSTOMER, first_name=pending.name,
                phone=pending.phone, preferred_language=pending.language,
            )  # fmt: skip
            user.password = pending.password
            user.save(update_fields=["password"])
    except IntegrityError:  # the same number finished twice at once
        raise exists from None
    # The account holds what the sign-up held; nothing of it is kept beside it.
    PhoneSignUp.objects.filter(phone=pending.phone).delete()
    record_audit_event(actor=user, action="accounts.signed_up", target=user, summary=_masked_phone(pending.phone))
    return user
