"""How the accounts app reaches a person about signing in (a link to choose a password).

The notifications app sits above accounts, so it registers the sender from its AppConfig.ready(): the
message is then queued and recorded like every other e-mail. Without one (a project without that app),
Django's mail is used directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from otop.accounts.models import User

PasswordLinkSender = Callable[..., object]
_senders: list[PasswordLinkSender] = []

EVENT = "accounts/password_reset"


def register_password_link_sender(sender: PasswordLinkSender) -> None:
    """Use `sender(user=, email=, link=)` to deliver password links (the last registered wins)."""
    _senders.append(sender)


def send_password_link(*, user: User, email: str, link: str) -> None:
    """Send a person the link where they choose a new password."""
    if _senders:
        _senders[-1](user=user, email=email, link=link)
        return
    with translation.override(user.preferred_language or "th"):
        subject = render_to_string(f"notifications/{EVENT}.subject.txt", {"user": user, "link": link}).strip()
        body = render_to_string(f"notifications/{EVENT}.body.txt", {"user": user, "link": link}).strip()
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


class CodeSender(Protocol):
    """Sends a one-time code to a phone by SMS (registered by the notifications app)."""

    def available(self) -> bool:
        """Whether SMS is set up at all."""
        ...

    def send(self, *, phone: str, code: str, minutes: int, language: str) -> int:
        """Record and queue the SMS after the current transaction commits; returns the message's id."""
        ...

    def state(self, message_id: int | None) -> tuple[str, str]:
        """("queued" | "sent" | "failed", the sentence that says why it failed)."""
        ...


_code_senders: list[CodeSender] = []


def register_code_sender(sender: CodeSender) -> None:
    """Use `sender` for phone codes (the last registered wins)."""
    _code_senders.append(sender)


def code_sender() -> CodeSender | None:
    """The SMS sender when SMS is set up; None when a phone cannot be reached."""
    if _code_senders and _code_senders[-1].available():
        return _code_senders[-1]
    return None
