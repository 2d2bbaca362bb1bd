"""A business buyer's full tax invoice at the till (a wrong tax ID refused on its field, then issued with
the branch), its PDF, and the manager's output-tax report for the month."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pypdfium2
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import AuditEvent
from otop.pos import services as pos_services
from otop.pos.tests.factories import MenuItemFactory, TeaRegisterFactory


def sign_in(page, url, username):
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def a_sale(cashier):
    register = TeaRegisterFactory()
    item = MenuItemFactory(register=register, price=Decimal("535.00"))
    shift = pos_services.open_shift(register=register, actor=cashier, starting_cash=Decimal("0.00"))
    pos_services.reserve_number_block(register=register, device_id="tablet-1", actor=cashier)
    data = pos_services.SaleInput(
        device_sale_id=uuid.uuid4(), shift_id=shift.pk, receipt_number=1,
        lines=[pos_services.LineInput(menu_item_id=item.pk, quantity=1, unit_price=Decimal("535.00"), modifiers={})],
        payments=[pos_services.PaymentInput(method="cash", amount=Decimal("535.00"))],
    )  # fmt: skip
    return pos_services.record_sale(register=register, actor=cashier, data=data).sale


def test_a_full_tax_invoice_at_the_till_and_the_months_report(live_server, desktop, make_user, screenshot):
    manager = make_user("manager", username="phuchatkan")
    sale = a_sale(manager)
    page = desktop
    sign_in(page, f"{live_server.url}/pos/receipts/{sale.pk}/tax-invoice/", "phuchatkan")
    page.get_by_label("ชื่อผู้ซื้อ").fill("บริษัท ตะกร้าของขวัญ จำกัด")
    page.get_by_label("ที่อยู่ผู้ซื้อ").fill("99 ถนนมิตรภาพ ขอนแก่น 40000")
    page.get_by_label("เลขประจำตัวผู้เสียภาษีของผู้ซื้อ").fill("0105551234568")
    page.get_by_label("สาขา", exact=True).fill("1")
    page.get_by_role("button", name="ออกใบกำกับภาษี").click()
    expect(page.locator(".field-error").first).to_contain_text("13 หลัก")
    screenshot(page, "refused-tax-id")
    page.get_by_label("เลขประจำตัวผู้เสียภาษีของผู้ซื้อ").fill("0105551234567")
    page.get_by_role("button", name="ออกใบกำกับภาษี").click()
    invoice = page.locator("article.tax-document")
    expect(invoice.get_by_role("heading", name="ใบกำกับภาษี")).to_be_visible()
    expect(invoice).to_contain_text("สาขาที่ 00001")
    expect(invoice).to_contain_text("•••••••••4567")  # masked on the screen
    expect(invoice).not_to_contain_text("0105551234567")
    expect(invoice).to_contain_text("฿35.00")  # VAT of ฿535.00
    expect(invoice).to_contain_text("7 %")
    screenshot(page, "invoice")
    pdf = page.request.get(live_server.url + page.get_by_role("link", name="พิมพ์ (PDF)").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.body())
    assert len(document) == 1
    assert "0105551234567" in document[0].get_textpage().get_text_range()  # s.86/4: the printed invoice carries it
    assert AuditEvent.objects.filter(action="tax.buyer_tax_id_viewed", data={"how": "pdf"}).count() == 1

    page.goto(f"{live_server.url}/tax/report/")
    year = timezone.localdate().year + 543
    expect(page.locator("h1")).to_contain_text(str(year))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # the receipt's abbreviated invoice (cancelled) and the full one
    expect(page.locator("tfoot")).to_contain_text("฿500.00")
    expect(page.locator("tfoot")).to_contain_text("฿35.00")
    screenshot(page, "report")
