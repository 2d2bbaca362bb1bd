"""Personal numbers encrypted at rest: national ID, buyer tax ID and bank account numbers (PDPA s.37: security).

A value is stored as ``fernet:`` + a Fernet token (AES-128-CBC with HMAC-SHA256, from `cryptography`), made with
the first of ``settings.FIELD_ENCRYPTION_KEYS``; every key in the list can read it, so a new key goes first and
``manage.py rotate_field_keys`` re-encrypts every value with it before an old key is dropped. A copy of the
database without the keys shows no number. A stored value without the prefix is plaintext from before the
encryption (read as it is; the data migrations and the rotate command encrypt it).

Encrypted values cannot be searched or compared in SQL (the same number encrypts differently each time).
Where a number must be found again (a buyer's tax ID), the model adds a `LookupDigestField` beside it: a keyed
hash (HMAC-SHA256 under a sub-key of the newest key) of the value, written on every save and filtered with
`lookup_digests(value)`, which gives the digest under every configured key, so a lookup still finds rows during a
rotation; `rotate_field_keys` rewrites the digests with the values. Otherwise filter on other fields and compare
in Python. An empty value is stored empty (its digest too), so "has none" stays a query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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


# Derives the lookup key from a Fernet key, so a digest never uses the key that signs the tokens.
LOOKUP_CONTEXT = b"otop.core.encryption lookup digest v1"


@lru_cache(maxsize=8)
def _lookup_key(key: str) -> bytes:
    return hmac.new(base64.urlsafe_b64decode(key.encode()), LOOKUP_CONTEXT, hashlib.sha256).digest()


def _digest(key: str, value: str) -> str:
    return hmac.new(_lookup_key(key), value.encode(), hashlib.sha256).hexdigest()


def lookup_digest(value: str) -> str:
    """The stored keyed hash of a value (under the newest key); empty for an empty value."""
    if not value:
        return ""
    return _digest(settings.FIELD_ENCRYPTION_KEYS[0], value)


def lookup_digests(value: str) -> list[str]:
    """The value's digest under every configured key: filter with `<digest field>__in` to find it again."""
    if not value:
        return []
    return [_digest(key, value) for key in settings.FIELD_ENCRYPTION_KEYS]


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


class LookupDigestField(models.CharField):
    """The keyed hash of an encrypted field's value (`source`), set on every save, to find rows by that value.

    Written by `Model.save()`, `create()` and `bulk_create()`; a queryset `update()` of the source must set it
    too (`reencrypt_rows` does).
    """

    description = "Keyed hash of an encrypted value, for lookups"

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for option, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(option, default) == default:
                kwargs.pop(option, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = lookup_digest(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def digest_fields_of(model: type[models.Model], field_name: str) -> list[LookupDigestField]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, LookupDigestField) and field.source == field_name
    ]


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedCharField]]:
    """Every encrypted field of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field


def reencrypt_rows(model: type[models.Model], field_name: str, *, batch: int = 500) -> int:
    """Encrypt a field's values with the newest key where they are plaintext or under an older key (and set
    the field's lookup digests under that key).

    Used by the data migrations (with the historical model) and by `rotate_field_keys`; returns how
    many rows were rewritten. Safe to run again: rows already under the newest key (with their digests) are left
    alone.
    """
    digests = [field.name for field in digest_fields_of(model, field_name)]
    rows = (
        model._default_manager.exclude(**{field_name: ""})
        .exclude(**{f"{field_name}__isnull": True})
        .annotate(_stored=Cast(field_name, models.TextField()))
        .values_list("pk", "_stored", *digests)
        .order_by("pk")
    )
    rewritten = 0
    for pk, stored, *stored_digests in rows.iterator(chunk_size=batch):
        current = is_encrypted_with_newest_key(stored)
        if current and not digests:
            continue
        value = decrypt(stored)
        digest = lookup_digest(value) if digests else ""
        if current and all(each == digest for each in stored_digests):
            continue
        model._default_manager.filter(pk=pk).update(**{field_name: value}, **dict.fromkeys(digests, digest))
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
