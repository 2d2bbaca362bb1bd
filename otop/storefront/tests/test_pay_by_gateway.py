"""A customer pays a waiting order with an e-wallet through the gateway: sent to the gateway, back to the
tracking page, where the charge is fetched from the gateway (never taken from the address) and the order paid."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from django.test import Client

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import selectors as order_selectors
from otop.orders import services as order_services
from otop.orders.models import Order
from otop.payments.models import Payment
from otop.payments.tests.fake_gateway import FakeGateway, gateway_settings
from otop.search.tests.factories import listed_product


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        gateway_settings(settings, fake)
        yield fake


@pytest.fixture
def order(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ผ้าไหม", price="450.00", sku="SILK-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )
    return order_services.place_order(
        items=[("SILK-1", 1)],
        customer=order_services.CustomerDetails(name="ลูกค้า", phone="0812223333"),
        delivery_method="pickup",
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_an_e_wallet_payment_goes_to_the_gateway_and_back_paid(gateway, order):
    client = Client()
    track = f"/en/orders/track/{order.number}/{order_selectors.tracking_token(order.number)}/"
    page = client.get(track)
    assert b"truemoney_jumpapp" in page.content
    answer = client.post(track + "pay/", {"source": "truemoney_jumpapp"})
    # A page that moves on to the gateway by itself (a redirect would break the CSP's form-action 'self').
    assert answer.status_code == 200
    authorize_uri = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', answer.content.decode())[1]
    assert authorize_uri.startswith(gateway.base_url + "/authorize/")
    assert f'href="{authorize_uri}"'.encode() in answer.content
    charge_id = authorize_uri.rsplit("/", 1)[1]
    assert gateway.state.charges[charge_id]["source"] == {"type": "truemoney_jumpapp"}
    # Coming back before the wallet confirmed: the gateway says pending, nothing changes.
    client.get(track + "?paid=gateway")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    # The buyer confirms in the wallet; the gateway sends them back to the tracking page.
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(authorize_uri)
    back = redirected.value.headers["Location"]
    assert back.endswith(track + "?paid=gateway")
    page = client.get(back.removeprefix("http://testserver"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.get(method=Payment.Method.CARD).status == Payment.Status.CONFIRMED


def test_unknown_sources_and_paid_orders_are_refused(gateway, order):
    client = Client()
    track = f"/en/orders/track/{order.number}/{order_selectors.tracking_token(order.number)}/"
    assert client.post(track + "pay/", {"source": "bitcoin"}).status_code == 302
    assert not gateway.state.charges
    assert (
        client.post(f"/en/orders/track/{order.number}/forged/pay/", {"source": "truemoney_jumpapp"}).status_code == 404
    )
    order_services.confirm_promptpay_payment(order=order, actor=None)
    client.post(track + "pay/", {"source": "truemoney_jumpapp"})
    assert not gateway.state.charges
