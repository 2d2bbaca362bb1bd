"""Cash on delivery: chosen where the carrier offers it, its fee in the total, stock held like a paid order's,
paid when the carrier's remittance file is imported; mismatches held for staff with the reason."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from otop.core.models import AuditEvent
from otop.inventory import selectors as stock
from otop.inventory.models import Reservation
from otop.inventory.services import expire_reservations
from otop.orders import services as orders
from otop.orders.errors import InvalidOrder
from otop.orders.models import Order, OrderEvent
from otop.payments.models import Payment
from otop.shipping import services
from otop.shipping.errors import RemittanceFileInvalid
from otop.shipping.models import Carrier, CodRemittanceLine, Shipment

ADDRESS = orders.AddressDetails(
    line1="99 ถนนมิตรภาพ", subdistrict="Nai Mueang", district="เมืองขอนแก่น", province="Khon Kaen", postcode="40000"
)
SCANS = ["SILK-1", "RICE-1", "RICE-1"]


@pytest.fixture
def cod_flash(fake_flash):
    Carrier.objects.filter(code="flash").update(offers_cod=True, cod_fee=Decimal("25.00"))
    return fake_flash


def _place_cod(option: str = "flash:standard", **extra) -> Order:
    return orders.place_order(
        items=[("SILK-1", 1), ("RICE-1", 2)],
        customer=orders.CustomerDetails(name="สมชาย ใจดี", phone="0812223333", email="buyer@example.com"),
        delivery_method=extra.pop("delivery_method", "parcel"),
        address=ADDRESS,
        delivery_option=option,
        payment="cod",
        **extra,
    )


def _silk_on_hand() -> int:
    return stock.on_hand(variant_id=Order.objects.get().lines.get(sku="SILK-1").variant_id, location_code="online")


def _shipped_cod() -> Shipment:
    order = _place_cod()
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    return services.book_shipment(shipment=Shipment.objects.get(order=order), actor=None)


def test_cod_adds_the_carriers_fee_to_the_total_and_holds_the_stock_without_expiry(shop, cod_flash):
    order = _place_cod()
    goods = Decimal("1250.50") + 2 * Decimal("80.25")
    assert order.cash_on_delivery and order.expires_at is None
    assert order.delivery_fee == Decimal("45.00") + Decimal("25.00") and order.total == goods + Decimal("70.00")
    shipment = order.shipment
    assert (shipment.fee, shipment.cod_fee, shipment.cod_amount) == (Decimal("45.00"), Decimal("25.00"), order.total)
    assert not Payment.objects.exists()  # no PromptPay to scan: the courier collects
    reservation = Reservation.objects.get(reference=order.number)
    assert reservation.status == Reservation.Status.ACTIVE and reservation.expires_at is None
    later = timezone.now() + timedelta(days=3)
    assert orders.expire_overdue_orders(now=later) == 0 and expire_reservations(now=later) == 0
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.ACTIVE


@pytest.mark.parametrize(
    ("option", "method", "field"),
    [("van:sameday", "parcel", "payment"), ("", "pickup", "payment")],
)
def test_cod_where_it_is_not_offered_is_refused_and_leaves_nothing(shop, van, option, method, field):
    with pytest.raises(InvalidOrder) as refused:
        _place_cod(option, delivery_method=method)
    assert field in refused.value.fields
    assert not Order.objects.exists() and not Reservation.objects.exists() and not Shipment.objects.exists()


def test_a_cod_parcel_is_packed_unpaid_booked_with_its_amount_and_its_stock_leaves_when_it_ships(shop, cod_flash):
    order = _place_cod()
    before = _silk_on_hand()
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    assert Order.objects.get().status == Order.Status.PACKED and _silk_on_hand() == before
    shipment = services.book_shipment(shipment=order.shipment, actor=None)
    path, params = cod_flash.requests[-1]
    assert path == "/open/v3/orders"
    assert params["codEnabled"] == "1" and params["codAmount"] == str(int(order.total * 100))
    assert Order.objects.get().status == Order.Status.SHIPPED and _silk_on_hand() == before - 1
    assert shipment.ships_on is not None
    # Delivered is not paid: the order waits for the carrier's money.
    services.record_tracking_events(
        shipment=shipment,
        events=[services.CarrierEvent(at=timezone.now(), status="delivered", carrier_code="state-5")],
    )
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and order.paid_at is None


def _csv(*rows: tuple[str, str], header: str = "pno,cod_amount") -> bytes:
    return ("\ufeff" + header + "\n" + "".join(f'{a},"{b}"\n' for a, b in rows)).encode()


def test_a_remittance_pays_the_matched_order_once_and_holds_every_mismatch_with_its_reason(
    shop, cod_flash, paid_parcel
):
    shipment = _shipped_cod()
    order = shipment.order
    prepaid = paid_parcel("flash:standard")
    services.finish_packing(order=prepaid, scanned=SCANS, actor=None)
    prepaid_parcel = services.book_shipment(shipment=prepaid.shipment, actor=None)
    flash = Carrier.objects.get(code="flash")
    data = _csv(
        (shipment.tracking_number, f"{order.total:,}"),
        ("TH0140NOTOURS1", "100.00"),
        (prepaid_parcel.tracking_number, "10.00"),
        ("TH0140TWICE", "1"),
        ("TH0140TWICE", "1"),
        ("TH0140BADAMOUNT", "12.345"),
    )
    remittance = services.import_cod_remittance(carrier=flash, data=data, file_name="flash-cod-0512.csv", actor=None)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.paid_at is not None
    statuses = list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True))
    assert statuses[-2:] == [Order.Status.PAID, Order.Status.COMPLETED]
    money = Payment.objects.get(order=order)
    assert (money.status, money.method, money.amount) == ("confirmed", "transfer", order.total)
    lines = {line.row: line for line in remittance.lines.all()}
    assert lines[2].outcome == CodRemittanceLine.Outcome.PAID
    held = {row: line.reason for row, line in lines.items() if line.outcome == CodRemittanceLine.Outcome.HELD}
    assert set(held) == {3, 4, 5, 6, 7}
    assert "ไม่มีพัสดุ" in held[3] and "ไม่ได้ส่งแบบเก็บเงินปลายทาง" in held[4]
    assert "มากกว่าหนึ่งครั้ง" in held[5] and "มากกว่าหนึ่งครั้ง" in held[6] and "12.345" in held[7]
    assert AuditEvent.objects.filter(action="shipping.cod_remittance_imported").count() == 1
    # The same file again is refused; the same parcel in another file is held as a second remittance.
    with pytest.raises(RemittanceFileInvalid):
        services.import_cod_remittance(carrier=flash, data=data, file_name="again.csv", actor=None)
    second = services.import_cod_remittance(
        carrier=flash, data=_csv((shipment.tracking_number, str(order.total))), file_name="next.csv", actor=None
    )
    line = second.lines.get()
    assert line.outcome == CodRemittanceLine.Outcome.HELD and "รายการโอนนี้ซ้ำ" in line.reason
    assert Payment.objects.filter(order=order).count() == 1


def test_a_wrong_amount_is_held_and_changes_nothing_then_staff_resolve_it(shop, cod_flash):
    shipment = _shipped_cod()
    flash = Carrier.objects.get(code="flash")
    remittance = services.import_cod_remittance(
        carrier=flash,
        data=_csv((shipment.tracking_number, "1.00"), header="เลขพัสดุ,ยอดเก็บเงินปลายทาง"),
        file_name="short.csv",
        actor=None,
    )
    line = remittance.lines.get()
    order = Order.objects.get()
    assert line.outcome == CodRemittanceLine.Outcome.HELD and f"ซึ่งมียอดรวม {order.total:,} บาท" in line.reason
    assert order.status == Order.Status.SHIPPED and order.paid_at is None and not Payment.objects.exists()
    with pytest.raises(RemittanceFileInvalid):
        services.resolve_remittance_line(line=line, note="  ", actor=None)
    services.resolve_remittance_line(line=line, note="Flash โอนส่วนที่เหลือแล้ว", actor=None)
    line.refresh_from_db()
    assert line.outcome == CodRemittanceLine.Outcome.RESOLVED


def test_a_file_without_the_columns_is_refused_whole(shop, cod_flash):
    _shipped_cod()
    flash = Carrier.objects.get(code="flash")
    with pytest.raises(RemittanceFileInvalid):
        services.import_cod_remittance(carrier=flash, data=b"foo,bar\n1,2\n", file_name="x.csv", actor=None)
    with pytest.raises(RemittanceFileInvalid):
        services.import_cod_remittance(carrier=flash, data=b"\xff\xfe\x00", file_name="x.csv", actor=None)
    assert Order.objects.get().paid_at is None and not CodRemittanceLine.objects.exists()


def test_staff_import_a_remittance_on_the_page_and_see_what_is_held(client_for, shop, cod_flash):
    shipment = _shipped_cod()
    flash = Carrier.objects.get(code="flash")
    staff = client_for("staff")
    upload = SimpleUploadedFile("cod.csv", _csv((shipment.tracking_number, "5.00"), ("TH0140XX", "9.00")))
    response = staff.post("/shipping/cod/", {"carrier": flash.pk, "file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "TH0140XX" in page and page.count('class="reason"') == 2
    assert client_for("cashier").get("/shipping/cod/").status_code == 403


def test_the_checkout_page_offers_cod_for_flash_and_its_total_includes_the_fee(client, shop, cod_flash):
    client.post("/cart/add/", {"variant": shop["silk"].variants.get().pk, "quantity": 1})
    address = {"province": "40", "district": "4001", "subdistrict": "400101", "postcode": "40000", "line1": "9"}
    page = client.get(
        "/checkout/address/", {**address, "delivery_option": "flash:standard", "payment": "cod"}
    ).content.decode()
    assert 'name="payment" value="cod" id="payment-cod" checked' in page
    assert "1,320.50" in page  # 1,250.50 + 45.00 + 25.00 COD fee
    response = client.post(
        "/checkout/",
        {**address, "name": "สมชาย", "phone": "0812223333", "delivery_method": "parcel",
         "delivery_option": "flash:standard", "payment": "cod"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert order.cash_on_delivery and order.total == Decimal("1320.50")
    placed = client.get(response["Location"]).content.decode()
    assert "cod-note" in placed and "/payments/qr/" not in placed


def test_a_cod_choice_left_behind_when_the_buyer_turns_to_pickup_is_dropped_on_the_page_not_by_the_api(
    client, shop, cod_flash
):
    """The COD radio sits with the parcel options: hidden for pickup, the browser still sends it. The page places
    the pickup order with PromptPay, as its payment line says; the API, asked for COD with pickup, still refuses."""
    client.post("/cart/add/", {"variant": shop["silk"].variants.get().pk, "quantity": 1})
    address = {"province": "40", "district": "4001", "subdistrict": "400101", "postcode": "40000", "line1": "9"}
    response = client.post(
        "/checkout/",
        {**address, "name": "สมชาย", "phone": "0812223333", "delivery_method": "pickup",
         "delivery_option": "flash:standard", "payment": "cod"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert not order.cash_on_delivery and order.delivery_method == Order.Delivery.PICKUP
    assert order.total == Decimal("1250.50") and order.expires_at is not None
    assert Payment.objects.filter(order=order).exists()  # a PromptPay payment to scan
    placed = client.get(response["Location"]).content.decode()
    assert "/payments/qr/" in placed and "cod-note" not in placed

    body = {
        "items": [{"sku": "SILK-1", "qty": 1}],
        "customer": {"name": "สมชาย", "phone": "0812223333"},
        "delivery": {"method": "pickup"},
        "payment_method": "cod",
    }
    refused = client.post("/api/v1/orders", body, content_type="application/json")
    assert refused.status_code in (400, 409, 422) and "payment" in refused.json()["error"]["fields"]
    assert Order.objects.count() == 1


def test_the_api_takes_cod_and_answers_without_a_promptpay_qr(client, shop, cod_flash):
    body = {
        "items": [{"sku": "SILK-1", "qty": 1}],
        "customer": {"name": "สมชาย", "phone": "0812223333"},
        "delivery": {"method": "parcel", "carrier": "flash", "service": "standard",
                     "address": {"line1": "9", "subdistrict": "Nai Mueang", "district": "Mueang Khon Kaen",
                                 "province": "Khon Kaen", "postcode": "40000"}},
        "payment_method": "cod",
    }  # fmt: skip
    response = client.post("/api/v1/orders", body, content_type="application/json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["payment_method"] == "cod" and answer["promptpay"] is None and answer["expires_at"] is None
    assert Decimal(answer["total"]) == Decimal("1320.50")
    body["delivery"]["carrier"], body["delivery"]["service"] = "thailandpost", "ems"
    Carrier.objects.filter(code="thailandpost").update(offers_cod=False)
    refused = client.post("/api/v1/orders", body, content_type="application/json")
    assert refused.status_code in (400, 409, 422)
    assert "payment" in refused.json()["error"]["fields"] and Order.objects.count() == 1


def _payment_lines(html: str) -> dict[str, tuple[str, bool]]:
    """The checkout's payment line per delivery method: (what it says, shown); "text": the shown words."""
    block = re.search(r'<div class="payment-line" id="payment-line"[^>]*>(.*?)</div>', html, re.S).group(1)
    lines = re.findall(r'<p class="help" data-delivery="(\w+)" data-payment="(\w+)"( hidden)?>(.*?)</p>', block, re.S)
    found = {method: (payment, not hidden) for method, payment, hidden, _text in lines}
    return found | {"text": " ".join(unescape(text) for _m, _p, hidden, text in lines if not hidden)}


