from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "otop.channels"
    label = "channels"
    verbose_name = _("Sales channels")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.channels.line.outbox import LineChannel, LinePlatform
        from otop.channels.media import register_image_handler
        from otop.channels.messenger.outbox import MessengerChannel, MessengerPlatform
        from otop.channels.models import InboundEvent
        from otop.channels.orders import tell_order_update
        from otop.channels.personal_data import register
        from otop.channels.platforms import register_platform
        from otop.channels.portal import add_portal_section
        from otop.channels.slips import answer_slip_photo
        from otop.core.metrics import register_gauge
        from otop.notifications.channels import register_channel
        from otop.orders.signals import order_status_changed

        register_channel(LineChannel())
        register_gauge(
            "otop_webhook_events_failed",
            "Chat webhook events (LINE, Messenger) whose work failed.",
            lambda: InboundEvent.objects.filter(status=InboundEvent.Status.FAILED).count(),
        )
        register_platform(LinePlatform())
        register_channel(MessengerChannel())
        register_platform(MessengerPlatform())
        order_status_changed.connect(tell_order_update, dispatch_uid="otop.channels.tell_order_update")
        add_portal_section()
        # A transfer slip sent as a photo pays the chat's order waiting for payment.
        register_image_handler(answer_slip_photo)
        register()
