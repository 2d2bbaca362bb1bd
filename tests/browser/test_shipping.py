"""Done when: a customer on a phone gets EMS, registered-parcel and Flash quotes computed from the cart's weight,
picks Flash and pays; staff pack it by scanning and book it with the (fake) Flash API, which returns a tracking
number; the label PDF's Code 128 decodes back to it; a signed Flash webhook "delivered" completes the order and the
buyer is told, a tampered one changes nothing; a Thailand Post poll with Buddhist-era dates puts events on the right
Gregorian days."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdfium2
import zxingcpp
from django.core.cache import cache
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.notifications.models import OutboundMessage
from otop.orders import services as orders
from otop.orders.models import Order
from otop.orders.selectors import tracking_token
from otop.search.tests.factories import listed_product
from otop.shipping import services as shipping
from otop.shipping.carriers import flash
from otop.shipping.models import Carrier, Shipment, TrackingEvent
from otop.shipping.tests.fake_flash import FakeFlash
from otop.shipping.tests.fake_thailandpost import FakeThailandPost

BANGKOK = ZoneInfo("Asia/Bangkok")


def _settle(page):
    # htmx wires swapped-in fields after settling (waited for through the DOM: the CSP forbids eval).
    expect(page.locator(".htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)


def _signed(fake, pno: str, state: int, *, scanned: bool = True) -> dict[str, str]:
    if scanned:  # the parcel moved on Flash's side: its routes say so when we ask
        fake.scan(pno, state, int(time.time()), "ส่งสำเร็จ")
    params = {
        "mchId": fake.mch_id,
        "nonceStr": str(int(time.time() * 1000)),
        "data": json.dumps({"pno": pno, "state": state, "stateText": "ส่งสำเร็จ", "updateAt": int(time.time())}),
    }
    params["sign"] = flash.signature(params, fake.key)
    return params


def test_flash_parcel_from_quote_to_delivery(live_server, phone, desktop, make_user, settings, screenshot):
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1250.50", sku="SILK-1", weight_grams=400)
    rice = listed_product(name_th="ข้าวหอมมะลิ", name_en="Jasmine rice", price="80.25", sku="RICE-1", weight_grams=1000)
    for product in (silk, rice):
        inventory.receive_stock(
            variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
        )
    make_user("staff", username="packer")
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    with FakeFlash() as fake:
        settings.FLASH_API_BASE_URL, settings.FLASH_MCH_ID, settings.FLASH_API_KEY = fake.url, fake.mch_id, fake.key
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        Carrier.objects.filter(code="flash").update(is_enabled=True)
        fake.price_satang = 5500

        page = phone
        for product in (silk, rice):
            page.goto(live_server.url + f"/products/{product.code}/")
            page.locator(".add-to-cart button").first.click()
            expect(page.locator("#cart-count")).not_to_have_text("0")
        page.goto(live_server.url + "/checkout/")
        page.locator("#id_name").fill("สมหญิง ใจดี")
        page.locator("#id_phone").fill("0812223333")
        page.locator("#id_email").fill("somying@example.com")
        page.locator("#id_delivery_method_1").check()
        page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
        page.locator("#id_district").select_option("4001")
        expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
        _settle(page)
        page.locator("#id_subdistrict").select_option("400101")
        expect(page.locator("#id_postcode")).to_have_value("40000")
        # 1400 g of goods + a 60 g box = 1460 g: registered ≤ 2 kg 35.00, Flash 55.00, EMS ≤ 1.5 kg 82.00.
        options = page.locator("#delivery-options input[name=delivery_option]")
        expect(options).to_have_count(3)
        assert [options.nth(i).get_attribute("value") for i in range(3)] == [
            "thailandpost:registered",
            "flash:standard",
            "thailandpost:ems",
        ]
        expect(page.locator("#delivery-options")).to_contain_text("฿55.00")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#delivery-options input[value='flash:standard']").check()
        _settle(page)
        expect(page.locator(".checkout-total [data-delivery=parcel]")).to_have_text("฿1,385.75")
        screenshot(page, "quotes")
        page.locator("button[type=submit]").last.click()
        expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-000001$"))
        order = Order.objects.get()
        assert (order.delivery_fee, order.total) == (Decimal("55.00"), Decimal("1385.75"))
        assert order.shipment.service.option == "flash:standard"

        staff = desktop
        staff.goto(live_server.url + f"/orders/{order.number}/")
        staff.locator("#id_username").fill("packer")
        staff.locator("#id_password").fill(PASSWORD)
        staff.locator("button[type=submit]").click()
        staff.locator("form[action$='/confirm-payment/'] button").click()
        expect(staff.locator(".order-status")).to_have_text("ชำระเงินแล้ว")

        staff.goto(live_server.url + "/shipping/")
        staff.locator(f"a[href='/shipping/pack/{order.number}/']").click()
        for count, code in enumerate(["SILK-1", "RICE-1", "SILK-1"], start=1):
            staff.locator("#scan-code").fill(code)
            staff.locator("#scan-code").press("Enter")
            expect(staff.locator(f"#scan-table[data-scans='{count}']")).to_have_count(1)
            _settle(staff)
        expect(staff.locator("tr.scan-wrong")).to_have_count(1)  # one silk too many
        expect(staff.locator("button[value=finish]")).to_be_disabled()
        screenshot(staff, "packing-wrong")
        staff.locator("button[value=reset]").click()
        for count, code in enumerate(["SILK-1", "RICE-1"], start=1):
            staff.locator("#scan-code").fill(code)
            staff.locator("#scan-code").press("Enter")
            expect(staff.locator(f"#scan-table[data-scans='{count}']")).to_have_count(1)
            _settle(staff)
        expect(staff.locator("tr.scan-ok")).to_have_count(2)
        expect(staff.locator("tr.scan-wrong")).to_have_count(0)
        screenshot(staff, "packing-right")
        staff.locator("button[value=finish]").click()
        expect(staff.locator("h1")).to_have_text("พัสดุ")
        staff.locator("form[action$='/book/'] button").click()
        shipment = Shipment.objects.get()
        assert shipment.tracking_number == "TH014000000001"
        expect(staff.locator("body")).to_contain_text("TH014000000001")
        screenshot(staff, "booked")

        label = staff.request.get(live_server.url + f"/shipping/{shipment.pk}/label.pdf")
        assert label.ok and label.headers["content-type"] == "application/pdf"
        pdf = pypdfium2.PdfDocument(io.BytesIO(label.body()))
        page_image = pdf[0].render(scale=300 / 72).to_pil()
        decoded = [b.text for b in zxingcpp.read_barcodes(page_image) if b.format == zxingcpp.BarcodeFormat.Code128]
        assert decoded == ["TH014000000001"]

        tampered = _signed(fake, shipment.tracking_number, 3, scanned=False)
        tampered["data"] = tampered["data"].replace('"state": 3', '"state": 5')
        assert staff.request.post(live_server.url + "/shipping/flash/webhook", form=tampered).status == 403
        assert Order.objects.get().status == Order.Status.SHIPPED and not TrackingEvent.objects.exists()
        answer = staff.request.post(
            live_server.url + "/shipping/flash/webhook", form=_signed(fake, "TH014000000001", 5)
        )
        assert answer.status == 200 and answer.json() == {"errorCode": "1", "state": "success"}
        assert Order.objects.get().status == Order.Status.COMPLETED
        told = OutboundMessage.objects.filter(event="shipping/tracking_update", recipient="somying@example.com")
        assert told.count() == 1 and "TH014000000001" in told.get().body

        page.goto(live_server.url + "/orders/track/")
        page.locator("#track-number").fill(order.number)
        page.locator("#track-phone").fill("0812223333")
        page.locator(".form button[type=submit]").click()
        expect(page.locator(".tracking-number")).to_have_text("TH014000000001")
        expect(page.locator(".timeline li")).to_have_count(1)
        expect(page.locator(".parcel-status")).to_have_text("นำจ่ายสำเร็จ")
        screenshot(page, "tracking")


def test_cash_on_delivery_from_checkout_to_the_carriers_remittance(
    live_server, phone, desktop, make_user, settings, screenshot, tmp_path
):
    """A phone buyer picks Flash with cash on delivery (its fee in the total), no QR to scan; staff pack the unpaid
    order, book it with the COD amount, and the carrier's remittance file pays it."""
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1250.50", sku="SILK-1", weight_grams=400)
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    make_user("staff", username="packer")
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    with FakeFlash() as fake:
        settings.FLASH_API_BASE_URL, settings.FLASH_MCH_ID, settings.FLASH_API_KEY = fake.url, fake.mch_id, fake.key
        Carrier.objects.filter(code="flash").update(is_enabled=True, offers_cod=True, cod_fee=Decimal("25.00"))
        fake.price_satang = 5500

        page = phone
        page.goto(live_server.url + f"/products/{silk.code}/")
        page.locator(".add-to-cart button").first.click()
        expect(page.locator("#cart-count")).not_to_have_text("0")
        page.goto(live_server.url + "/checkout/")
        page.locator("#id_name").fill("สมหญิง ใจดี")
        page.locator("#id_phone").fill("0812223333")
        page.locator("#id_delivery_method_1").check()
        page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
        page.locator("#id_district").select_option("4001")
        expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
        _settle(page)
        page.locator("#id_subdistrict").select_option("400101")
        expect(page.locator("#id_postcode")).to_have_value("40000")
        page.locator("#delivery-options input[value='flash:standard']").check()
        expect(page.locator("#payment-cod")).to_be_visible()
        _settle(page)
        page.locator("#payment-cod").check()
        expect(page.locator(".cod-note")).to_be_visible()
        _settle(page)
        # 1,250.50 goods + 55.00 Flash + 25.00 COD fee.
        expect(page.locator(".checkout-delivery [data-delivery=parcel]")).to_have_text("฿80.00")
        expect(page.locator(".checkout-total [data-delivery=parcel]")).to_have_text("฿1,330.50")
        # The payment line says what was chosen, and follows the choice (htmx, no inline script).
        payment_line = page.locator("#payment-line p:visible")
        expect(payment_line).to_have_count(1)
        expect(payment_line).to_have_attribute("data-payment", "cod")
        expect(payment_line).to_contain_text("เก็บเงินปลายทาง")
        expect(payment_line).to_contain_text("฿1,330.50")
        expect(payment_line).not_to_contain_text("พร้อมเพย์")
        page.locator("#payment-promptpay").check()
        _settle(page)
        expect(payment_line).to_have_attribute("data-payment", "promptpay")
        expect(payment_line).to_contain_text("พร้อมเพย์")
        page.locator("#id_delivery_method_0").check()  # pickup: PromptPay only
        expect(payment_line).to_have_attribute("data-payment", "promptpay")
        expect(page.locator(".checkout-total [data-delivery=pickup]")).to_have_text("฿1,250.50")
        page.locator("#id_delivery_method_1").check()
        page.locator("#payment-cod").check()
        _settle(page)
        expect(payment_line).to_have_attribute("data-payment", "cod")
        expect(page.locator(".checkout-total [data-delivery=parcel]")).to_have_text("฿1,330.50")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#payment-cod").scroll_into_view_if_needed()
        screenshot(page, "checkout-cod")
        page.locator("button[type=submit]").last.click()
        expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-000001$"))
        expect(page.locator(".cod-note")).to_contain_text("฿1,330.50")
        expect(page.locator("img[src*='/payments/qr/']")).to_have_count(0)
        order = Order.objects.get()
        assert order.cash_on_delivery and order.total == Decimal("1330.50") and order.expires_at is None

        staff = desktop
        staff.goto(live_server.url + "/shipping/")
        staff.locator("#id_username").fill("packer")
        staff.locator("#id_password").fill(PASSWORD)
        staff.locator("button[type=submit]").click()
        staff.locator(f"a[href='/shipping/pack/{order.number}/']").click()
        staff.locator("#scan-code").fill("SILK-1")
        staff.locator("#scan-code").press("Enter")
        expect(staff.locator("#scan-table[data-scans='1']")).to_have_count(1)
        _settle(staff)
        staff.locator("button[value=finish]").click()
        staff.locator("form[action$='/book/'] button").click()
        expect(staff.locator("body")).to_contain_text("TH014000000001")
        assert fake.requests[-1][1]["codAmount"] == "133050"

        remittance = tmp_path / "flash-cod.csv"
        remittance.write_text("pno,cod_amount\nTH014000000001,1330.50\nTH0140UNKNOWN,99.00\n", encoding="utf-8")
        staff.goto(live_server.url + "/shipping/cod/")
        staff.locator("#cod-carrier").select_option(str(Carrier.objects.get(code="flash").pk))
        staff.locator("#cod-file").set_input_files(str(remittance))
        staff.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
        expect(staff.locator("table.cod-held tbody tr")).to_have_count(1)
        expect(staff.locator("table.cod-held")).to_contain_text("TH0140UNKNOWN")
        screenshot(staff, "cod-remittance")
        order.refresh_from_db()
        assert order.status == Order.Status.COMPLETED and order.paid_at is not None


