"""What orders keep about a person with an account, for PDPA requests (core.personal_data)."""

from __future__ import annotations

from typing import Any

from otop.core.personal_data import PersonalDataHandler, register_personal_data
from otop.orders.models import Order

ERASED_NAME = "-"


def export(user) -> dict[str, Any]:
    orders = Order.objects.filter(user=user).prefetch_related("lines").order_by("placed_at")
    return {
        "orders": [
            {
                "number": order.number, "placed_at": order.placed_at.isoformat(), "status": order.status,
                "channel": order.channel, "name": order.customer_name, "phone": order.phone, "email": order.email,
                "delivery": order.delivery_method, "address": [order.address_line1, order.address_line2],
                "postcode": order.postcode, "total": str(order.total),
                "lines": [
                    {"sku": line.sku, "name": line.name_th, "quantity": line.quantity,
                     "unit_price": str(line.unit_price)}
                    for line in order.lines.all()
                ],
            }
            for order in orders
        ]
    }  # fmt: skip


def erase(user) -> str:
    """Take the name, phone, e-mail and street address off the account's orders; the goods, amounts and
    the area (subdistrict, postcode) stay for the accounts and the producers' settlements."""
    erased = Order.objects.filter(user=user).update(
        customer_name=ERASED_NAME, phone="", email="", address_line1="", address_line2=""
    )
    return f"name, phone, e-mail and street address taken off {erased} order(s)"


def register() -> None:
    register_personal_data(PersonalDataHandler(app="orders", export=export, erase=erase))
