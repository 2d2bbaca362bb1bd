"""The shop people want to look at: a picture on every card, the shop's header on every public page, a buy
bar that leaves the phone's screen to the story, and no serious accessibility faults (axe-core from npm)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.catalog import demo as catalog_demo
from otop.catalog.drawings import drawn_picture
from otop.catalog.models import Product
from otop.demo.services import seed_demo
from otop.pos.tests.factories import RegisterFactory
from otop.producers.tests.factories import ProducerFactory
from otop.selection import services as selection
from otop.selection.tests.factories import ApplicationFactory
from otop.workspace.tests.factories import SpaceFactory

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(monkeypatch):
    # Two drawn pictures a category keep the seeding quick; every product still gets one.
    monkeypatch.setattr(catalog_demo, "PICTURES_PER_CATEGORY", 2)
    seed_demo(products=40)
    cache.clear()


@pytest.fixture
def checked_phone(browser):
    """A phone whose pages can be checked by axe-core (its script is added to the page, so the page's CSP,
    which allows our own scripts only, is set aside for this context)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def serious_accessibility_faults(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:160]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def every_card_shows_its_picture(page, card_selector: str) -> int:
    cards = page.locator(card_selector)
    count = cards.count()
    for index in range(count):
        picture = cards.nth(index).locator("picture.product-picture img")
        picture.scroll_into_view_if_needed()
        expect(picture).to_have_js_property("complete", True)
        assert picture.evaluate("img => img.naturalWidth") > 0
        assert picture.evaluate("img => img.currentSrc").endswith(".webp")
    return count


def test_the_demo_home_and_listing_show_a_picture_on_every_card(live_server, checked_phone, demo, screenshot):
    page = checked_phone
    page.goto(live_server.url + "/")
    assert every_card_shows_its_picture(page, ".product-card") >= 6
    page.evaluate("window.scrollTo(0, 0)")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "home")

    page.goto(live_server.url + "/categories/textiles/")
    first = page.locator(".product-card picture img").first
    assert first.get_attribute("loading") is None  # the first row is in the first screen
    assert page.locator(".product-card picture img").nth(4).get_attribute("loading") == "lazy"
    assert every_card_shows_its_picture(page, ".product-card") >= 4
    expect(page.locator(".product-card .product-producer").first).not_to_be_empty()
    expect(page.locator(".product-card .product-meta").first).to_contain_text("อำเภอ")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "listing")

    page.goto(live_server.url + "/search/?q=%E0%B8%9C%E0%B9%89%E0%B8%B2")
    assert every_card_shows_its_picture(page, ".product-card") >= 1
    page.evaluate("window.scrollTo(0, 0)")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "search")


def test_a_shelf_scan_opens_a_story_with_its_picture_the_shops_header_and_a_small_buy_bar(
    live_server, checked_phone, demo, screenshot
):
    product = Product.objects.filter(status=Product.Status.LISTED, category__code="food").order_by("sku").first()
    page = checked_phone
    page.goto(f"{live_server.url}/p/{product.code}")

    photo = page.locator(".story-photos picture img").first
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert photo.get_attribute("loading") is None
    header = page.locator(".site-header")
    for name in ("ค้นหา", "ตะกร้า", "ติดตามคำสั่งซื้อ"):
        expect(header.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator(".availability")).not_to_contain_text("ที่หน้าร้าน")
    bar = page.locator(".buy").bounding_box()
    assert bar["height"] <= 0.12 * PHONE["height"]
    assert bar["y"] + bar["height"] <= PHONE["height"] + 1  # stuck to the bottom of the first screen
    expect(page.locator(".buy button")).to_be_visible()
    assert serious_accessibility_faults(page) == []
    page.screenshot(path=str(Path(settings.VAR_DIR) / "screenshots" / "story-first-screen.png"))
    screenshot(page, "story")

    # By keyboard alone: the skip link first, then on to the buy bar's button.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.buy button')"):
            break
    else:
        pytest.fail("the buy button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-count")).to_have_text("1")
    expect(page.locator(".product-picture img").first).to_be_visible()
    assert serious_accessibility_faults(page) == []
    screenshot(page, "cart")


def test_the_till_finds_items_by_name_as_the_cashier_types_with_picture_producer_and_price(
    live_server, browser, make_user, monkeypatch, screenshot
):

    monkeypatch.setattr(catalog_demo, "PICTURES_PER_CATEGORY", 2)
    seed_demo(products=30)
    make_user("cashier", username="kasira")
    RegisterFactory()
    silks = list(Product.objects.filter(status=Product.Status.LISTED, name_th__startswith="ผ้าไหม").order_by("sku"))
    assert silks
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, has_touch=True, locale="th-TH", bypass_csp=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/pos/shop/")
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("kasira")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("html[data-pos-ready='true']")).to_be_attached()
    page.locator("#starting-cash").fill("1000")
    page.get_by_role("button", name="เปิดกะ").click()

    page.locator("#scan").press_sequentially("ผ้าไหม", delay=40)  # no Enter: the list follows the typing
    results = page.locator("#search-results .pos-result")
    expect(results.first).to_be_visible()
    first = results.first
    expect(first.locator(".pos-item-producer")).not_to_be_empty()
    expect(first.locator(".pos-item-price")).to_contain_text("฿")
    expect(first.locator("img")).to_have_js_property("complete", True)
    assert first.locator("img").evaluate("img => img.naturalWidth") > 0
    # The server's Thai search may add looser matches (by description) below the names that match.
    expect(first.locator(".pos-item-name")).to_contain_text("ผ้าไหม")
    box = first.bounding_box()
    assert box["height"] >= 48  # a finger's target
    screenshot(page, "register-search")

    first.click()
    expect(page.locator(".pos-line")).to_have_count(1)
    expect(page.locator("#search-results .pos-result")).to_have_count(0)
    expect(page.locator("#scan")).to_have_value("")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "register-line")
    context.close()


