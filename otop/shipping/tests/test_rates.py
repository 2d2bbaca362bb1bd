from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.utils import translation

from otop.catalog.models import BasketComponent
from otop.orders import services as orders
from otop.orders.errors import InvalidOrder
from otop.orders.models import Order
from otop.search.tests.factories import listed_product
from otop.shipping.carriers import flash
from otop.shipping.errors import MissingParcelFacts
from otop.shipping.models import RemoteArea, Shipment, ShippingSettings
from otop.shipping.rates import quotes_for_items

ADDRESS = orders.AddressDetails(
    line1="99 ถนนมิตรภาพ", subdistrict="Nai Mueang", district="เมืองขอนแก่น", province="Khon Kaen", postcode="40000"
)
CUSTOMER = orders.CustomerDetails(name="สมชาย ใจดี", phone="0812223333")


def _items(shop, **quantities):
    return [(shop[name].variants.get(), quantity) for name, quantity in quantities.items()]


def test_flash_signature_matches_a_hand_computed_vector():
    params = {"mchId": "AA0001", "nonceStr": "1700000000000", "outTradeNo": "OTOP25690001", "weight": "1200"}
    # sha256("mchId=AA0001&nonceStr=1700000000000&outTradeNo=OTOP25690001&weight=1200&key=secret-key-123")
    expected = "66853D861F21B205B69459BA258D0A39B831FB82B06EB72F4446F89537998C51"
    assert flash.signature(params, "secret-key-123") == expected
    # Blank values and the sign itself are not signed; the order of the parameters does not matter.
    noisy = {"weight": "1200", "remark": " \t", "sign": "X", "outTradeNo": "OTOP25690001", **params}
    assert flash.signature(noisy, "secret-key-123") == expected


def test_quotes_come_from_the_weight_bands_cheapest_first(shop, van):
    # 400 g + 2 × 1000 g of goods in box ก (60 g) = 2460 g
    quotes = quotes_for_items(items=_items(shop, silk=1, rice=2), postcode="40000", subtotal=Decimal("1411.00"))
    assert [(q.option, q.fee) for q in quotes] == [
        ("van:sameday", Decimal("45.00")),
        ("thailandpost:registered", Decimal("50.00")),
        ("thailandpost:ems", Decimal("122.00")),
    ]
    assert quotes[1].cod_fee == Decimal("0.00") and quotes[0].cod_fee is None
    assert (quotes[2].days_min, quotes[2].days_max) == (1, 3)


def test_a_remote_postcode_adds_its_surcharge_and_free_delivery_applies_from_the_threshold(shop, van):
    RemoteArea.objects.create(carrier=van.carrier, postcode="40000", surcharge=Decimal("30.00"))
    quotes = quotes_for_items(items=_items(shop, silk=1), postcode="40000", subtotal=Decimal("1250.50"))
    assert {q.option: q.fee for q in quotes}["van:sameday"] == Decimal("75.00")
    ShippingSettings.objects.update(free_delivery_from=Decimal("1000.00"))
    quotes = quotes_for_items(items=_items(shop, silk=1), postcode="40000", subtotal=Decimal("1250.50"))
    assert {q.fee for q in quotes} == {Decimal("0.00")}


def test_a_gift_basket_without_its_own_weight_weighs_the_sum_of_its_parts(shop):
    basket = listed_product(name_th="กระเช้าของขวัญ", price="900.00", sku="BASKET-1", is_basket=True)
    BasketComponent.objects.create(basket=basket, variant=shop["silk"].variants.get(), quantity=1)
    BasketComponent.objects.create(basket=basket, variant=shop["rice"].variants.get(), quantity=2)
    quotes = quotes_for_items(items=[(basket.variants.get(), 1)], postcode="40000", subtotal=Decimal("900"))
    # 2400 g of parts + box ก 60 g: registered ≤ 3 kg 50.00, EMS ≤ 2.5 kg 122.00
    assert [q.fee for q in quotes] == [Decimal("50.00"), Decimal("122.00")]
    basket.weight_grams = 800
    basket.save(update_fields=["weight_grams"])
    quotes = quotes_for_items(items=[(basket.variants.get(), 1)], postcode="40000", subtotal=Decimal("900"))
    assert [q.fee for q in quotes] == [Decimal("20.00"), Decimal("67.00")]