def test_a_buyer_who_picks_cash_on_delivery_then_pickup_orders_with_promptpay(live_server, phone, screenshot):
    """On a phone: parcel by Flash with cash on delivery, then the buyer turns to pickup. The COD radio is hidden
    with the parcel options (and still sent); the page says PromptPay and places the pickup order with it."""
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1250.50", sku="SILK-1", weight_grams=400)
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    Carrier.objects.filter(code="thailandpost").update(offers_cod=True, cod_fee=Decimal("25.00"))

    page = phone
    page.goto(live_server.url + f"/products/{silk.code}/")
    page.locator(".add-to-cart button").first.click()
    expect(page.locator("#cart-count")).not_to_have_text("0")
    page.goto(live_server.url + "/checkout/")
    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill("0812223333")
    page.locator("#id_delivery_method_1").check()
    page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
    page.locator("#id_district").select_option("4001")
    expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
    _settle(page)
    page.locator("#id_subdistrict").select_option("400101")
    expect(page.locator("#id_postcode")).to_have_value("40000")
    _settle(page)
    page.locator("#payment-cod").check()
    expect(page.locator(".cod-note")).to_be_visible()
    _settle(page)
    payment_line = page.locator("#payment-line p:visible")
    expect(payment_line).to_have_attribute("data-payment", "cod")

    page.locator("#id_delivery_method_0").check()  # pickup, without going back to PromptPay
    expect(page.locator("#parcel-details")).to_be_hidden()
    assert page.locator("#payment-cod").is_checked()  # still in the form, hidden, and sent with it
    expect(payment_line).to_have_attribute("data-payment", "promptpay")
    expect(payment_line).to_contain_text("พร้อมเพย์")
    expect(page.locator(".checkout-total [data-delivery=pickup]")).to_have_text("฿1,250.50")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#payment-line").scroll_into_view_if_needed()
    screenshot(page, "pickup-after-cod")
    page.locator("button[type=submit]").last.click()
    expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-000001$"))
    expect(page.locator("img[src*='/payments/qr/']")).to_have_count(1)
    expect(page.locator(".cod-note")).to_have_count(0)
    screenshot(page, "placed")
    order = Order.objects.get()
    assert not order.cash_on_delivery and order.delivery_method == Order.Delivery.PICKUP
    assert order.total == Decimal("1250.50") and order.delivery_fee == Decimal("0.00")


