"""Personal numbers encrypted at rest: national ID and bank account numbers (PDPA s.37: security measures).

A value is stored as ``fernet:`` + a Fernet token (AES-128-CBC with HMAC-SHA256, from `cryptography`), made with
the first of ``settings.FIELD_ENCRYPTION_KEYS``; every key in the list can read it, so a new key goes first and
``manage.py rotate_field_keys`` re-encrypts every value with it before an old key is dropped. A copy of the
database without the keys shows no number. A stored value without the prefix is plaintext from before the
encryption (read as it is; the data migrations and the rotate command encrypt it).

Encrypted values cannot be searched or compared in SQL (the same number encrypts differently each time):
filter on other fields and compare in Python. An empty value is stored empty, so "has none" stays a query.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.dispatch import receiver

PREFIX = "fernet:"


class UnreadableValue(Exception):
    """A stored value no configured key can decrypt (a key was removed before rotating)."""


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


def encrypt(value: str) -> str:
    """The stored form of a value: empty stays empty, anything else is prefixed Fernet token."""
    if not value:
        return value
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise UnreadableValue("No key in FIELD_ENCRYPTION_KEYS can read a stored value.") from error


def is_encrypted_with_newest_key(stored: str) -> bool:
    if not stored:
        return True
    if not stored.startswith(PREFIX):
        return False
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def mask(value: str, *, visible: int = 4) -> str:
    """A number as staff without the need to know see it: all but the last four digits hidden."""
    if not value:
        return ""
    shown = value[-visible:] if len(value) > visible else ""
    return "•" * (len(value) - len(shown)) + shown


class EncryptedCharField(models.CharField):
    """A short text kept encrypted in a text column; `max_length` limits the plaintext (forms, full_clean)."""

    description = "Text encrypted at rest"

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedCharField]]:
    """Every encrypted field of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def reencrypt_rows(model: type[models.Model], field_name: str, *, batch: int = 500) -> int:
    """Encrypt a field's values with the newest key where they are plaintext or under an older key.

    Used by the data migrations (with the historical model) and by `rotate_field_keys`; returns how
    many rows were rewritten. Safe to run again: rows already under the newest key are left alone.
    """
    rows = (
        model._default_manager.exclude(**{field_name: ""})
        .exclude(**{f"{field_name}__isnull": True})
        .annotate(_stored=Cast(field_name, models.TextField()))
        .values_list("pk", "_stored")
        .order_by("pk")
    )
    rewritten = 0
    for pk, stored in rows.iterator(chunk_size=batch):
        if is_encrypted_with_newest_key(stored):
            continue
        model._default_manager.filter(pk=pk).update(**{field_name: decrypt(stored)})
        rewritten += 1
    return rewritten


def decrypt_rows(model: type[models.Model], field_name: str) -> int:
    """Write a field's values back as plaintext (only to reverse the data migration)."""
    rows = model._default_manager.exclude(**{field_name: ""}).annotate(_stored=Cast(field_name, models.TextField()))
    count = 0
    for pk, stored in rows.values_list("pk", "_stored").iterator():
        if stored and stored.startswith(PREFIX):
            model._default_manager.filter(pk=pk).update(
                **{field_name: Value(decrypt(stored), output_field=models.TextField())}
            )
            count += 1
    return count
