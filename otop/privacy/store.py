"""The consent store the privacy app lends to the apps below it (see otop/core/consent.py)."""

from __future__ import annotations

from otop.privacy import selectors, services


class RecordedConsents:
    def has_consent(self, *, subjects: list[str], purpose: str) -> bool:
        return selectors.live_consents(subjects=subjects).get(purpose, False)

    def withdraw(self, *, subjects: list[str], purpose: str, channel: str) -> int:
        return services.withdraw_everywhere(subjects=subjects, purpose=purpose, channel=channel)
