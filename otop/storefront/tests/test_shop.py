import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as order_services
from otop.orders.models import CartLine
from otop.orders.selectors import tracking_token
from otop.search.tests.factories import listed_product
from tests.role_matrix import assert_answer, matrix_cases


@pytest.fixture
def catalogue(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    products = [listed_product(name_th=f"ผ้าไหม ลาย {n}", name_en=f"Silk {n}", sku=f"S-{n}") for n in range(12)]
    online = stock.location(Location.Code.ONLINE)
    for product in products[:3]:
        inventory.receive_stock(variant=product.variants.get(), location=online, quantity=2, actor=None)
    return products


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/", "storefront/home.html"),
        ("/categories/food/", "storefront/listing.html"),
        ("/districts/4001/", "storefront/listing.html"),
        ("/search/?q=ผ้าไหม", "storefront/search.html"),
        ("/en/search/?q=silk", "storefront/search.html"),
    ],
)
def test_public_pages_use_a_fixed_number_of_queries(client, catalogue, path, template):
    client.get(path)  # warm the per-process caches (center profile, dictionary)
    with CaptureQueriesContext(connection) as few:
        response = client.get(path)
    assert response.status_code == 200
    assert response.templates[0].name == template
    listed_product(name_th="ผ้าไหม ลาย เพิ่ม", name_en="Silk more", sku="S-more")
    client.get(path)  # the search reloads its vocabulary once after the index changed
    with CaptureQueriesContext(connection) as more:
        client.get(path)
    assert len(more) == len(few) <= 12


def test_search_results_show_the_products_in_thai(client, catalogue):
    html = client.get("/search/?q=ผ้าไหม").content.decode()
    assert html.count('class="product-card"') == 12
    assert "ผ้าไหม ลาย 0" in html


def test_cart_add_is_capped_by_stock_and_remembered_in_the_account(client, catalogue, make_user):
    variant = catalogue[0].variants.get()
    response = client.post("/cart/add/", {"variant": variant.pk, "quantity": 5}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "มีสินค้าเพียง 2 ชิ้น" in response.content.decode()
    assert client.session["cart"] == {str(variant.pk): 2}
    user = make_user("customer")
    client.force_login(user)
    client.get("/cart/")
    assert list(CartLine.objects.filter(user=user).values_list("variant_id", "quantity")) == [(variant.pk, 2)]


def test_the_header_counts_the_account_cart_once_signed_in(client, catalogue, make_user):
    def header_count():
        html = client.get("/search/").content.decode()
        return html.split('id="cart-count">')[1].split("<")[0]

    assert header_count() == "0"
    client.post("/cart/add/", {"variant": catalogue[0].variants.get().pk, "quantity": 1})
    assert header_count() == "1"
    user = make_user("customer")
    CartLine.objects.create(user=user, variant=catalogue[1].variants.get(), quantity=1)  # from another device
    client.force_login(user)
    assert header_count() == "2"  # the account's line and the one added before signing in
    client.get("/cart/")  # the visitor's line moves into the account
    assert header_count() == "2"
    assert CartLine.objects.filter(user=user).count() == 2


def test_sold_out_product_is_not_added(client, catalogue):
    variant = catalogue[5].variants.get()
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    assert client.session.get("cart", {}) == {}


def test_address_fragment_fills_the_postcode(client, db):
    response = client.get("/checkout/address/?province=40&district=4001&subdistrict=400101", HTTP_HX_REQUEST="true")
    assert 'value="40000"' in response.content.decode()


def test_sitemap_lists_the_products(client, catalogue):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    body = response.content.decode()
    # Product pages are the story pages (storefront:story), not the QR short links that count scans.
    for product in catalogue:
        assert f"<loc>http://testserver/products/{product.code}/</loc>" in body
    assert body.count("<loc>http://testserver/products/") == len(catalogue)
    assert "/p/" not in body


def test_product_links_go_to_the_story_page_in_the_visitors_language(client, catalogue):
    from django.utils import translation

    from otop.storefront.links import product_url

    code = catalogue[0].code
    assert product_url(code) == f"/products/{code}/"
    with translation.override("en"):
        assert product_url(code) == f"/en/products/{code}/"
    assert client.get(product_url(code)).status_code == 200
    assert f'href="/products/{code}/"' in client.get("/search/", {"q": catalogue[0].name_th}).content.decode()


MATRIX = {
    "/search/?q=ผ้า": ["in", "in", "in", "in", "in", "in", "in"],
    "/cart/": ["in", "in", "in", "in", "in", "in", "in"],
    "/orders/track/": ["in", "in", "in", "in", "in", "in", "in"],
    "/orders/": ["login", "403", "403", "403", "403", "in", "in"],
    "/account/orders/": ["login", "in", "in", "in", "in", "in", "in"],
    # signed-in people are sent to their account page
    "/accounts/signup/": ["in", "302", "302", "302", "302", "302", "302"],
}


@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(MATRIX))
def test_role_matrix(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)


def test_a_customer_sees_their_own_orders_newest_first_with_tracking_links(client, catalogue, make_user):
    buyer, other = make_user("customer", username="buyer"), make_user("customer", username="other")
    client.force_login(buyer)
    assert "ยังไม่มีคำสั่งซื้อ" in client.get("/account/orders/").content.decode()
    details = order_services.CustomerDetails(name="สมหญิง", phone="0812223333", email="s@example.com")
    placed = [
        order_services.place_order(
            items=[(f"S-{number}", 1)], customer=details, delivery_method="pickup", user=user
        ).number
        for number, user in enumerate((buyer, other, buyer))
    ]

    response = client.get("/account/orders/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(placed[2]) < html.index(placed[0])
    assert placed[1] not in html
    assert f"/orders/track/{placed[0]}/{tracking_token(placed[0])}/" in html
    assert "รอชำระเงิน" in html
    assert 'href="/account/orders/"' in client.get("/accounts/").content.decode()
