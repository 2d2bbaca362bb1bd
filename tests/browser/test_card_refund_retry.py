"""A card payment whose automatic refund failed waits on the staff's money page; staff give it back through the
gateway with one button, and the row leaves the list."""

from __future__ import annotations

from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as orders
from otop.payments import services as payments
from otop.payments.models import Refund
from otop.payments.tests.fake_gateway import FakeGateway, gateway_settings
from otop.search.tests.factories import listed_product


def test_staff_give_back_a_card_payment_whose_automatic_refund_failed(
    live_server, desktop, make_user, settings, screenshot
):
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1250.50", sku="SILK-1")
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    make_user("staff", username="clerk")
    with FakeGateway() as gateway:
        gateway_settings(settings, gateway)
        order = orders.place_order(
            items=[("SILK-1", 1)],
            customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333", email="buyer@example.com"),
            delivery_method="pickup",
        )
        started = payments.start_card_payment(
            paid_for=order,
            amount=order.total,
            reference=order.number,
            return_uri="http://t/",
            card_token="tokn_test_3ds",
        )
        orders.confirm_promptpay_payment(order=order, actor=None)  # paid by PromptPay meanwhile
        charge_id = started.payment.provider_transaction_id
        gateway.complete(charge_id)
        gateway.fail_next(f"/charges/{charge_id}/refunds", 503)
        payments.apply_card_charge(charge_id=charge_id)
        assert not Refund.objects.exists()

        page = desktop
        page.goto(live_server.url + "/payments/bank/")
        page.locator("#id_username").fill("clerk")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        expect(page.locator("#card-refunds-due")).to_have_text("เงินชำระด้วยบัตรที่ต้องคืน")
        row = page.locator("#card-refunds-due + p + table tbody tr")
        expect(row).to_contain_text(charge_id)
        expect(row).to_contain_text("1,250.50")
        expect(row).to_contain_text(order.number)
        screenshot(page, "card-refund-due")
        row.get_by_role("button", name="คืนเงินผ่านระบบรับชำระบัตร").click()
        expect(page.locator("body")).to_contain_text("ผ่านระบบรับชำระบัตรแล้ว")
        expect(page.locator("#card-refunds-due")).to_have_count(0)
        screenshot(page, "card-refund-done")
    refund = Refund.objects.get()
    assert refund.amount == order.total and refund.provider_refund_id.startswith("rfnd_test_")