def test_the_checkout_payment_line_follows_the_chosen_payment_in_thai_and_english(client, shop, cod_flash):
    client.post("/cart/add/", {"variant": shop["silk"].variants.get().pk, "quantity": 1})
    address = {"province": "40", "district": "4001", "subdistrict": "400101", "postcode": "40000", "line1": "9"}
    first = client.get("/checkout/").content.decode()
    lines = _payment_lines(first)
    assert lines["pickup"] == ("promptpay", True) and lines["parcel"] == ("promptpay", False)
    assert "พร้อมเพย์" in lines["text"]

    cod = client.get("/checkout/address/", {**address, "delivery_option": "flash:standard", "payment": "cod"})
    html = cod.content.decode()
    assert 'id="payment-line" aria-live="polite" hx-swap-oob="true"' in html  # swapped in as the choice changes
    lines = _payment_lines(html)
    assert lines["parcel"] == ("cod", True) and lines["pickup"] == ("promptpay", False)
    assert "เก็บเงินปลายทาง" in lines["text"] and "฿1,320.50" in lines["text"] and "พร้อมเพย์" not in lines["text"]

    back = client.get("/checkout/address/", {**address, "delivery_option": "flash:standard", "payment": "promptpay"})
    lines = _payment_lines(back.content.decode())
    assert lines["parcel"] == ("promptpay", True) and "พร้อมเพย์" in lines["text"]

    english = client.get("/en/checkout/address/", {**address, "delivery_option": "flash:standard", "payment": "cod"})
    text = _payment_lines(english.content.decode())["text"]
    assert text.startswith("Payment: cash on delivery") and "฿1,320.50" in text and "PromptPay" not in text

    # A carrier without COD cannot keep a COD choice: the line goes back to PromptPay.
    Carrier.objects.filter(code="flash").update(offers_cod=False)
    gone = client.get("/checkout/address/", {**address, "delivery_option": "flash:standard", "payment": "cod"})
    assert _payment_lines(gone.content.decode())["parcel"] == ("promptpay", True)
