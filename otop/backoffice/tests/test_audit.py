"""The audit log page in words: every action code the services record has a label, in Thai and English."""

from __future__ import annotations

import re
from pathlib import Path

from otop.backoffice.audit import ACTION_LABELS, action_label, target_label
from otop.core.models import AuditEvent
from otop.core.services import record_audit_event
from otop.orders.models import Order
from otop.payments.models import BankTransfer
from otop.pos.models import Sale
from otop.selection.models import Application
from otop.tax.models import DocumentKind

OTOP = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""action=["']([a-z_]+\.[a-z_.]+)["']""")


def codes_the_services_record() -> set[str]:
    found = set()
    for path in OTOP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    found.add("pos.pin_failed")  # recorded through a constant (pos.services.PIN_FAILED)
    # codes made from a status or a kind (f"orders.{to_status}", ...)
    found |= {f"orders.{status}" for status in Order.Status.values}
    found |= {f"pos.sale_{status}" for status in Sale.Status.values}
    found |= {f"selection.application_{status}" for status in Application.Status.values}
    found |= {f"tax.{kind}_issued" for kind in DocumentKind.values}
    found |= {f"payments.{source}.{outcome}" for source in ("bank_transfer", "slip") for outcome in
              BankTransfer.Outcome.values if outcome != BankTransfer.Outcome.RECEIVED}  # fmt: skip
    return found


def test_every_recorded_action_has_a_label():
    codes = codes_the_services_record()
    assert "orders.completed" in codes and "catalog.product_created" in codes  # the scan finds them
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_an_unknown_code_is_still_words():
    assert action_label("catalog.something_new") .endswith(": something new")  # fmt: skip
    assert "_" not in action_label("catalog.something_new")


def test_labels_are_translated(settings):
    from django.utils import translation

    with translation.override("th"):
        thai = {code: action_label(code) for code in ACTION_LABELS}
        assert target_label("orders.order", "1") == "คำสั่งซื้อ #1"
    with translation.override("en"):
        english = {code: action_label(code) for code in ACTION_LABELS}
        assert target_label("orders.order", "1") == "Order #1"
    untranslated = [code for code in ACTION_LABELS if thai[code] == english[code]]
    assert untranslated == []
    assert english["orders.completed"] == "Order completed"


def test_the_page_shows_words_not_codes(client_for, manager, db):
    order_target = AuditEvent.objects.create(
        actor=manager, action="orders.completed", target_type="orders.order", target_id="1", summary="W-000001"
    )
    assert order_target.pk
    record_audit_event(actor=manager, action="center.profile_updated", target=manager)
    client = client_for("manager")
    thai = client.get("/backoffice/audit/").content.decode()
    assert "orders.completed" not in thai and "orders.order" not in thai and "center.profile_updated" not in thai
    assert "คำสั่งซื้อ #1" in thai and action_label_in("th", "orders.completed") in thai
    english = client.get("/en/backoffice/audit/").content.decode()
    assert "Order completed" in english and "Order #1" in english and "Center profile changed" in english
    assert "orders.completed" not in english


def action_label_in(language: str, code: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return action_label(code)
