"""Who acts: the one place a request's user becomes the `actor: User | None` that services take."""

from __future__ import annotations

from django.http import HttpRequest

from otop.accounts.models import User


def acting_user(request: HttpRequest) -> User | None:
    """The signed-in user (session or API token) who makes this request, or None for a visitor."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None
