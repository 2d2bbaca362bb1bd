"""Reads of orders."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from otop.accounts.models import User
from otop.orders.models import CartLine, Order, OrderEvent


def _with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("province", "district", "subdistrict").prefetch_related(
        "lines", Prefetch("events", queryset=OrderEvent.objects.select_related("actor"))
    )


def order_by_number(*, number: str) -> Order | None:
    return _with_details(Order.objects.filter(number=number.strip().upper())).first()


def order_for_tracking(*, number: str, phone: str) -> Order | None:
    """The order with this number, only when the phone number given is the customer's."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not number or len(digits) < 9:
        return None
    return _with_details(Order.objects.filter(number=number.strip().upper(), phone=digits)).first()


def orders_for_staff(*, status: str = "") -> QuerySet[Order]:
    queryset = Order.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-placed_at")


def orders_of_user(*, user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).order_by("-placed_at")


def cart_quantities(*, user: User) -> dict[int, int]:
    """variant id → quantity of the account's cart."""
    return dict(CartLine.objects.filter(user=user).values_list("variant_id", "quantity"))
