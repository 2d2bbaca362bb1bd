"""How the accounts app reaches a person about signing in (a link to choose a password).

The notifications app sits above accounts, so it registers the sender from its AppConfig.ready(): the
message is then queued and recorded like every other e-mail. Without one (a project without that app),
Django's mail is used directly.
"""

from __future__ import annotations

from collections.abc import Callable

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
