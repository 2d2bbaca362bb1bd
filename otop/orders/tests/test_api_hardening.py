"""What an attack on POST /api/v1/orders and tracking found, kept as tests: throttles per client,
CSRF for signed-in sessions, phones in any spelling, signed tracking links, caps that cannot be
split, and Idempotency-Key."""

from decimal import Decimal

import pytest
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client

from otop.accounts.services import issue_api_token
from otop.core.models import IdempotencyKey
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, Reservation
from otop.orders.models import Order
from otop.orders.tests.test_api import assert_nothing_left_behind, order_body
from otop.search.tests.factories import listed_product


def post_order(client, body=None, **extra):
    return client.post("/api/v1/orders", body or order_body(), content_type="application/json", **extra)


def pickup(items):
    return order_body(items=items, delivery={"method": "pickup"})


# --- throttles ---------------------------------------------------------------------------------


def test_one_client_over_the_limit_is_throttled_and_another_client_is_not(client, shop):
    body = pickup([{"sku": "RICE-1", "qty": 1}])
    body["customer"]["phone"] = "0812223333"
    answers = [post_order(client, body, REMOTE_ADDR="203.0.113.7").status_code for _ in range(21)]
    assert answers[:10] == [201] * 10
    assert answers[-1] == 429
    throttled = post_order(client, body, REMOTE_ADDR="203.0.113.7")
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) >= 1
    # A client never seen before is not blocked by the abuser's bucket.
    assert post_order(client, pickup([{"sku": "SILK-1", "qty": 1}]), REMOTE_ADDR="198.51.100.4").status_code == 201


