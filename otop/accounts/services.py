"""Writes about people: creating users with a role, issuing and checking API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from otop.accounts.models import ApiToken, User
from otop.accounts.roles import ADMIN_SITE_ROLES, ROLE_PERMISSIONS
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
