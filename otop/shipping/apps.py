from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "otop.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        # Orders price a parcel through the one pricer registered here (orders sits below shipping).
        from otop.orders.delivery import register_parcel_pricer
        from otop.shipping.rates import price_parcel_for_order

        register_parcel_pricer(price_parcel_for_order)
