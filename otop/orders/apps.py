from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "otop.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.orders.personal_data import register

        register()
