"""Writes about the center: editing its profile, its opening exceptions, the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import models, transaction

from otop.core.models import AuditEvent, CenterProfile
from otop.core.selectors import PROFILE_CACHE_KEY


def record_audit_event(
    *, actor: AbstractBaseUser | None, action: str, target: models.Model, summary: str = "", data: dict | None = None
) -> AuditEvent:
    """Append one row to the audit log for an action on a target object."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        data=data or {},
    )


PROFILE_FIELDS = (
    "name_th", "name_en", "legal_name_th", "legal_name_en", "address_th", "address_en", "province",
    "tax_id", "branch_code", "promptpay_id", "phone", "email", "facebook_url", "line_oa_id",
    "website_url", "opens_at", "closes_at", "open_on_public_holidays", "default_commission_percent",
)  # fmt: skip


@transaction.atomic
def update_center_profile(*, actor: AbstractBaseUser | None, **changes: Any) -> CenterProfile:
    """Change the center's profile; the caller has validated the values (e.g. with a ModelForm)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile = CenterProfile.objects.select_for_update().get(pk=CenterProfile.SINGLETON_ID)
    before = {name: str(getattr(profile, name)) for name in changes}
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save(update_fields=[*changes, "updated_at"])
    changed = {name: [before[name], str(value)] for name, value in changes.items() if before[name] != str(value)}
    record_audit_event(actor=actor, action="center.profile_updated", target=profile, data=changed)
    # Clear now for this process, and again after commit in case a reader re-cached the old row.
    cache.delete(PROFILE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PROFILE_CACHE_KEY))
    return profile
