"""Fixtures shared by every app's tests: people in each role, a signed-in client."""

from __future__ import annotations

import os
import time

import pytest
from django.test import Client

from otop.accounts import roles
from otop.accounts.services import create_user

# The multi-server test starts its own cluster of processes: `make test-cluster` runs it, on its own.
collect_ignore = [] if os.environ.get("OTOP_CLUSTER_TEST") else ["tests/cluster"]

# Fixtures kept beside the app they build, used by the tests of several apps.
pytest_plugins = ["otop.producers.tests.fixtures"]

PASSWORD = "a-long-test-password-2569"


@pytest.fixture(autouse=True)
def _thai_by_default(settings):
    settings.LANGUAGE_CODE = "th"


@pytest.fixture(autouse=True)
def _one_factor_unless_a_test_asks(settings):
    # Staff sign in with a second factor (accounts/two_factor.py); its own tests turn this on. The other
    # tests reach staff pages with force_login or the password form, as before.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _steady_throttle_windows(monkeypatch):
    """Throttles count in fixed windows (a minute, an hour, a day). A test that sends 21 requests must not see
    its count restart because a window ended half-way (on a loaded machine 21 orders can take over a minute),
    so the throttles' clock stands still one second into a day while a test runs."""
    from types import SimpleNamespace

    from otop.core import throttle

    now = time.time()
    pinned = now - now % 86400 + 1
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: pinned))


@pytest.fixture
def make_user(db):
    """Create a user in a role: make_user("cashier")."""
    counter = {"n": 0}

    def make(role: str, **extra):
        counter["n"] += 1
        username = extra.pop("username", f"{role}{counter['n']}")
        return create_user(username=username, password=PASSWORD, role=role, **extra)

    return make


@pytest.fixture
def client_for(make_user):
    """A test client signed in as a new user of a role (None gives an anonymous client)."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(make_user(role))
        return client

    return make


@pytest.fixture
def manager(make_user):
    return make_user(roles.MANAGER)


@pytest.fixture
def fake_sms(settings):
    """A fake ThaiBulkSMS API v2 on 127.0.0.1 the settings point at, with messages sent as the task runs."""
    from otop.notifications.tests.fake_thaibulksms import FakeThaiBulkSms

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with FakeThaiBulkSms() as fake:
        fake.settings_for(settings)
        yield fake
