from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "otop.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Models and other apps' modules can be imported only once the app registry is ready.
        from otop.accounts.messages import register_code_sender, register_password_link_sender
        from otop.notifications.sms import register_sms_channel

        register_sms_channel()
        register_password_link_sender(_queue_password_link)
        register_code_sender(_SmsCodes())


def _queue_password_link(*, user, email: str, link: str) -> None:
    """Password links go out like every e-mail: recorded, queued after commit, sent by the worker."""
    # The services module imports models, which cannot be imported while the app registry loads.
    from otop.notifications.services import notify_by_email

    notify_by_email(
        event="accounts/password_reset",
        email=email,
        language=user.preferred_language or "th",
        context={"user": user, "link": link},
    )


class _SmsCodes:
    """How accounts sends a sign-up code to a phone: an SMS recorded and queued like every message."""

    def available(self) -> bool:
        from otop.notifications.sms import sms_is_set_up

        return sms_is_set_up()

    def send(self, *, phone: str, code: str, minutes: int, language: str) -> int:
        from otop.notifications.sms import notify_by_sms

        message = notify_by_sms(
            event="accounts/sign_up_code", phone=phone, language=language, context={"code": code, "minutes": minutes}
        )
        return message.pk

    def state(self, message_id: int | None) -> tuple[str, str]:
        from otop.notifications.sms import delivery_state

        return delivery_state(message_id)
