from __future__ import annotations

from decimal import Decimal

from otop.catalog.models import Product, Variant
from otop.catalog.tests.factories import ProducerFactory, ProductFactory
from otop.geo.models import District
from otop.inventory.selectors import location
from otop.inventory.services import receive_stock
from otop.search.selectors import ranked_product_ids
from otop.search.services import index_products


def test_the_list_filters_and_pages_listed_products(client, db):
    other_district = ProducerFactory(district=District.objects.get(code="4005"))
    cheap = ProductFactory(sku="A-1", name_th="ข้าวหอมมะลิ", default_variant__price=Decimal("120.00"))
    dear = ProductFactory(sku="A-2", name_th="ผ้าไหม", producer=other_district)
    ProductFactory(sku="A-3", status=Product.Status.DRAFT)
    cheap_variant = Variant.objects.get(product=cheap)
    for code, quantity in (("shop", 3), ("backstore", 7), ("tea", 5)):
        receive_stock(variant=cheap_variant, location=location(code), quantity=quantity, actor=None)
    index_products(product_ids=Product.objects.values_list("pk", flat=True))  # on commit, outside tests

    body = client.get("/api/v1/products").json()
    assert (body["count"], [item["sku"] for item in body["items"]]) == (2, ["A-1", "A-2"])
    assert client.get("/api/v1/products?district=4005").json()["items"][0]["sku"] == "A-2"
    assert [i["sku"] for i in client.get("/api/v1/products?max_price=200").json()["items"]] == ["A-1"]
    assert [i["sku"] for i in client.get("/api/v1/products?min_price=200").json()["items"]] == ["A-2"]
    assert [i["sku"] for i in client.get("/api/v1/products?q=ข้าว").json()["items"]] == ["A-1"]
    assert [i["sku"] for i in client.get(f"/api/v1/products?producer={dear.producer_id}").json()["items"]] == ["A-2"]
    page = client.get("/api/v1/products?limit=1&offset=1").json()
    assert (page["count"], page["limit"], page["offset"], page["items"][0]["sku"]) == (2, 1, 1, "A-2")
    assert client.get("/api/v1/products?status=draft").json()["count"] == 2  # visitors see listed only
    item = body["items"][0]
    assert item["price"] == "120.00"
    assert item["story_url"] == f"http://testserver/products/{cheap.code}/"
    assert item["qr_url"] == f"http://testserver/p/{cheap.code}/qr.svg"
    assert item["availability"] == {"in_store": 3, "online": 10}


def test_a_text_query_answers_from_the_thai_search_in_relevance_order(client, client_for, db):
    food = ProducerFactory()
    in_description = ProductFactory(
        sku="S-2", name_th="น้ำพริกปลาร้า", description_th="กินกับไส้กรอกอีสานและข้าวเหนียว", producer=food
    )
    in_name = ProductFactory(sku="S-9", name_th="ไส้กรอกอีสาน สูตรดั้งเดิม", name_en="Isan sausage", producer=food)
    ProductFactory(sku="S-1", name_th="ผ้าไหมมัดหมี่", description_th="ทอมือ")
    draft = ProductFactory(sku="S-3", name_th="ไส้กรอกหมู", status=Product.Status.DRAFT)
    other_district = ProductFactory(
        sku="S-4", name_th="ไส้กรอกปลา", producer=ProducerFactory(district=District.objects.get(code="4005"))
    )
    index_products(product_ids=Product.objects.values_list("pk", flat=True))  # on commit, outside tests
    sku_of = dict(Product.objects.values_list("pk", "sku"))

    def skus(query, **params):
        body = client.get("/api/v1/products", {"q": query, **params}).json()
        return body["count"], [item["sku"] for item in body["items"]]

    # The order is the search's relevance order (a name match before a description match),
    # not the list's SKU order.
    count, ranked = skus("ไส้กรอก")
    by_search = [sku_of[pk] for pk, _score in ranked_product_ids("ไส้กรอก", limit=10)]
    assert (count, ranked) == (3, by_search)
    assert ranked != sorted(ranked)
    assert (sorted(ranked[:2]), ranked[2:]) == (["S-4", "S-9"], ["S-2"])
    assert skus("sai krok") == (3, ranked)
    assert skus("sai krok", limit=1) == (3, ranked[:1])
    assert skus("sai krok", limit=2, offset=1) == (3, ranked[1:])
    assert skus("ไส้กรอก", district="4005") == (1, ["S-4"])
    assert skus("ไส้กรอก", producer=food.pk) == (2, [sku for sku in ranked if sku in ("S-9", "S-2")])
    assert skus("ไส้กรอก", min_price="2000") == (0, [])
    assert skus("ไส้กรอก", status="draft") == (3, ranked)  # visitors see listed only
    assert skus("ม้าลาย") == (0, [])
    staff = client_for("staff").get("/api/v1/products", {"q": "ไส้กรอก", "status": "draft"}).json()
    assert [item["sku"] for item in staff["items"]] == [draft.sku]
    item = client.get("/api/v1/products", {"q": "Isan sausage"}).json()["items"][0]
    assert (item["sku"], item["name"], item["story_url"]) == (
        "S-9",
        in_name.name_th,
        f"http://testserver/products/{in_name.code}/",
    )
    assert item["availability"] == {"in_store": 0, "online": 0}
    assert (in_description.sku, other_district.sku) == ("S-2", "S-4")


def test_staff_may_list_drafts(client_for, db):
    ProductFactory(sku="A-3", status=Product.Status.DRAFT)
    body = client_for("staff").get("/api/v1/products?status=draft").json()
    assert [item["sku"] for item in body["items"]] == ["A-3"]


def test_one_product_by_sku_in_the_callers_language(client, db):
    product = ProductFactory(sku="KK-1", name_th="ผ้าไหม", name_en="Silk", story_en="<p>Hand<script>x</script></p>")
    Variant.objects.create(product=product, sku="KK-1-RED", price=Decimal("1600.00"), name_th="แดง", name_en="red")

    body = client.get("/api/v1/products/KK-1", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["name"], body["name_th"], body["story"]) == ("Silk", "ผ้าไหม", "<p>Hand</p>")
    assert body["category"] == {"code": "textiles", "name": "Textiles and apparel"}
    assert body["district"] == {"code": "4001", "name": "Mueang Khon Kaen"}
    assert [(v["sku"], v["name"], v["price"]) for v in body["variants"]] == [
        ("KK-1", "", "1500.00"),
        ("KK-1-RED", "red", "1600.00"),
    ]
    assert client.get("/api/v1/products/KK-1").json()["name"] == "ผ้าไหม"


def test_an_unknown_or_draft_product_answers_404_in_the_error_format(client, db):
    ProductFactory(sku="D-1", status=Product.Status.DRAFT)
    for sku in ("NOPE", "D-1"):
        response = client.get(f"/api/v1/products/{sku}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_the_list_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    for _ in range(15):
        ProductFactory()
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/products?limit=15").json()["items"]) == 15
