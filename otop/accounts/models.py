from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Staff, committee members, producers and customers: everyone who signs in."""

    phone = models.CharField(
        _("phone"),
        max_length=10,
        blank=True,
        default="",
        help_text=_("Local digits, e.g. 0812345678. Producers sign in with it."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="th"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique_when_set"),
        ]
        permissions = [
            ("access_backoffice", _("Can use the staff back office")),
            ("operate_till", _("Can ring up sales at a register")),
            ("sit_on_committee", _("Can review and score product applications")),
            ("use_producer_portal", _("Can use the producer portal")),
            ("view_people", _("Can see staff and their roles")),
        ]


class ApiToken(models.Model):
    """A bearer token for an integration; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class PhoneSignUp(models.Model):
    """A shopper signing up with a mobile number, waiting for the code sent there by SMS: the account is
    made only once the code is typed right. The code is kept as a keyed digest; 10 minutes, used once,
    locked after 5 wrong tries."""

    phone = models.CharField(_("phone"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    password = models.CharField(_("password"), max_length=128)  # hashed, as on User
    language = models.CharField(_("language"), max_length=2, default="th")
    code_digest = models.CharField(_("code (digest)"), max_length=64)
    # The SMS that carries the code (a notifications.OutboundMessage: that app sits above this one).
    message_id = models.PositiveBigIntegerField(_("message"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up by phone")
        verbose_name_plural = _("sign-ups by phone")

    def __str__(self) -> str:
        return f"{self.phone[:2]}•••••{self.phone[-3:]}"
