"""The clock expires unpaid orders (orders/schedule.py)."""

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as orders
from otop.orders.models import Order
from otop.search.tests.factories import listed_product


def test_one_run_expires_an_unpaid_order_nobody_followed_and_frees_its_stock(db, capsys):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ผ้าไหม", sku="SILK-1")
    variant = product.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.ONLINE), quantity=1, actor=None)
    order = orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333", email=""),
        delivery_method="pickup",
    )
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert stock.available_quantities(variant_ids=[variant.pk]) == {variant.pk: 0}

    call_command("run_periodic", "--once")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert stock.available_quantities(variant_ids=[variant.pk]) == {variant.pk: 1}
    assert "unpaid orders expired: 1" in capsys.readouterr().out