def test_goods_without_a_weight_are_refused_parcel_delivery_in_thai_and_nothing_is_placed(shop):
    with pytest.raises(MissingParcelFacts):
        quotes_for_items(items=_items(shop, unweighed=1), postcode="40000", subtotal=Decimal("50"))
    with translation.override("th"), pytest.raises(InvalidOrder) as refused:
        orders.place_order(
            items=[("CLOTH-1", 1), ("SILK-1", 1)], customer=CUSTOMER, delivery_method="parcel", address=ADDRESS
        )
    assert "ยังส่งพัสดุไม่ได้" in refused.value.fields["delivery.option"][0]
    assert "ผ้าเช็ดหน้า" in refused.value.fields["delivery.option"][0]
    assert not Order.objects.exists() and not Shipment.objects.exists()
    # Pickup needs no weight.
    order = orders.place_order(items=[("CLOTH-1", 1)], customer=CUSTOMER, delivery_method="pickup")
    assert order.delivery_fee == Decimal("0.00") and not Shipment.objects.exists()


def test_an_order_is_charged_the_chosen_service_fee_worked_out_on_the_server(shop, van):
    order = orders.place_order(
        items=[("SILK-1", 1), ("RICE-1", 2)],
        customer=CUSTOMER,
        delivery_method="parcel",
        address=ADDRESS,
        delivery_option="thailandpost:ems",
    )
    assert order.delivery_fee == Decimal("122.00")
    assert order.total == Decimal("1533.00")
    shipment = order.shipment
    assert (shipment.service.option, shipment.fee, shipment.weight_grams) == (
        "thailandpost:ems",
        Decimal("122.00"),
        2460,
    )
    assert shipment.box.name == "ก"


def test_an_option_not_offered_is_refused_and_changes_nothing(shop, van):
    with pytest.raises(InvalidOrder) as refused:
        orders.place_order(
            items=[("SILK-1", 1)],
            customer=CUSTOMER,
            delivery_method="parcel",
            address=ADDRESS,
            delivery_option="kerry:express",
        )
    assert "delivery.option" in refused.value.fields
    assert not Order.objects.exists() and not Shipment.objects.exists()


def test_flash_is_quoted_through_its_signed_api(shop, fake_flash):
    fake_flash.price_satang = 3850
    quotes = quotes_for_items(items=_items(shop, silk=1), postcode="40000", subtotal=Decimal("1250.50"))
    assert {q.option: q.fee for q in quotes}["flash:standard"] == Decimal("38.50")
    path, params = fake_flash.requests[-1]
    assert path == "/open/v1/orders/estimate_rate"
    assert params["weight"] == "460" and params["dstPostalCode"] == "40000"
    assert params["sign"] == flash.signature(params, fake_flash.key)


@pytest.mark.parametrize("mode", ["down", "slow"])
def test_a_carrier_that_is_down_or_slow_is_left_out_of_the_quotes(shop, fake_flash, mode):
    fake_flash.mode = mode
    started = time.monotonic()
    quotes = quotes_for_items(items=_items(shop, silk=1), postcode="40000", subtotal=Decimal("1250.50"))
    assert time.monotonic() - started < 2.9
    assert [q.option for q in quotes] == ["thailandpost:registered", "thailandpost:ems"]


def test_a_wrong_flash_key_leaves_flash_out(shop, fake_flash, settings):
    settings.FLASH_API_KEY = "not-the-key"
    quotes = quotes_for_items(items=_items(shop, silk=1), postcode="40000", subtotal=Decimal("1250.50"))
    assert "flash:standard" not in [q.option for q in quotes]
