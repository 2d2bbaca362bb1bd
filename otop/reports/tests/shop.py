"""Selling through the real services of every channel, for the reports' tests (and the bench)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from otop.accounts.services import create_user
from otop.catalog.models import BasketComponent, Category, Product, Variant
from otop.catalog.tests.factories import ProductFactory
from otop.core.models import CenterProfile
from otop.geo.models import District, Province, Subdistrict
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.orders import services as orders
from otop.orders.models import Order
from otop.pos import selectors as pos_selectors
from otop.pos import services as pos
from otop.pos.models import Sale
from otop.pos.tests.factories import MenuItemFactory, RegisterFactory, TeaRegisterFactory
from otop.producers.models import Producer
from otop.producers.tests.factories import ProducerFactory
from otop.workspace import services as workspace
from otop.workspace.models import Booking
from otop.workspace.tests.factories import SpaceFactory

PIN = "246810"


def producer_in(district_index: int, **extra) -> Producer:
    """A producer in the n-th district of Khon Kaen (by code)."""
    province = Province.objects.get(name_th="ขอนแก่น")
    district = District.objects.filter(province=province).order_by("code")[district_index]
    subdistrict = Subdistrict.objects.filter(district=district).order_by("code").first()
    return ProducerFactory(
        province=province, district=district, subdistrict=subdistrict, postcode=subdistrict.postcode_list[0], **extra
    )


def product_of(producer: Producer, *, price: str, category: str = "textiles", **extra) -> Variant:
    product = ProductFactory(
        producer=producer, category=Category.objects.get(code=category), default_variant__price=Decimal(price), **extra
    )
    return product.variants.get()


def basket_of(producer: Producer, components: list[tuple[Variant, int]], *, price: str) -> Variant:
    variant = product_of(producer, price=price, category="souvenirs")
    Product.objects.filter(pk=variant.product_id).update(is_basket=True)
    for component, quantity in components:
        BasketComponent.objects.create(basket=variant.product, variant=component, quantity=quantity)
    return variant


class Shop:
    """A center with a counter, a tea corner, the web shop and a meeting room, selling for tests."""

    def __init__(self) -> None:
        CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
        cache.clear()
        suffix = secrets.token_hex(3)
        self.manager = create_user(username=f"boss-{suffix}", password="a-long-test-password", role="manager")
        self.cashier = create_user(username=f"till-{suffix}", password="a-long-test-password", role="cashier")
        pos.set_manager_pin(user=self.manager, pin=PIN)
        self.counter = RegisterFactory()
        self.tea = TeaRegisterFactory()
        self.menu_item = MenuItemFactory(register=self.tea, price=Decimal("45.00"))
        self.shifts = {}
        self.numbers = {}
        for register in (self.counter, self.tea):
            self.shifts[register.pk] = pos.open_shift(register=register, actor=self.cashier, starting_cash=Decimal("0"))
            block = pos.reserve_number_block(register=register, device_id=f"d-{register.code}", actor=self.cashier)
            self.numbers[register.pk] = iter(range(block.blocks[0].first_number, block.blocks[0].last_number + 1))
        self.room = SpaceFactory()

    def stock(self, variant: Variant, quantity: int = 1000) -> None:
        for code in ("shop", "online", "tea"):
            stock_services.receive_stock(
                variant=variant, location=stock_selectors.location(code), quantity=quantity, actor=None
            )

    def till_sale(
        self,
        lines: list[tuple[Variant | None, int, Decimal]],
        *,
        bill_discount: Decimal = Decimal("0.00"),
        tea: bool = False,
        sold_at: datetime | None = None,
    ) -> Sale:
        """lines: (variant or None for the tea menu item, quantity, line discount)."""
        # The menu is the tea corner's only.
        register = self.tea if tea or any(variant is None for variant, _q, _d in lines) else self.counter
        inputs = []
        total = Decimal("0.00")
        for variant, quantity, discount in lines:
            price = variant.price if variant is not None else self.menu_item.price
            inputs.append(
                pos.LineInput(
                    variant_id=variant.pk if variant is not None else None,
                    menu_item_id=None if variant is not None else self.menu_item.pk,
                    quantity=quantity,
                    unit_price=price,
                    discount=discount,
                )
            )
            total += price * quantity - discount
        total -= bill_discount
        data = pos.SaleInput(
            device_sale_id=uuid.uuid4(),
            shift_id=self.shifts[register.pk].pk,
            receipt_number=next(self.numbers[register.pk]),
            lines=inputs,
            payments=[pos.PaymentInput(method="cash", amount=total, tendered=total)],
            bill_discount=bill_discount,
            approval_pin=PIN,
            sold_at=sold_at,
            recorded_offline=sold_at is not None,
        )
        return pos.record_sale(register=register, actor=self.cashier, data=data).sale

    def void(self, sale: Sale, *, now: datetime | None = None) -> None:
        pos.void_sale(sale=sale, reason="ลูกค้าเปลี่ยนใจ", manager_pin=PIN, actor=self.cashier, now=now)

    def partial_refund(self, sale: Sale, units: list[tuple[int, int]], *, now: datetime | None = None) -> bool:
        """Bring back units of lines (by position from 0, wrapping) of a completed sale, at most what is left of
        each; False when nothing could be brought back (the sale is no longer completed, or nothing is left)."""
        sale = Sale.objects.get(pk=sale.pk)
        if sale.status != Sale.Status.COMPLETED:
            return False
        lines = list(sale.lines.order_by("position"))
        left = {line.pk: line.quantity - returned for line, returned in
                ((line, pos_selectors.returned_quantities(sale).get(line.pk, 0)) for line in lines)}  # fmt: skip
        wanted: dict[int, int] = {}
        for index, quantity in units:
            line = lines[index % len(lines)]
            wanted[line.pk] = min(wanted.get(line.pk, 0) + quantity, left[line.pk])
        returned = [pos.ReturnedUnits(line_id=pk, quantity=quantity) for pk, quantity in wanted.items() if quantity]
        if not returned:
            return False
        pos.refund_sale_lines(sale=sale, lines=returned, reason="ชำรุด", manager_pin=PIN, actor=self.cashier, now=now)
        return True

    def order(self, items: list[tuple[Variant, int]], *, channel: str = "web", now: datetime | None = None) -> Order:
        order = orders.place_order(
            items=[(variant.sku, quantity) for variant, quantity in items],
            customer=orders.CustomerDetails(name="ลูกค้า ทดสอบ", phone="0812223333", email="c@example.com"),
            delivery_method="pickup",
            channel=channel,
            now=now,
        )
        return orders.change_status(order=order, to_status="paid", actor=self.manager, now=now)

    def refund(self, order: Order, *, now: datetime | None = None) -> Order:
        return orders.change_status(order=order, to_status="refunded", actor=self.manager, note="คืนเงิน", now=now)

    def room_payment(self, amount: Decimal) -> Booking:
        starts = timezone.now() + timedelta(days=30 + Booking.objects.count())
        booking = Booking.objects.create(
            space=self.room, reference=f"B{secrets.token_hex(4)}", token=secrets.token_hex(16), starts_at=starts,
            ends_at=starts + timedelta(hours=2), occupied_until=starts + timedelta(hours=2), name="ผู้จอง",
            phone="0812223333", price_per_hour=amount / 2, amount_due=amount,
        )  # fmt: skip
        workspace.record_booking_payment(booking=booking, method="cash", amount=amount, actor=self.manager)
        return booking
