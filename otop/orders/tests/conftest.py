"""The shop the orders tests sell from: two listed products (with weights) in the online stock, PromptPay set up."""

import pytest
from django.core.cache import cache

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.search.tests.factories import listed_product


@pytest.fixture
def shop(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    # Weights make parcel delivery possible (the shipping app prices parcels by weight).
    silk = listed_product(name_th="ผ้าไหม", price="1250.50", sku="SILK-1", weight_grams=400)
    rice = listed_product(name_th="ข้าวหอมมะลิ", price="80.25", sku="RICE-1", weight_grams=1000)
    online = stock.location(Location.Code.ONLINE)
    inventory.receive_stock(variant=silk.variants.get(), location=online, quantity=3, actor=None)
    inventory.receive_stock(variant=rice.variants.get(), location=online, quantity=10, actor=None)
    return {"silk": silk, "rice": rice}
