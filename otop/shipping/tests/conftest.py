"""A shop with weighed goods, Thailand Post on (its default bands) and a table-rate van carrier."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as orders
from otop.search.tests.factories import listed_product
from otop.shipping.models import Carrier, RateBand, Service
from otop.shipping.tests.fake_flash import FakeFlash
from otop.shipping.tests.fake_thailandpost import FakeThailandPost


@pytest.fixture
def shop(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    silk = listed_product(name_th="ผ้าไหม", price="1250.50", sku="SILK-1", weight_grams=400)
    rice = listed_product(name_th="ข้าวหอมมะลิ", price="80.25", sku="RICE-1", weight_grams=1000)
    light = listed_product(name_th="ผ้าเช็ดหน้า", price="50.00", sku="CLOTH-1", weight_grams=None)
    online = stock.location(Location.Code.ONLINE)
    for product in (silk, rice, light):
        inventory.receive_stock(variant=product.variants.get(), location=online, quantity=10, actor=None)
    return {"silk": silk, "rice": rice, "unweighed": light}


@pytest.fixture
def van(db):
    carrier = Carrier.objects.create(
        code="van", kind=Carrier.Kind.TABLE, name_th="รถตู้ส่งของ", name_en="Local van", is_enabled=True
    )
    service = Service.objects.create(
        carrier=carrier, code="sameday", name_th="ส่งวันนี้", name_en="Same day", days_min=0, days_max=1
    )
    RateBand.objects.create(service=service, up_to_grams=5000, fee=Decimal("45.00"))
    RateBand.objects.create(service=service, up_to_grams=15000, fee=Decimal("90.00"))
    return service


@pytest.fixture
def fake_flash(settings, db):
    with FakeFlash() as fake:
        settings.FLASH_API_BASE_URL = fake.url
        settings.FLASH_MCH_ID = fake.mch_id
        settings.FLASH_API_KEY = fake.key
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        Carrier.objects.filter(code="flash").update(is_enabled=True)
        yield fake


@pytest.fixture
def fake_thailandpost(settings, db):
    with FakeThailandPost() as fake:
        settings.THAILANDPOST_TRACK_API_BASE_URL = fake.url
        settings.THAILANDPOST_TRACK_TOKEN = fake.static_token
        yield fake


@pytest.fixture
def paid_parcel(shop):
    """A paid parcel order of one silk and two rice, by the option given (Thailand Post EMS by default)."""

    def make(option: str = "thailandpost:ems", email: str = "buyer@example.com"):
        order = orders.place_order(
            items=[("SILK-1", 1), ("RICE-1", 2)],
            customer=orders.CustomerDetails(name="สมชาย ใจดี", phone="0812223333", email=email),
            delivery_method="parcel",
            address=orders.AddressDetails(
                line1="99 ถนนมิตรภาพ",
                subdistrict="Nai Mueang",
                district="เมืองขอนแก่น",
                province="Khon Kaen",
                postcode="40000",
            ),
            delivery_option=option,
        )
        return orders.confirm_promptpay_payment(order=order, actor=None)

    return make
