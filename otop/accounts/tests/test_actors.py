"""The one place a request's user becomes a service's actor."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from otop.accounts.actors import acting_user


def test_the_acting_user_is_the_signed_in_user_or_none(make_user):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert acting_user(request) is None
    cashier = make_user("cashier")
    request.user = cashier
    assert acting_user(request) == cashier
