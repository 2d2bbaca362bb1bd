"""Where each app says what personal data it keeps about a person, for PDPA requests.

Every app that stores data about people registers, from its AppConfig.ready(), how to export it
(access and portability: JSON-ready values) and how to erase it (what the law lets it erase; tax
documents and accounting records are kept their five years). The privacy app, at the top of the
layers, runs every registered handler for one person.

A person without an account (a guest who ordered or booked with an e-mail or phone) is named by a
`Contact` they proved they own; apps that keep guests' records register `export_contact` and
`erase_contact` too. Those reach only records made without an account: an account's records stay with
the account, whose holder signs in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

EMAIL = "email"
PHONE = "phone"


@dataclass(frozen=True)
class Contact:
    """An e-mail address (lower case) or a Thai phone number (local digits, `normalize_thai_phone`)."""

    kind: str  # EMAIL or PHONE
    value: str

    def __post_init__(self) -> None:
        if self.kind not in (EMAIL, PHONE) or not self.value:
            raise ValueError(f"not a contact: {self.kind!r} {self.value!r}")


@dataclass(frozen=True)
class PersonalDataHandler:
    app: str
    export: Callable[[AbstractBaseUser], dict[str, Any]]
    # Returns what it did, in a sentence staff can file with the request.
    erase: Callable[[AbstractBaseUser], str]
    # The same for a guest named by a contact (records made without an account); None when the app
    # keeps nothing about guests.
    export_contact: Callable[[Contact], dict[str, Any]] | None = None
    erase_contact: Callable[[Contact], str] | None = None


_handlers: dict[str, PersonalDataHandler] = {}


def register_personal_data(handler: PersonalDataHandler) -> None:
    """Add an app's exporter and eraser (a second registration of the same app replaces the first)."""
    _handlers[handler.app] = handler


def personal_data_handlers() -> list[PersonalDataHandler]:
    """Every registered handler, by app name."""
    return [_handlers[app] for app in sorted(_handlers)]


def contact_handlers() -> list[PersonalDataHandler]:
    """The handlers that know guests by a contact, by app name."""
    return [handler for handler in personal_data_handlers() if handler.export_contact and handler.erase_contact]
