from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from otop.core.validators import normalize_thai_phone, thai_phone_is_valid


class PhoneOrUsernameBackend(ModelBackend):
    """Sign in with a user name, or with a Thai phone number (how producers sign in)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        User = get_user_model()  # noqa: N806
        user = User.objects.filter(username=username).first()
        if user is None and "@" in username:  # shoppers sign in with their e-mail, kept in lower case
            user = User.objects.filter(username=username.strip().lower()).first()
        if user is None and thai_phone_is_valid(username):
            user = User.objects.filter(phone=normalize_thai_phone(username)).first()
        if user is None:
            User().set_password(password)  # same time as a real check, so names can't be probed
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def sign_in_identity(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The identity django-axes counts failed sign-ins against: a phone number in any spelling is one
    identity (0-8-1-2…, +66 81 2…), so reformatting the number does not open a fresh bucket."""
    username = (credentials or {}).get("username") or ""
    if thai_phone_is_valid(username):
        return normalize_thai_phone(username)
    return username
