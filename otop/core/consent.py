"""Consent to marketing, asked by the apps that send and kept by the privacy app.

Apps low in the layers (notifications, channels) must know whether a person agreed to marketing, and a
chat's "หยุด" must withdraw it, but the consent records live in the privacy app at the top of the layers.
So the privacy app registers a `ConsentStore` from its AppConfig.ready(); without one nobody has consented
and nothing marketing is sent.

A person is named by subject keys: ``user:<id>``, ``email:<address>``, ``line:<user id>``,
``messenger:<psid>``. A consent given under any of a person's keys counts for that person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.core import signing

MARKETING_EMAIL = "marketing_email"
MARKETING_CHAT = "marketing_chat"
STORY_PHOTOS = "story_photos"
PURPOSES = (MARKETING_EMAIL, MARKETING_CHAT, STORY_PHOTOS)

_STOP_SALT = "otop.core.consent.stop"


class ConsentStore(Protocol):
    def has_consent(self, *, subjects: list[str], purpose: str) -> bool: ...

    def withdraw(self, *, subjects: list[str], purpose: str, channel: str) -> int:
        """Record the withdrawal under each subject that had consented; returns how many did."""
        ...


_store: ConsentStore | None = None


def register_consent_store(store: ConsentStore | None) -> None:
    global _store
    _store = store


def user_subject(user_id: int) -> str:
    return f"user:{user_id}"


def email_subject(email: str) -> str:
    return f"email:{email.strip().lower()}"


def chat_subject(platform: str, external_id: str) -> str:
    return f"{platform}:{external_id}"


def subjects_for(*, user_id: int | None = None, email: str = "", extra: Iterable[str] = ()) -> list[str]:
    subjects = [user_subject(user_id)] if user_id else []
    if email:
        subjects.append(email_subject(email))
    subjects.extend(extra)
    return subjects


def has_consent(*, subjects: Iterable[str], purpose: str) -> bool:
    """True only when a live consent for the purpose is on record under one of the subjects."""
    subjects = [subject for subject in subjects if subject]
    if purpose not in PURPOSES or not subjects or _store is None:
        return False
    return _store.has_consent(subjects=subjects, purpose=purpose)


def withdraw(*, subjects: Iterable[str], purpose: str, channel: str) -> int:
    subjects = [subject for subject in subjects if subject]
    if purpose not in PURPOSES or not subjects or _store is None:
        return 0
    return _store.withdraw(subjects=subjects, purpose=purpose, channel=channel)


def stop_token(*, subjects: list[str], purpose: str) -> str:
    """A signed value for the "stop these messages" link in every marketing message."""
    return signing.dumps({"s": subjects, "p": purpose}, salt=_STOP_SALT, compress=True)


def read_stop_token(token: str) -> tuple[list[str], str] | None:
    """The subjects and purpose a stop link names, or None when it was not made by us."""
    try:
        value = signing.loads(token, salt=_STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    subjects, purpose = value.get("s"), value.get("p")
    if purpose not in PURPOSES or not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        return None
    return subjects, purpose