def test_a_forged_forwarded_for_header_does_not_give_a_fresh_bucket(client, shop):
    body = pickup([{"sku": "RICE-1", "qty": 1}])
    answers = [
        post_order(client, body, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(21)
    ]
    assert answers.count(429) >= 1


def test_behind_our_proxy_the_forwarded_address_is_the_client(client, shop, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    body = pickup([{"sku": "RICE-1", "qty": 1}])
    for _ in range(20):
        post_order(client, body, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert post_order(client, body, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    # Another customer behind the same proxy still gets through.
    other = pickup([{"sku": "SILK-1", "qty": 1}])
    assert post_order(client, other, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 201


def test_a_bearer_token_has_its_own_higher_limit(client, shop, make_user):
    _token, key = issue_api_token(user=make_user("staff"), name="LINE bot")
    body = pickup([{"sku": "RICE-1", "qty": 1}])
    for _ in range(20):
        post_order(client, body, REMOTE_ADDR="203.0.113.7")
    assert post_order(client, body, REMOTE_ADDR="203.0.113.7").status_code == 429
    # The LINE bot behind the same address orders on with its token.
    with_token = post_order(client, pickup([{"sku": "SILK-1", "qty": 1}]), REMOTE_ADDR="203.0.113.7",
                            HTTP_AUTHORIZATION=f"Bearer {key}")  # fmt: skip
    assert with_token.status_code == 201
    assert Order.objects.filter(user__isnull=False).count() == 1


# --- CSRF --------------------------------------------------------------------------------------


def test_a_signed_in_session_needs_the_csrf_token_to_order(shop, make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("customer"))
    # The cross-site form of the attack: a text/plain body riding on the customer's session cookie.
    refused = browser.post("/api/v1/orders", order_body(), content_type="text/plain")
    assert refused.status_code == 403
    refused = browser.post("/api/v1/orders", order_body(), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert_nothing_left_behind()
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/api/v1/orders", order_body(), content_type="application/json", HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret)
    )
    assert accepted.status_code == 201, accepted.content
    assert Order.objects.get().user is not None


def test_an_anonymous_text_plain_body_is_not_read_as_json(shop):
    response = Client().post("/api/v1/orders", order_body(), content_type="text/plain")
    assert response.status_code == 415
    assert_nothing_left_behind()


def test_a_bearer_token_writes_without_csrf_even_with_a_session_cookie(shop, make_user):
    browser = Client(enforce_csrf_checks=True)
    staff = make_user("staff")
    browser.force_login(staff)
    _token, key = issue_api_token(user=staff, name="till")
    response = browser.post(
        "/api/v1/orders", order_body(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 201, response.content


# --- phones and tracking -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["081-222-3333", "+66 81 222 3333", "081 222 3333", "0812223333"])
def test_an_order_placed_with_any_spelling_is_tracked_with_any_other(client, shop, typed):
    body = pickup([{"sku": "RICE-1", "qty": 1}])
    body["customer"]["phone"] = typed
    number = post_order(client, body).json()["number"]
    assert Order.objects.get(number=number).phone == "0812223333"
    for spelling in ("0812223333", "081-222-3333", "+66812223333"):
        response = client.post(
            "/api/v1/orders/track", {"number": number, "phone": spelling}, content_type="application/json"
        )
        assert response.status_code == 200, (spelling, response.content)


def test_tracking_no_longer_takes_the_phone_in_the_query_string(client, shop):
    number = post_order(client).json()["number"]
    response = client.get(f"/api/v1/orders/{number}?phone=0812223333")
    assert response.status_code == 400
    assert "token" in response.json()["error"]["fields"]


def test_the_signed_tracking_link_shows_the_order_and_a_forged_one_does_not(client, shop):
    created = post_order(client).json()
    link = created["tracking_url"]
    assert "0812223333" not in link
    assert client.get(link).json()["number"] == created["number"]
    assert client.get(link[:-2] + "xx").status_code == 404
    other = created["number"][:-1] + "2"
    assert client.get(link.replace(created["number"], other)).status_code == 404


def test_guessing_phones_for_one_order_is_stopped_even_from_many_addresses(client, shop):
    number = post_order(client).json()["number"]
    for guess in range(10):
        response = client.post(
            "/api/v1/orders/track",
            {"number": number, "phone": f"08999900{guess:02d}"},
            content_type="application/json",
            REMOTE_ADDR=f"198.51.100.{guess}",
        )
        assert response.status_code == 404
    right = client.post(
        "/api/v1/orders/track",
        {"number": number, "phone": "0812223333"},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.99",
    )
    assert right.status_code == 429


def test_the_storefront_tracks_by_post_and_redirects_to_the_signed_link(client, shop):
    number = post_order(client).json()["number"]
    response = client.post("/orders/track/", {"number": number, "phone": "081-222-3333"})
    assert response.status_code == 302
    assert "0812223333" not in response["Location"] and number in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["order"].number == number
    missing = client.post("/orders/track/", {"number": number, "phone": "0899999999"})
    assert missing.status_code == 200 and missing.context["not_found"]


# --- caps ----------------------------------------------------------------------------------------


def test_the_per_item_cap_cannot_be_split_over_two_lines(client, shop):
    online = stock.location(Location.Code.ONLINE)
    inventory.receive_stock(variant=shop["rice"].variants.get(), location=online, quantity=3000, actor=None)
    body = pickup([{"sku": "RICE-1", "qty": 999}, {"sku": "RICE-1", "qty": 999}])
    response = post_order(client, body)
    assert response.status_code == 409
    assert "items.0.qty" in response.json()["error"]["fields"]
    assert_nothing_left_behind()


def test_an_anonymous_order_holds_at_most_100_units_and_a_customer_more(client, shop, make_user):
    online = stock.location(Location.Code.ONLINE)
    inventory.receive_stock(variant=shop["rice"].variants.get(), location=online, quantity=500, actor=None)
    body = pickup([{"sku": "RICE-1", "qty": 60}, {"sku": "SILK-1", "qty": 1}, {"sku": "RICE-1", "qty": 41}])
    response = post_order(client, body)
    assert response.status_code == 409
    assert "items" in response.json()["error"]["fields"]
    assert not Reservation.objects.exists()
    client.force_login(make_user("customer"))
    # Signed in (a browser session, so with its CSRF token; the test client does not check it).
    assert post_order(client, body).status_code == 201


def test_a_total_beyond_what_the_books_hold_is_refused(client, shop, make_user):
    expensive = listed_product(name_th="ทองคำ", price="9999999999.99", sku="GOLD-1")
    inventory.receive_stock(
        variant=expensive.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    client.force_login(make_user("customer"))
    response = post_order(client, pickup([{"sku": "GOLD-1", "qty": 2}]))
    assert response.status_code == 409
    assert not Order.objects.exists()


# --- idempotency ---------------------------------------------------------------------------------


def test_the_same_idempotency_key_and_body_answers_the_first_order_again(client, shop):
    first = post_order(client, HTTP_IDEMPOTENCY_KEY="9a1f-retry-1")
    again = post_order(client, HTTP_IDEMPOTENCY_KEY="9a1f-retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert Decimal(Order.objects.get().total) == Decimal("1461.00")  # registered parcel 50.00


def test_the_same_key_with_another_body_is_a_conflict_and_places_nothing(client, shop):
    post_order(client, HTTP_IDEMPOTENCY_KEY="key-2")
    other = post_order(client, pickup([{"sku": "RICE-1", "qty": 1}]), HTTP_IDEMPOTENCY_KEY="key-2")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_refused_order_keeps_no_key_so_the_corrected_retry_goes_through(client, shop):
    refused = post_order(client, order_body(items=[{"sku": "SILK-1", "qty": 9}]), HTTP_IDEMPOTENCY_KEY="key-3")
    assert refused.status_code == 409
    assert not IdempotencyKey.objects.exists()
    assert_nothing_left_behind()
    assert post_order(client, HTTP_IDEMPOTENCY_KEY="key-3").status_code == 201


def test_a_key_that_is_not_printable_ascii_is_refused(client, shop):
    response = post_order(client, HTTP_IDEMPOTENCY_KEY="คีย์")
    assert response.status_code == 400
    assert_nothing_left_behind()