def test_a_thailand_post_poll_puts_buddhist_era_dates_on_the_right_days(live_server, desktop, make_user, settings):
    product = listed_product(name_th="ผ้าไหม", price="500.00", sku="SILK-2", weight_grams=300)
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    order = orders.place_order(
        items=[("SILK-2", 1)],
        customer=orders.CustomerDetails(name="สมชาย", phone="0812223333"),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="1 ถนนมิตรภาพ", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
        delivery_option="thailandpost:ems",
    )
    orders.confirm_promptpay_payment(order=order, actor=None)
    shipping.finish_packing(order=order, scanned=["SILK-2"], actor=None)
    shipping.book_shipment(shipment=order.shipment, actor=None, tracking_number="EF582568151TH")
    with FakeThailandPost() as fake:
        settings.THAILANDPOST_TRACK_API_BASE_URL, settings.THAILANDPOST_TRACK_TOKEN = fake.url, fake.static_token
        fake.scans["EF582568151TH"] = [
            {
                "status": "103",
                "status_description": "รับฝาก",
                "status_date": "04/12/2569 23:50:00+07:00",
                "location": "ขอนแก่น",
                "postcode": "40000",
            },
            {
                "status": "301",
                "status_description": "อยู่ระหว่างการนำจ่าย",
                "status_date": "05/12/2569 00:40:00+07:00",
                "location": "ขอนแก่น",
                "postcode": "40000",
            },
        ]
        assert shipping.poll_thailand_post() == 2
    days = [e.at.astimezone(BANGKOK).date() for e in TrackingEvent.objects.order_by("at")]
    assert days == [date(2026, 12, 4), date(2026, 12, 5)]
    desktop.goto(live_server.url + f"/en/orders/track/{order.number}/{tracking_token(order.number)}/")
    expect(desktop.locator(".timeline li")).to_have_count(2)
    expect(desktop.locator(".timeline li").first).to_contain_text("4")
