"""Done when: a customer pays a web order by its bill payment QR and, with no staff action, the bank's
confirmation turns the tracking page to paid; forged confirmations (wrong secret, or one the bank's inquiry
does not confirm) change nothing; a wrong amount leaves the order unpaid and on the staff list."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.payments.models import BankTransfer
from otop.payments.promptpay import parse_payload
from otop.payments.tests.fake_bank import FakeBank, bank_settings, push
from otop.search.tests.factories import listed_product


def _checkout(page, base: str, phone: str) -> Order:
    page.goto(base + "/cart/")
    page.locator("a.button[href='/checkout/']").click()
    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill(phone)
    page.locator("#id_delivery_method_0").check()
    page.locator("button[type=submit]").last.click()
    expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-\d{6}$"))
    return Order.objects.get(number=page.locator(".order-number").inner_text())


def _worker() -> None:
    """The task worker takes the queued matching, as `manage.py db_worker` does beside the server."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _track(page, base: str, order: Order, phone: str) -> None:
    page.goto(base + "/orders/track/")
    page.locator("#track-number").fill(order.number)
    page.locator("#track-phone").fill(phone)
    page.locator(".form button[type=submit]").click()


def test_the_banks_confirmation_pays_the_order_and_a_wrong_amount_waits_for_staff(
    live_server, phone, desktop, make_user, settings, screenshot
):
    silk = listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1")
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    make_user("staff", username="clerk")
    cache.clear()
    with FakeBank() as bank:
        bank_settings(settings, bank)
        base = live_server.url
        callback = base + "/payments/callback/bank/"

        page = phone
        page.goto(base + "/search/?q=ผ้าไหม")
        page.locator(".product-card .add-to-cart button").first.click()
        expect(page.locator("#cart-count")).to_have_text("1")
        order = _checkout(page, base, "0812223333")
        payment = order.payments.get()
        bill = parse_payload(payment.payload).bill
        assert bill.ref1 == payment.ref1 and bill.biller_id == "099400000000601"
        expect(page.locator("img.promptpay-qr")).to_be_visible()
        screenshot(page, "bill-payment-qr")

        _track(page, base, order, "081-222-3333")
        expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")
        # Forged confirmations change nothing: a wrong secret, a transaction the bank's inquiry does not
        # list, and a real one whose amount was raised on the way.
        forged = {"transactionId": "FORGED-1", "amount": str(order.total), "billPaymentRef1": bill.ref1}
        assert push(callback, forged, secret="not-the-secret")[0] == 403
        assert push(callback, forged)[0] == 409
        small = bank.pay(ref1=bill.ref1, amount="1.00")
        assert push(callback, {**small, "amount": str(order.total)})[0] == 409
        _worker()
        _track(page, base, order, "081-222-3333")
        expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")
        assert not BankTransfer.objects.exists()
        # The customer's bank app pays the QR; the bank pushes its confirmation. Nobody at the center acts.
        assert push(callback, bank.pay(ref1=bill.ref1, amount=order.total))[0] == 200
        _worker()
        _track(page, base, order, "081-222-3333")
        expect(page.locator(".tracked-order .order-status")).to_have_text("ชำระเงินแล้ว")
        expect(page.locator("img.promptpay-qr")).to_have_count(0)
        screenshot(page, "tracking-paid")

        # A second order paid with the wrong amount: it stays unpaid and appears on the staff list.
        page.goto(base + "/search/?q=ผ้าไหม")
        page.locator(".product-card .add-to-cart button").first.click()
        second = _checkout(page, base, "0899998888")
        ref1 = second.payments.get().ref1
        assert push(callback, bank.pay(ref1=ref1, amount="1250.00"))[0] == 200
        _worker()
        _track(page, base, second, "0899998888")
        expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")

        staff = desktop
        staff.goto(base + "/payments/bank/")
        staff.locator("#id_username").fill("clerk")
        staff.locator("#id_password").fill(PASSWORD)
        staff.locator("button[type=submit]").click()
        row = staff.locator("table.table tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(ref1)
        expect(row).to_contain_text("รอเจ้าหน้าที่ตรวจ")
        expect(row).to_contain_text("1,250.00")
        screenshot(staff, "staff-list")
