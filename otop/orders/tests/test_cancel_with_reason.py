"""Cancelling or refunding an order cannot be undone: staff give a reason and confirm; the reason is in the order's
events and the customer's e-mail. A cancel without them changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, Reservation
from otop.notifications.models import OutboundMessage
from otop.orders import services
from otop.orders.models import Order
from otop.search.tests.factories import listed_product


@pytest.fixture
def order(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ผ้าไหม", price="100.00", sku="SILK-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )
    return services.place_order(
        items=[("SILK-1", 2)],
        customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333", email="c@example.com"),
        delivery_method="pickup",
    )


def status_url(order):
    return f"/orders/{order.number}/status/"


@pytest.mark.parametrize(
    "data",
    [
        {"status": "cancelled"},
        {"status": "cancelled", "note": "ลูกค้าขอยกเลิก"},
        {"status": "cancelled", "confirm": "yes"},
        {"status": "cancelled", "note": "   ", "confirm": "yes"},
    ],
)
def test_a_cancel_without_reason_and_confirmation_changes_nothing(order, client_for, data):
    mails = OutboundMessage.objects.count()
    response = client_for("staff").post(status_url(order), data, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.events.count() == 1
    assert Reservation.objects.get(reference=order.number).status != "released"
    assert OutboundMessage.objects.count() == mails
    assert "เหตุผล" in response.content.decode()


def test_a_cancel_with_reason_and_confirmation_records_and_mails_the_reason(order, client_for):
    detail = client_for("staff").get(f"/orders/{order.number}/").content.decode()
    assert 'name="confirm"' in detail and 'id="irreversible-cancelled"' in detail
    assert '<option value="cancelled"' not in detail  # no longer one click in the next-step list
    client_for("staff").post(status_url(order), {"status": "cancelled", "note": "สินค้าชำรุด ขออภัย", "confirm": "yes"})
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.events.latest("at").note == "สินค้าชำรุด ขออภัย"
    mail = OutboundMessage.objects.filter(recipient="c@example.com").latest("pk")
    assert "สินค้าชำรุด ขออภัย" in mail.body
