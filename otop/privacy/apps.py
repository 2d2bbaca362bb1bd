from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "otop.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.core.consent import register_consent_store
        from otop.privacy.store import RecordedConsents

        register_consent_store(RecordedConsents())