def test_the_committee_scores_an_application_with_its_photo_in_view(live_server, browser, make_user, screenshot):

    member = make_user("committee", username="kammakan", first_name="กรรมการ")
    producer_user = make_user("producer", phone="0891112222")
    producer = ProducerFactory(user=producer_user)
    template = ApplicationFactory.build(producer=producer)
    photo = drawn_picture("textiles", 3)
    assert Image.open(io.BytesIO(photo)).format == "JPEG"
    application = selection.submit_application(
        actor=producer_user, producer=producer, category=template.category, name_th=template.name_th,
        proposed_price=template.proposed_price, description_th=template.description_th,
        photos=[SimpleUploadedFile("silk.jpg", photo, "image/jpeg")],
    )  # fmt: skip
    selection.plan_meeting(
        actor=make_user("staff"), title="ประชุมคัดเลือก 1/2569", held_on=timezone.localdate(), chair=member,
        applications=[application],
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/selection/applications/{application.pk}/")
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("kammakan")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    picture = page.locator(".application-photos img").first
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("img => img.naturalWidth") > 0
    assert picture.bounding_box()["y"] < 400  # in the first screen, beside the facts the members score
    expect(page.locator("#score")).to_be_visible()
    assert serious_accessibility_faults(page) == []
    screenshot(page, "application")
    context.close()


def test_a_shopper_finds_the_room_signs_up_and_sees_their_orders_with_the_shops_header_everywhere(
    live_server, checked_phone, screenshot
):
    SpaceFactory(name_th="ห้องประชุมใหญ่")
    page = checked_phone
    page.goto(live_server.url + "/")
    page.locator("a[href='/workspace/']").first.click()
    expect(page.locator("body")).to_contain_text("ห้องประชุมใหญ่")
    header = page.locator(".site-header")
    for name in ("ค้นหา", "ตะกร้า", "ติดตามคำสั่งซื้อ"):
        expect(header.get_by_role("link", name=name)).to_be_visible()
    assert serious_accessibility_faults(page) == []
    screenshot(page, "workspace")

    header.get_by_role("link", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("link", name="ลืมรหัสผ่าน")).to_be_visible()
    assert serious_accessibility_faults(page) == []
    screenshot(page, "sign-in")
    page.get_by_role("link", name="สร้างบัญชี").first.click()
    page.get_by_label("ชื่อของคุณ").fill("สมหญิง ใจดี")
    page.get_by_label("อีเมล").fill("somying@example.com")
    page.get_by_label("รหัสผ่าน", exact=False).first.fill("ผ้าไหม-2569-x")
    page.get_by_label("ยืนยันรหัสผ่าน").fill("ผ้าไหม-2569-x")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "sign-up")
    page.get_by_role("button", name="สร้างบัญชี").click()

    page.get_by_role("link", name="คำสั่งซื้อของฉัน").click()
    expect(page.locator("h1")).to_have_text("คำสั่งซื้อของฉัน")
    expect(page.locator("main")).to_contain_text("ยังไม่มีคำสั่งซื้อ")
    assert serious_accessibility_faults(page) == []
    screenshot(page, "my-orders")


def test_staff_see_each_products_picture_in_the_catalogue_list_and_visitors_on_a_producers_page(
    live_server, desktop, checked_phone, demo, make_user, screenshot
):
    make_user("staff", username="officer")
    desktop.goto(f"{live_server.url}/accounts/login/?next=/backoffice/catalog/")
    desktop.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("officer")
    desktop.get_by_label("รหัสผ่าน").fill(PASSWORD)
    desktop.get_by_role("button", name="เข้าสู่ระบบ").click()
    rows = desktop.locator("tbody tr")
    expect(rows.first.locator(".row-thumb img")).to_be_visible()
    assert rows.locator(".row-thumb img").count() == rows.count()
    screenshot(desktop, "catalogue")

    producer = Product.objects.filter(status=Product.Status.LISTED).order_by("sku").first().producer
    checked_phone.goto(f"{live_server.url}/producers/{producer.pk}/")
    assert every_card_shows_its_picture(checked_phone, ".card.product") >= 1
    assert serious_accessibility_faults(checked_phone) == []
    screenshot(checked_phone, "producer")
