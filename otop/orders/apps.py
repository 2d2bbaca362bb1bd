from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "otop.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.orders import services
        from otop.orders.personal_data import register
        from otop.payments.services import register_paid_handler

        register()
        # The bank's confirmation of an order's exact total marks it paid with no staff action.
        register_paid_handler("orders.order", services.settle_bank_payment)
