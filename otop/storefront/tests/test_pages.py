import pytest

from otop.core.models import OpeningException


@pytest.mark.django_db
def test_thai_home_page_shows_the_center_categories_and_hours(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "storefront/home.html"
    assert '<html lang="th">' in html
    assert "ศูนย์ส่งเสริมและพัฒนาสินค้า OTOP จังหวัดขอนแก่น" in html
    for name in ["อาหารและเครื่องดื่ม", "ผ้าและเครื่องแต่งกาย", "ของใช้และของตกแต่ง", "ของที่ระลึก", "สมุนไพรที่ไม่ใช่อาหาร"]:
        assert name in html
    assert "ทุกวัน 08:00–18:00" in html
    assert "รวมวันหยุดนักขัตฤกษ์" in html
    assert 'href="/en/"' in html


@pytest.mark.django_db
def test_english_home_page(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Khon Kaen OTOP Promotion and Development Center" in html
    assert "Food and drinks" in html
    assert "Every day 08:00–18:00" in html
    assert 'href="/"' in html


@pytest.mark.django_db
def test_home_page_lists_categories_in_each_readers_order_whichever_language_came_first(client):
    def order(html: str, names: list[str]) -> list[str]:
        return sorted(names, key=html.index)

    thai = ["อาหารและเครื่องดื่ม", "ผ้าและเครื่องแต่งกาย", "ของใช้และของตกแต่ง", "ของที่ระลึก", "สมุนไพรที่ไม่ใช่อาหาร"]
    english = ["Food and drinks", "Textiles and apparel", "Household items and decorations", "Souvenirs",
               "Non-food herbal products"]  # fmt: skip
    first = client.get("/").content.decode()  # cached for the Thai reader
    assert order(first, thai) == ["ของใช้และของตกแต่ง", "ของที่ระลึก", "ผ้าและเครื่องแต่งกาย",
                                  "สมุนไพรที่ไม่ใช่อาหาร", "อาหารและเครื่องดื่ม"]  # fmt: skip
    assert order(client.get("/en/").content.decode(), english) == sorted(english)


@pytest.mark.django_db
def test_opening_exception_shows_with_a_buddhist_era_date(client, settings):
    from django.utils import timezone

    today = timezone.localdate()
    OpeningException.objects.create(day=today, is_closed=True, note_th="ปิดปรับปรุง", note_en="Closed for repairs")
    html = client.get("/").content.decode()
    assert "วันนี้ปิด" in html
    assert f"{today.year + 543}" in html
    assert "ปิดปรับปรุง" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "text"), [("/no-such-page/", "ไม่พบหน้านี้"), ("/en/no-such-page/", "Page not found")])
def test_custom_404_in_both_languages(client, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_the_database_cache_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_home_page_sends_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
