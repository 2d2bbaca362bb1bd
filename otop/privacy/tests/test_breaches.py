"""The breach log: an incident, who it affects, the 72-hour clock to the PDPC, the notice to the people."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from otop.core.errors import Conflict, DomainError
from otop.core.models import AuditEvent
from otop.orders import services as orders
from otop.orders.models import Order
from otop.privacy import breaches
from otop.privacy.models import Breach

pytestmark = pytest.mark.django_db


def _order(name: str, phone: str) -> Order:
    return orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name=name, phone=phone, email=f"{phone}@example.com"),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="1 ถนนมิตรภาพ", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
    )


def _breach(manager, **overrides) -> Breach:
    now = timezone.now()
    fields = {
        "title": "ส่งอีเมลยืนยันคำสั่งซื้อผิดคน", "description": "อีเมลยืนยันถูกส่งไปผิดผู้รับ",
        "data_affected": "ชื่อ โทรศัพท์ ที่อยู่", "discovered_at": now - timedelta(hours=10),
        "risk": Breach.Risk.HIGH, "scope": Breach.Scope.ORDERS,
        "period_start": now - timedelta(days=1), "period_end": now + timedelta(minutes=1),
        "measures": "เปลี่ยนรหัสผ่านระบบอีเมลแล้ว",
    }  # fmt: skip
    fields.update(overrides)
    return breaches.record_breach(actor=manager, **fields)


def test_an_incident_finds_the_people_it_affects_once_each_and_starts_the_72_hour_clock(shop, manager):
    _order("สมศรี", "0811111111")
    _order("สมศรี", "0811111111")  # the same person twice
    _order("สมชาย", "0822222222")
    breach = _breach(manager)
    assert breach.reference == f"BR-{breach.pk:06d}"
    people = breaches.affected_people(breach)
    assert sorted(person.phone for person in people) == ["0811111111", "0822222222"]
    assert breach.pdpc_due_at == breach.discovered_at + timedelta(hours=72)
    assert breaches.hours_left(breach, now=breach.discovered_at + timedelta(hours=70)) == 2.0
    assert breaches.hours_left(breach, now=breach.discovered_at + timedelta(hours=73)) == -1.0
    assert AuditEvent.objects.filter(action="privacy.breach_recorded", target_id=str(breach.pk)).exists()


def test_the_notice_text_is_thai_with_a_buddhist_era_date_and_english(shop, manager):
    breach = _breach(manager, discovered_at=timezone.now().replace(year=2026, month=11, day=2, hour=5))
    thai = breaches.notice_text(breach, language="th")
    assert "2569" in thai and "ส่งอีเมลยืนยันคำสั่งซื้อผิดคน" in thai and breach.reference in thai
    assert "ภายใน 72 ชั่วโมง" in thai
    english = breaches.notice_text(breach, language="en")
    assert "2026" in english and "within 72 hours" in english


def test_a_high_risk_incident_closes_only_after_both_notices_and_a_refusal_changes_nothing(shop, manager):
    breach = _breach(manager)
    with pytest.raises(Conflict):
        breaches.close_breach(actor=manager, breach=breach)
    breach.refresh_from_db()
    assert breach.closed_at is None
    breaches.record_pdpc_notice(actor=manager, breach=breach, reference="PDPC-2569-0042")
    with pytest.raises(Conflict):
        breaches.record_pdpc_notice(actor=manager, breach=breach, reference="again")
    with pytest.raises(Conflict):
        breaches.close_breach(actor=manager, breach=breach)
    breaches.record_people_notified(actor=manager, breach=breach)
    breaches.close_breach(actor=manager, breach=breach)
    breach.refresh_from_db()
    assert breach.pdpc_reference == "PDPC-2569-0042" and breach.closed_at is not None
    assert breaches.hours_left(breach) is None
    assert AuditEvent.objects.get(action="privacy.breach_pdpc_notified").summary.endswith("within 72 hours")


def test_an_incident_cannot_be_discovered_in_the_future(manager):
    with pytest.raises(DomainError):
        _breach(manager, discovered_at=timezone.now() + timedelta(hours=1))
    assert not Breach.objects.exists()


def test_the_manager_records_an_incident_on_the_page_and_downloads_who_to_tell_audited(shop, manager, client_for):
    _order("สมศรี", "0811111111")
    client = Client()
    client.force_login(manager)
    now = timezone.localtime()
    response = client.post(
        "/privacy/breaches/",
        {
            "title": "เครื่องคิดเงินหาย", "description": "โน้ตบุ๊กหน้าร้านหาย", "data_affected": "ชื่อ โทรศัพท์",
            "discovered_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "risk": "risk",
            "scope": "orders", "period_start": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "period_end": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "measures": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    breach = Breach.objects.get()
    page = client.get(f"/privacy/breaches/{breach.pk}/").content.decode()
    assert "71" in page and "เครื่องคิดเงินหาย" in page
    download = client.get(f"/privacy/breaches/{breach.pk}/affected.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][2:4] == ["สมศรี", "0811111111"]
    assert AuditEvent.objects.filter(action="privacy.breach_affected_exported", actor=manager).count() == 1
    for role in ("staff", "cashier", "customer"):
        assert client_for(role).get(f"/privacy/breaches/{breach.pk}/affected.csv").status_code == 403
        assert client_for(role).get("/privacy/breaches/").status_code == 403
