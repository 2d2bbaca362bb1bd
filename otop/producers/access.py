"""Who may open the producer portal's pages (this app's and those other apps add to the portal)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from otop.producers import selectors


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in producers only; the view gets the producer the account belongs to."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("accounts.use_producer_portal"):
            raise PermissionDenied
        producer = selectors.producer_of(request.user)
        if producer is None:
            raise PermissionDenied
        return view(request, producer, *args, **kwargs)

    return wrapper
