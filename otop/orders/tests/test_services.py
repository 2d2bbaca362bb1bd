from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, Reservation, SoldItem, StockMove
from otop.notifications.models import OutboundMessage
from otop.orders import services
from otop.orders.errors import TransitionNotAllowed
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


def test_unpaid_order_expires_and_its_stock_goes_back_on_sale(order):
    variant_id = order.lines.get().variant_id
    assert stock.available_quantities(variant_ids=[variant_id]) == {variant_id: 0}
    assert services.expire_overdue_orders(now=timezone.now() + timedelta(minutes=29)) == 0
    assert services.expire_overdue_orders(now=timezone.now() + timedelta(minutes=31)) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert Reservation.objects.get(reference=order.number).status == "released"
    assert stock.available_quantities(variant_ids=[variant_id]) == {variant_id: 2}
    assert order.payments.get().status == "cancelled"


def test_transitions_follow_the_mapping_and_refusals_change_nothing(order, make_user):
    staff = make_user("staff")
    with pytest.raises(TransitionNotAllowed):
        services.change_status(order=order, to_status=Order.Status.SHIPPED, actor=staff)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and order.events.count() == 1
    services.confirm_promptpay_payment(order=order, actor=staff)
    services.change_status(order=order, to_status=Order.Status.PACKED, actor=staff)
    services.change_status(order=order, to_status=Order.Status.READY_FOR_PICKUP, actor=staff)
    services.change_status(order=order, to_status=Order.Status.COMPLETED, actor=staff)
    assert list(order.events.values_list("to_status", "actor__username")) == [
        ("pending_payment", None),
        ("paid", staff.username),
        ("packed", staff.username),
        ("ready_for_pickup", staff.username),
        ("completed", staff.username),
    ]


def test_customer_gets_e_mails_in_thai_after_commit(db, django_capture_on_commit_callbacks):

    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ผ้าไหม", price="100.00", sku="SILK-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )
    with django_capture_on_commit_callbacks() as callbacks:
        order = services.place_order(
            items=[("SILK-1", 1)],
            customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333", email="c@example.com"),
            delivery_method="pickup",
        )
    message = OutboundMessage.objects.get()
    assert message.subject == f"ได้รับคำสั่งซื้อ {order.number} แล้ว"
    assert len(callbacks) >= 1


def test_a_refund_before_sending_puts_the_goods_back_and_takes_the_lines_out_of_settlements(order, make_user):

    staff = make_user("staff")
    variant_id = order.lines.get().variant_id
    services.confirm_promptpay_payment(order=order, actor=staff)
    services.change_status(order=order, to_status=Order.Status.PACKED, actor=staff)
    assert stock.on_hand(variant_id=variant_id, location_code=Location.Code.ONLINE) == 0

    services.change_status(order=order, to_status=Order.Status.REFUNDED, actor=staff, note="ลูกค้าเปลี่ยนใจ")
    assert stock.on_hand(variant_id=variant_id, location_code=Location.Code.ONLINE) == 2
    assert stock.available_quantities(variant_ids=[variant_id]) == {variant_id: 2}
    back = StockMove.objects.get(reference=f"order:{order.number}")
    assert (back.reason, back.quantity, back.to_location.code) == ("return_to_shelf", 2, Location.Code.ONLINE)
    sold = SoldItem.objects.filter(reference=f"order:{order.number}")
    assert sorted((item.kind, item.quantity, str(item.amount)) for item in sold) == [
        ("return", 2, "200.00"),
        ("sale", 2, "200.00"),
    ]


def test_a_refund_after_shipping_leaves_stock_alone_until_the_parcel_comes_back(order, make_user):

    staff = make_user("staff")
    variant_id = order.lines.get().variant_id
    services.confirm_promptpay_payment(order=order, actor=staff)
    services.change_status(order=order, to_status=Order.Status.PACKED, actor=staff)
    services.change_status(order=order, to_status=Order.Status.SHIPPED, actor=staff)
    services.change_status(order=order, to_status=Order.Status.REFUNDED, actor=staff)
    assert stock.on_hand(variant_id=variant_id, location_code=Location.Code.ONLINE) == 0
    assert not StockMove.objects.filter(reference=f"order:{order.number}").exists()
    assert SoldItem.objects.filter(reference=f"order:{order.number}", kind="return").count() == 1
