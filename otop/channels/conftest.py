"""Fixtures of the channels app's tests: a fake LINE Platform on 127.0.0.1 and signed webhook posts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from otop.channels.line.tests.fake_line import ACCESS_TOKEN, FakeLine
from otop.channels.line.tests.helpers import CHANNEL_SECRET
from otop.core.models import CenterProfile


@pytest.fixture
def fake_line(settings):
    """LINE switched on and pointed at a fake LINE Platform; tasks run at once."""
    with FakeLine() as line:
        settings.LINE_CHANNEL_SECRET = CHANNEL_SECRET
        settings.LINE_CHANNEL_ACCESS_TOKEN = ACCESS_TOKEN
        settings.LINE_API_BASE_URL = line.api_base_url
        settings.LINE_DATA_API_BASE_URL = line.data_api_base_url
        settings.LINE_LIFF_ID = ""
        settings.SITE_URL = "https://otop.example"
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        yield line


@pytest.fixture
def promptpay(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
