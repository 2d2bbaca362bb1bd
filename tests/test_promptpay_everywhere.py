"""A PromptPay QR for a web order, a till sale and a room booking comes from the same function."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as orders
from otop.payments import services as payment_services
from otop.payments.promptpay import parse_payload
from otop.search.tests.factories import listed_product
from otop.workspace.services import create_booking
from otop.workspace.tests.factories import SpaceFactory


def test_the_web_the_till_and_the_meeting_room_ask_one_function(db, monkeypatch, client_for):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    asked: list[Decimal] = []
    original = payment_services.promptpay_qr

    def spy(amount, **options):
        asked.append(Decimal(amount))
        return original(amount, **options)

    monkeypatch.setattr(payment_services, "promptpay_qr", spy)

    product = listed_product(name_th="ผ้าไหม", sku="SILK-1", price="350.00")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=1, actor=None
    )
    order = orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333"),
        delivery_method="pickup",
    )
    assert parse_payload(order.payments.get().payload).amount == Decimal("350.00")

    till = client_for("cashier").get("/api/v1/pos/promptpay?amount=45.50")
    assert till.status_code == 200 and parse_payload(till.json()["payload"]).amount == Decimal("45.50")

    day = timezone.localdate() + timedelta(days=7)
    starts_at = timezone.make_aware(datetime.combine(day, time(10)))
    booking = create_booking(
        space=SpaceFactory(price_per_hour=Decimal("300.00")),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        name="ผู้จอง",
        phone="0812345678",
    )
    page = client_for("customer").get(reverse("workspace:booking", kwargs={"token": booking.token}))
    assert page.status_code == 200 and "<svg" in page.content.decode()

    assert asked == [Decimal("350.00"), Decimal("45.50"), Decimal("600.00")]
