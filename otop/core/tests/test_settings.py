"""The settings module refuses bad configuration with one clear line, and passes --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ENV", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV"),
        ({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "otop.example"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60}, "SECRET_KEY"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-key"}, "FIELD_ENCRYPTION_KEYS"),
        (
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": "p9Jx!2vQ#mL7sT0wZ4yB8nR1cF6hK3dG5aE_uI9oP2lS7jW0qX4zV",
                "ALLOWED_HOSTS": "otop.example",
                "DATABASE_URL": "sqlite:///x.sqlite3",
            },
            "FIELD_ENCRYPTION_KEYS",
        ),
    ],
)
def test_a_bad_setting_stops_the_start_with_one_line_naming_it(env, named):
    result = run_manage("check", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert named in lines[0]


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="p9Jx!2vQ#mL7sT0wZ4yB8nR1cF6hK3dG5aE_uI9oP2lS7jW0qX4zV",
        ALLOWED_HOSTS="otop.example",
        SITE_URL="https://otop.example",
        FIELD_ENCRYPTION_KEYS="yN1tLgNl1B0m1zQ6D0hJr2nIu4vJm8mH1c4gEJ0Ebqs=,ZmllbGQtZW5jcnlwdGlvbi1vbGQta2V5LTMyYnl0ZXM=",
        DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
