"""What orders keep about a person, with an account or as a guest by e-mail or phone, for PDPA requests
(core.personal_data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from otop.core.personal_data import EMAIL, Contact, PersonalDataHandler, register_personal_data
from otop.core.retention import YEARS, RetentionTarget, register_retention_target
from otop.orders.models import Order
from otop.orders.selectors import tax_documents_of

ERASED_NAME = "-"


def export(user) -> dict[str, Any]:
    return _rows(Order.objects.filter(user=user))


def _guest_orders(contact: Contact):
    """Orders placed without an account under this e-mail or phone."""
    if contact.kind == EMAIL:
        return Order.objects.filter(user__isnull=True, email__iexact=contact.value)
    return Order.objects.filter(user__isnull=True, phone=contact.value)


def export_contact(contact: Contact) -> dict[str, Any]:
    return _rows(_guest_orders(contact))


def _rows(orders) -> dict[str, Any]:
    orders = orders.prefetch_related("lines").order_by("placed_at", "pk")
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
                # The buyer's own documents, tax ID in full: kept after an erasure (Revenue Code, 5 years).
                "tax_documents": [
                    {"number": document.code, "kind": document.kind, "status": document.status,
                     "buyer_name": document.buyer_name, "buyer_address": document.buyer_address,
                     "buyer_tax_id": document.buyer_tax_id, "buyer_branch": document.buyer_branch}
                    for document in tax_documents_of(order)
                ],
            }
            for order in orders
        ]
    }  # fmt: skip


def erase(user) -> str:
    """Take the name, phone, e-mail and street address off the account's orders; the goods, amounts and
    the area (subdistrict, postcode) stay for the accounts and the producers' settlements, and the orders' tax
    documents stay as issued (buyer's name, address, tax ID encrypted) for the Revenue Code's five years."""
    erased = Order.objects.filter(user=user).update(
        customer_name=ERASED_NAME, phone="", email="", address_line1="", address_line2=""
    )
    return f"name, phone, e-mail and street address taken off {erased} order(s)"


def erase_contact(contact: Contact) -> str:
    """As `erase`, for the guest orders placed under the contact."""
    erased = _guest_orders(contact).update(
        customer_name=ERASED_NAME, phone="", email="", address_line1="", address_line2=""
    )
    return f"name, phone, e-mail and street address taken off {erased} guest order(s)"


FINISHED = (Order.Status.COMPLETED, Order.Status.CANCELLED, Order.Status.REFUNDED)


def _old_guest_orders(cutoff: datetime):
    """Finished orders placed without an account before the cutoff that still carry a name or contact."""
    return Order.objects.filter(user__isnull=True, status__in=FINISHED, placed_at__lt=cutoff).exclude(
        customer_name=ERASED_NAME, phone="", email="", address_line1="", address_line2=""
    )


def count_old_guest_orders(cutoff: datetime) -> int:
    return _old_guest_orders(cutoff).count()


def forget_old_guest_orders(cutoff: datetime) -> int:
    """Retention: the same fields as an erasure; goods, amounts, area and tax documents stay."""
    return _old_guest_orders(cutoff).update(
        customer_name=ERASED_NAME, phone="", email="", address_line1="", address_line2=""
    )


def register() -> None:
    register_personal_data(
        PersonalDataHandler(
            app="orders", export=export, erase=erase, export_contact=export_contact, erase_contact=erase_contact
        )
    )
    register_retention_target(
        RetentionTarget(
            key="guest_orders",
            label=_("Guest orders: name, phone, e-mail and street address"),
            keep_for=2,
            unit=YEARS,
            count=count_old_guest_orders,
            forget=forget_old_guest_orders,
        )
    )
