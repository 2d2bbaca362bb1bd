"""Staff import a CSV and print labels; a visitor scans a label's QR code on a phone and reads the story."""

import re

import pypdfium2
import zxingcpp
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.catalog.labels import LAYOUTS, labels_for, render_labels_pdf
from otop.catalog.models import Product, QrScanDay, Variant

CSV = (
    "sku,name_th,name_en,category,price,producer,province,district,description_th,description_en,"
    "story_th,story_en,barcode,weight_g,stock,otop_stars\n"
    "KK-001,ผ้าไหมมัดหมี่ลายนาคน้อย,Mudmee silk with little naga,textiles,2500.00,กลุ่มทอผ้าไหมบ้านเขว้า,"
    "ขอนแก่น,ชนบท,ผ้าไหมทอมือ,Hand-woven silk,<p>แม่ ๆ ในหมู่บ้านทอผ้าไหมกันใต้ถุนบ้าน</p>,"
    "<p>The mothers of the village weave under their houses.</p>,8850000000010,350,12,4\n"
    "KK-002,น้ำพริกปลาร้า,Fermented fish chili paste,food,45,กลุ่มแม่บ้านโนนสะอาด,,เมือง,,,,,,200,,\n"
)
BAD_CSV = CSV.replace("8850000000010", "8850000000011").replace(",food,45,", ",food,abc,")


def _sign_in(page, url):
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("shelf")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_import_then_scan_a_printed_label_on_a_phone_in_thai_and_english(
    live_server, desktop, phone, make_user, tmp_path
):
    make_user("staff", username="shelf")
    bad, good = tmp_path / "bad.csv", tmp_path / "catalog.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    good.write_text(CSV, encoding="utf-8")

    _sign_in(desktop, live_server.url + "/backoffice/catalog/import/")
    desktop.get_by_label("ไฟล์ CSV (UTF-8)").set_input_files(str(bad))
    desktop.get_by_role("button", name="นำเข้า").click()
    problems = desktop.locator("#import-problems")
    expect(problems).to_contain_text("ไม่ได้นำเข้าข้อมูลใดเลย: มีปัญหา 2 แถว")
    expect(problems).to_contain_text("บรรทัดที่ 2 [barcode]: เลขตรวจสอบของบาร์โค้ด 8850000000011 ไม่ถูกต้อง")
    expect(problems).to_contain_text("บรรทัดที่ 3 [price]")
    assert not Product.objects.exists()

    desktop.get_by_label("ไฟล์ CSV (UTF-8)").set_input_files(str(good))
    desktop.get_by_role("button", name="นำเข้า").click()
    expect(desktop.locator(".messages")).to_contain_text("สร้างสินค้าใหม่ 2 รายการ")

    # The staff member prints the labels; the "printed" sheet is rasterized and its QR code scanned.
    variant = Variant.objects.select_related("product").get(sku="KK-001")
    pdf = render_labels_pdf(labels_for([variant], base_url=live_server.url), layout=LAYOUTS["3x8"])
    page_image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
    codes = {result.format.name: result.text for result in zxingcpp.read_barcodes(page_image)}
    assert codes["EAN13"] == "8850000000010"
    scanned_url = codes["QRCode"]
    assert scanned_url == f"{live_server.url}/p/{variant.product.code}"

    phone.goto(scanned_url)
    expect(phone.locator("h1")).to_have_text("ผ้าไหมมัดหมี่ลายนาคน้อย")
    expect(phone.locator(".story-text")).to_contain_text("แม่ ๆ ในหมู่บ้านทอผ้าไหมกันใต้ถุนบ้าน")
    expect(phone.locator(".story-producer")).to_contain_text("อำเภอชนบท")
    expect(phone.locator(".buy .price")).to_contain_text("฿2,500.00")
    expect(phone.get_by_role("button", name="ใส่ตะกร้า")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert QrScanDay.objects.get(product=variant.product).count == 1

    phone.get_by_role("link", name="English").click()
    expect(phone).to_have_url(re.compile(rf"/en/p/{variant.product.code}$"))
    expect(phone.locator("h1")).to_have_text("Mudmee silk with little naga")
    expect(phone.locator(".story-text")).to_contain_text("The mothers of the village weave under their houses.")
    expect(phone.get_by_role("button", name="Add to cart")).to_be_visible()


def test_a_phone_set_to_english_opens_the_english_story(live_server, browser, make_user, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "catalog.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_catalog", str(path))
    product = Product.objects.get(sku="KK-002")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{product.code}")
    expect(page).to_have_url(re.compile(rf"/en/p/{product.code}$"))
    expect(page.locator("h1")).to_have_text("Fermented fish chili paste")
    expect(page.locator(".story-producer")).to_contain_text("Mueang Khon Kaen")
    context.close()


def test_the_label_page_names_the_address_its_codes_carry_and_warns_about_loopback(
    live_server, desktop, make_user, screenshot, settings
):
    make_user("staff", username="shelf")
    settings.SITE_URL = "http://127.0.0.1:8100"
    _sign_in(desktop, live_server.url + "/backoffice/catalog/labels/")
    expect(desktop.locator(".label-address")).to_contain_text("http://127.0.0.1:8100")
    expect(desktop.get_by_role("alert")).to_contain_text("โทรศัพท์ของลูกค้าเปิดไม่ได้")
    screenshot(desktop, "labels-loopback")
