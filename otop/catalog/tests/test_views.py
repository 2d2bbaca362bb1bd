from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from otop.catalog.models import BasketComponent, Category, Product, Variant
from otop.catalog.tests.factories import ProducerFactory, ProductFactory


def test_staff_create_a_product_and_edit_its_story(client_for, db):
    client = client_for("staff")
    producer = ProducerFactory()
    response = client.post(
        "/backoffice/catalog/products/new/",
        {
            "sku": "NEW-1", "name_th": "ชาใบหม่อน", "name_en": "Mulberry tea",
            "category": Category.objects.get(code="food").pk,
            "producer": producer.pk, "status": "listed", "price": "120.00", "barcode": "",
        },
    )  # fmt: skip
    product = Product.objects.get(sku="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/catalog/products/{product.pk}/"
    assert Variant.objects.get(product=product).price == Decimal("120.00")

    data = {
        "name_th": "ชาใบหม่อน", "name_en": "Mulberry tea", "category": product.category_id, "producer": producer.pk,
        "status": "listed", "price": "130.00", "barcode": "", "story_th": "<p>ปลูกเอง<script>x()</script></p>",
    }  # fmt: skip
    assert client.post(f"/backoffice/catalog/products/{product.pk}/", data).status_code == 302
    product.refresh_from_db()
    assert product.story_th == "<p>ปลูกเอง</p>"
    assert Variant.objects.get(product=product).price == Decimal("130.00")


def test_a_wrong_barcode_in_the_form_is_refused_and_changes_nothing(client_for, db):
    product = ProductFactory()
    before = Variant.objects.get(product=product).barcode
    data = {
        "name_th": "ใหม่", "category": product.category_id, "producer": product.producer_id, "status": "listed",
        "price": "1.00", "barcode": "8850000000011",
    }  # fmt: skip
    response = client_for("staff").post(f"/backoffice/catalog/products/{product.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["barcode"] == ["เลขตรวจสอบของบาร์โค้ด 8850000000011 ไม่ถูกต้อง"]
    product.refresh_from_db()
    assert product.name_th == "ผ้าไหมมัดหมี่"
    assert Variant.objects.get(product=product).barcode == before


def test_the_labels_page_returns_an_a4_pdf(client_for, db):
    product = ProductFactory()
    response = client_for("staff").post(
        "/backoffice/catalog/labels/", {"skus": product.sku, "layout": "2x5", "copies": "2"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    refused = client_for("staff").post("/backoffice/catalog/labels/", {"skus": "NOPE", "layout": "2x5", "copies": 1})
    assert refused.status_code == 400


def test_uploading_a_bad_csv_shows_every_problem_and_saves_nothing(client_for, db):
    upload = SimpleUploadedFile(
        "c.csv", "sku,name_th,category,price,producer,district\nX-1,,food,1,กลุ่ม,ชนบท\nX-2,ก,nope,1,กลุ่ม,ชนบท\n".encode()
    )
    response = client_for("staff").post(
        "/en/backoffice/catalog/import/", {"file": upload, "stock_location": "backstore"}
    )
    assert response.status_code == 400
    assert [(p.line, p.message()) for p in response.context["report"].problems] == [
        (2, "“name_th” is required."),
        (3, "Unknown category “nope”."),
    ]
    assert not Product.objects.exists()


def test_the_basket_builder_adds_components_with_htmx(client_for, db):
    client = client_for("staff")
    producer = ProducerFactory()
    client.post(
        "/backoffice/catalog/baskets/",
        {"sku": "GB-1", "name_th": "กระเช้า", "price": "990.00", "producer": producer.pk},
    )
    basket = Product.objects.get(sku="GB-1")
    assert (basket.is_basket, basket.status) == (True, Product.Status.DRAFT)
    rice = ProductFactory()
    response = client.post(
        f"/backoffice/catalog/baskets/{basket.pk}/", {"variant": rice.sku, "quantity": 2}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="basket-builder">')
    assert list(BasketComponent.objects.values_list("variant__sku", "quantity")) == [(rice.sku, 2)]
    refused = client.post(f"/backoffice/catalog/baskets/{basket.pk}/", {"variant": "GB-1", "quantity": 1})
    assert refused.status_code == 400
    assert BasketComponent.objects.count() == 1


def test_the_producers_public_page_lists_only_their_listed_products(client, db):
    producer = ProducerFactory(name_th="กลุ่มจักสาน")
    textiles = Category.objects.get(code="textiles")
    Product.objects.create(code="x1", sku="x1", name_th="กระติบข้าว", category=textiles, producer=producer,
                           status=Product.Status.LISTED)  # fmt: skip
    Product.objects.create(code="x2", sku="x2", name_th="ร่าง", category=textiles, producer=producer)
    response = client.get(f"/producers/{producer.pk}/")
    (products,) = [section.context["products"] for section in response.context["sections"]]
    assert [p.name_th for p in products] == ["กระติบข้าว"]
    assert "กระติบข้าว" in response.content.decode()
    assert "ร่าง" not in response.content.decode()


def test_the_labels_page_says_which_address_the_codes_carry_and_warns_about_loopback(client_for, db, settings):
    settings.SITE_URL = "http://127.0.0.1:8100"
    page = client_for("staff").get("/en/backoffice/catalog/labels/").content.decode()
    assert "<b>http://127.0.0.1:8100</b>" in page
    assert 'role="alert"' in page and "a customer's phone cannot" in page
    settings.SITE_URL = "https://otop-khonkaen.example"
    page = client_for("staff").get("/en/backoffice/catalog/labels/").content.decode()
    assert "<b>https://otop-khonkaen.example</b>" in page
    assert 'role="alert"' not in page
