"""A second factor at sign-in: a TOTP app (django-otp) with one-time recovery codes.

Required for the roles that reach people's data and the center's money (`TWO_FACTOR_ROLES`, manager and
staff by default) when `TWO_FACTOR_REQUIRED` is on; anyone else may turn it on for their own account, and
then it is asked of them too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from otop.accounts.models import User
from otop.core.services import record_audit_event

RECOVERY_CODES = 10
APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"


def required_for(user: User) -> bool:
    """Whether this account must give a second factor before it goes anywhere else."""
    if not user.is_authenticated:
        return False
    if has_second_factor(user):
        return True
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.TWO_FACTOR_ROLES).exists()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user: User) -> TOTPDevice:
    """The authenticator being set up (a new secret until the person confirms a code from it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_DEVICE).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=APP_DEVICE)


@transaction.atomic
def confirm_app_device(*, request, user: User, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns fresh recovery codes (shown once),
    or None when the code is wrong. The session counts as verified from now on."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=APP_DEVICE).first()
    if device is None or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    otp_login(request, device)
    record_audit_event(actor=user, action="accounts.second_factor_set", target=user, summary=user.username)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(*, request, user: User, code: str) -> bool:
    """Check a code from the authenticator or a recovery code (used up); on success the session is verified."""
    code = code.strip()
    if not code or len(code) > 32:
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(_digits(code)):
            otp_login(request, device)
            return True
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code.lower()):
            otp_login(request, device)
            record_audit_event(actor=user, action="accounts.recovery_code_used", target=user, summary=user.username)
            return True
    return False


def _digits(code: str) -> str:
    return "".join(character for character in code if character.isdigit())[:8]
