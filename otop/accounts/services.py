"""Writes about people: creating users with a role, issuing and checking API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from otop.accounts import roles
from otop.accounts.models import ApiToken, User
from otop.accounts.roles import ADMIN_SITE_ROLES, ROLE_PERMISSIONS
from otop.core.errors import Conflict
from otop.core.services import record_audit_event
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
