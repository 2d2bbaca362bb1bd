from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "otop.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Models and other apps' modules can be imported only once the app registry is ready.
        from otop.accounts.messages import register_password_link_sender

        register_password_link_sender(_queue_password_link)


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
