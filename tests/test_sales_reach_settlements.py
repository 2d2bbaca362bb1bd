"""A web order paid online and a sale at the counter both reach the producer's monthly statement."""

import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import SoldItem
from otop.orders import services as orders
from otop.pos import services as pos
from otop.pos.tests.factories import RegisterFactory
from otop.search.tests.factories import listed_product

pytestmark = pytest.mark.django_db


def test_web_and_counter_sales_of_one_product_settle_together(make_user):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678", default_commission_percent=Decimal("20.00"))
    cache.clear()
    product = listed_product(name_th="ผ้าไหมมัดหมี่", price="1200.00", sku="SILK-9")
    variant = product.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location("shop"), quantity=5, actor=None)

    order = orders.place_order(
        items=[("SILK-9", 2)],
        customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333", email="c@example.com"),
        delivery_method="pickup",
    )
    staff = make_user("staff")
    orders.confirm_promptpay_payment(order=order, actor=staff)

    register = RegisterFactory()
    cashier = make_user("cashier")
    shift = pos.open_shift(register=register, actor=cashier, starting_cash=Decimal("0.00"))
    first_number = pos.reserve_number_block(register=register, device_id="till-1", actor=cashier).blocks[0].first_number
    pos.record_sale(
        register=register,
        actor=cashier,
        data=pos.SaleInput(
            device_sale_id=uuid.uuid4(),
            shift_id=shift.pk,
            receipt_number=first_number,
            lines=[pos.LineInput(variant_id=variant.pk, quantity=1, unit_price=variant.price)],
            payments=[pos.PaymentInput(method="cash", amount=Decimal("1200.00"), tendered=Decimal("1200.00"))],
            recorded_offline=False,
        ),
    )

    sold = SoldItem.objects.filter(variant=variant, kind="sale").order_by("channel")
    assert [(s.channel, s.quantity, s.unit_price) for s in sold] == [
        ("counter", 1, Decimal("1200.00")),
        ("web", 2, Decimal("1200.00")),
    ]
    assert stock.on_hand(variant_id=variant.pk, location_code="shop") == 2

    statement = inventory.create_settlement(producer=product.producer, period_start=timezone.localdate().replace(day=1))
    assert statement.units_sold == 3
    assert statement.gross_sales == Decimal("3600.00")
    assert statement.commission == Decimal("720.00")
    assert statement.net_payable == Decimal("2880.00")
