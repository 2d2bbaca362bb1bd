"""Retention as data: rules report first (dry run), then forget guest orders' and bookings' personal fields."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from otop.core.models import AuditEvent
from otop.orders import services as orders
from otop.orders.models import Order
from otop.privacy import retention
from otop.privacy.models import RetentionRule
from otop.workspace.models import Booking
from otop.workspace.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def _guest_order(*, placed_at: datetime, status: str = Order.Status.COMPLETED) -> Order:
    order = orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="สมชาย ผู้ซื้อ", phone="0812223333", email="guest@example.com"),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="99 ถนนมิตรภาพ", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
    )
    Order.objects.filter(pk=order.pk).update(placed_at=placed_at, status=status)
    return Order.objects.get(pk=order.pk)


def _booking(*, ends_at: datetime, n: int) -> Booking:
    return Booking.objects.create(
        space=SpaceFactory(slug=f"room-{n}"), reference=f"BK-{n:05d}", token=f"token-{n}",
        starts_at=ends_at - timedelta(hours=1), ends_at=ends_at, occupied_until=ends_at,
        name="คุณแขก", phone="0899998888", email="room@example.com", purpose="ประชุม",
        price_per_hour=Decimal("200.00"), amount_due=Decimal("200.00"),
    )  # fmt: skip


def test_cutoffs_count_calendar_months_and_years():
    assert retention.cutoff_for(keep_for=2, unit="years", now=NOW) == NOW.replace(year=2024)
    assert retention.cutoff_for(keep_for=6, unit="months", now=NOW) == NOW.replace(month=6)
    end_of_march = datetime(2026, 3, 31, tzinfo=UTC)
    assert retention.cutoff_for(keep_for=1, unit="months", now=end_of_march) == datetime(2026, 2, 28, tzinfo=UTC)
    assert retention.cutoff_for(keep_for=90, unit="days", now=NOW) == NOW - timedelta(days=90)


def test_a_new_rule_only_reports_then_forgets_once_the_manager_switches_it_to_apply(shop, manager):
    old = _guest_order(placed_at=NOW - timedelta(days=800))
    recent = _guest_order(placed_at=NOW - timedelta(days=100))
    unfinished = _guest_order(placed_at=NOW - timedelta(days=800), status=Order.Status.PAID)
    old_booking = _booking(ends_at=NOW - timedelta(days=200), n=1)
    new_booking = _booking(ends_at=NOW - timedelta(days=20), n=2)

    report = {line.rule.key: line.due for line in retention.retention_report(now=NOW)}
    assert report["guest_orders"] == 1 and report["booking_contacts"] == 1

    retention.run_retention(now=NOW)  # the daily job: every rule starts in report mode
    old.refresh_from_db()
    assert old.customer_name == "สมชาย ผู้ซื้อ"
    rule = RetentionRule.objects.get(key="guest_orders")
    assert (rule.last_count, rule.last_applied) == (1, False)
    assert not AuditEvent.objects.filter(action="privacy.retention_applied").exists()

    for key in ("guest_orders", "booking_contacts"):
        rule = RetentionRule.objects.get(key=key)
        retention.set_retention_rule(actor=manager, rule=rule, keep_for=rule.keep_for, unit=rule.unit, applies=True)
    retention.run_retention(now=NOW)

    old.refresh_from_db()
    assert (old.customer_name, old.phone, old.email, old.address_line1) == ("-", "", "", "")
    assert old.postcode == "40000" and old.total > 0  # the area and the amounts stay for the accounts
    recent.refresh_from_db()
    unfinished.refresh_from_db()
    assert recent.phone == "0812223333" and unfinished.phone == "0812223333"
    old_booking.refresh_from_db()
    new_booking.refresh_from_db()
    assert (old_booking.name, old_booking.phone, old_booking.email) == ("", "", "")
    assert new_booking.name == "คุณแขก"
    assert AuditEvent.objects.filter(action="privacy.retention_applied").count() == 2
    # Run again: nothing left, nothing audited twice.
    retention.run_retention(now=NOW)
    assert AuditEvent.objects.filter(action="privacy.retention_applied").count() == 2


def test_the_dry_run_command_changes_nothing_even_for_a_rule_in_apply_mode(shop, manager):
    old = _guest_order(placed_at=timezone.now() - timedelta(days=800))
    retention.ensure_rules()
    RetentionRule.objects.filter(key="guest_orders").update(applies=True)
    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("apply_retention", "--dry-run", stdout=out)
    old.refresh_from_db()
    assert old.phone == "0812223333"
    call_command("apply_retention", stdout=out)
    old.refresh_from_db()
    assert old.phone == ""


def test_old_server_log_files_are_deleted_and_recent_ones_kept(settings, tmp_path):
    settings.LOG_DIR = tmp_path
    old, recent = tmp_path / "access.log.1", tmp_path / "access.log"
    old.write_text("203.0.113.9 GET /orders/track/")
    recent.write_text("203.0.113.9 GET /")
    ancient = (timezone.now() - timedelta(days=120)).timestamp()
    os.utime(old, (ancient, ancient))
    retention.ensure_rules()
    RetentionRule.objects.filter(key="server_logs").update(applies=True)
    said = retention.run_retention()
    assert "server_logs: 1 forgotten" in " ".join(said)
    assert not old.exists() and recent.exists()


def test_only_the_manager_edits_rules_and_a_bad_time_changes_nothing(client_for, manager):
    retention.ensure_rules()
    rule = RetentionRule.objects.get(key="booking_contacts")
    assert client_for("staff").get("/privacy/retention/").status_code == 403
    client = Client()
    client.force_login(manager)
    page = client.get("/privacy/retention/")
    assert page.status_code == 200 and "ห้อง" in page.text
    response = client.post(
        f"/privacy/retention/{rule.pk}/", {f"r{rule.pk}-keep_for": "0", f"r{rule.pk}-unit": "months"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.keep_for, rule.applies) == (6, False)
    client.post(
        f"/privacy/retention/{rule.pk}/",
        {f"r{rule.pk}-keep_for": "3", f"r{rule.pk}-unit": "months", f"r{rule.pk}-applies": "on"},
    )
    rule.refresh_from_db()
    assert (rule.keep_for, rule.unit, rule.applies) == (3, "months", True)
    assert AuditEvent.objects.filter(action="privacy.retention_changed", actor=manager).count() == 1
