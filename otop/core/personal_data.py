"""Where each app says what personal data it keeps about a person, for PDPA requests.

Every app that stores data about people registers, from its AppConfig.ready(), how to export it
(access and portability: JSON-ready values) and how to erase it (what the law lets it erase; tax
documents and accounting records are kept their five years). The privacy app, at the top of the
layers, runs every registered handler for one person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser


@dataclass(frozen=True)
class PersonalDataHandler:
    app: str
    export: Callable[[AbstractBaseUser], dict[str, Any]]
    # Returns what it did, in a sentence staff can file with the request.
    erase: Callable[[AbstractBaseUser], str]


_handlers: dict[str, PersonalDataHandler] = {}


def register_personal_data(handler: PersonalDataHandler) -> None:
    """Add an app's exporter and eraser (a second registration of the same app replaces the first)."""
    _handlers[handler.app] = handler


def personal_data_handlers() -> list[PersonalDataHandler]:
    """Every registered handler, by app name."""
    return [_handlers[app] for app in sorted(_handlers)]
