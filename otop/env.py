"""Read configuration from the environment, failing with one line that names the setting."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


class SettingError(Exception):
    """A setting is missing or malformed; the message names it."""


def text(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise SettingError(f"{name} is required but not set")
        return default
    return value


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name} must be true or false, got {value!r}")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, got {number}")
    return number


def listing(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = text(name, default)
    if value not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def run_reporting_setting_errors(main: Callable[[], object]) -> None:
    """Run a program entry point; turn a SettingError into one line on stderr and exit 2."""
    try:
        main()
    except SettingError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        sys.exit(2)
