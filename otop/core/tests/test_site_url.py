"""Printed QR codes carry SITE_URL: unset, it is the address `make run` serves; a loopback address in production
is flagged by `check --deploy` and on the label page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from otop.core.checks import is_loopback_url, site_url_is_public


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8100", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://127.5.0.1", True),
        ("https://otop-khonkaen.example", False),
        ("http://192.168.1.20:8000", False),
    ],
)
def test_which_addresses_only_this_machine_can_open(url, loopback):
    assert is_loopback_url(url) is loopback


def site_url_with(environment: dict[str, str]) -> str:
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "OTOP_SERVED_URL"}}
    env.update(environment)
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_site_url_defaults_to_the_served_address_and_an_explicit_one_wins():
    assert site_url_with({}) == "http://127.0.0.1:8000"
    assert site_url_with({"OTOP_SERVED_URL": "http://127.0.0.1:8100"}) == "http://127.0.0.1:8100"
    both = {"OTOP_SERVED_URL": "http://127.0.0.1:8100", "SITE_URL": "https://otop.example/"}
    assert site_url_with(both) == "https://otop.example"


def test_check_deploy_warns_about_a_loopback_site_url_in_production(settings):
    settings.PRODUCTION = True
    settings.SITE_URL = "http://127.0.0.1:8100"
    [warning] = site_url_is_public()
    assert warning.id == "otop.W001" and "127.0.0.1:8100" in warning.msg
    with pytest.raises(SystemCheckError, match="otop.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["security"])
    settings.SITE_URL = "https://otop-khonkaen.example"
    assert site_url_is_public() == []
    settings.PRODUCTION = False
    settings.SITE_URL = "http://127.0.0.1:8100"
    assert site_url_is_public() == []


def test_the_run_script_serves_and_announces_the_same_port():
    script = (settings.BASE_DIR / "scripts" / "run_server.sh").read_text()
    assert 'OTOP_SERVED_URL="http://127.0.0.1:${port}"' in script
    assert '--bind "127.0.0.1:${port}"' in script


def test_the_server_uses_threads_so_an_idle_keep_alive_does_not_time_a_worker_out():
    script = (settings.BASE_DIR / "scripts" / "run_server.sh").read_text()
    assert "--worker-class gthread" in script
