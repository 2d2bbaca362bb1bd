import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otop.core.money import baht_in_thai_words
from otop.inventory import services
from otop.inventory.documents import settlement_pdf
from otop.inventory.errors import NothingToSettle, SettlementAlreadyPaid, SettlementExists
from otop.inventory.models import Settlement, SoldItem
from otop.inventory.tests.factories import ProducerFactory, ProductFactory, VariantFactory
from otop.inventory.tests.test_intake_and_stock import pdf_text
from otop.producers import services as producer_services

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def at(day: int, month: int = 10, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BANGKOK)


def test_a_month_settles_sales_minus_returns_and_commission_to_the_satang(manager):
    variant = VariantFactory()
    producer = variant.product.producer
    services.record_sale_lines(lines=[(variant.pk, 3, Decimal("333.33"))], reference="order:1", channel="web",
                               sold_at=at(2))  # fmt: skip
    services.record_sale_lines(lines=[(variant.pk, 1, Decimal("350.00"))], reference="pos-7", channel="counter",
                               sold_at=at(31, hour=23))  # fmt: skip
    services.record_return_lines(lines=[(variant.pk, 1, Decimal("333.33"))], reference="refund:1", channel="web",
                                 returned_at=at(5))  # fmt: skip
    # Midnight in Bangkok on 1 November belongs to November.
    services.record_sale_lines(lines=[(variant.pk, 1, Decimal("350.00"))], reference="pos-8", channel="counter",
                               sold_at=datetime(2026, 11, 1, 0, 0, tzinfo=BANGKOK))  # fmt: skip

    settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1), actor=manager)
    assert settlement.number == f"ST-202610-{producer.pk:05d}"
    assert (settlement.period_start, settlement.period_end) == (date(2026, 10, 1), date(2026, 11, 1))
    # gross 999.99 + 350.00; returns 333.33; net sales 1,016.66; commission 20 % = 203.332 → 203.33.
    assert settlement.gross_sales == Decimal("1349.99")
    assert settlement.returns == Decimal("333.33")
    assert settlement.commission == Decimal("203.33")
    assert settlement.net_payable == Decimal("813.33")
    assert (settlement.units_sold, settlement.units_returned) == (4, 1)
    assert SoldItem.objects.filter(settlement=settlement).count() == 3
    assert SoldItem.objects.get(reference="pos-8").settlement is None


def test_a_producer_price_is_paid_instead_of_sale_minus_commission(manager):
    variant = VariantFactory()
    producer = variant.product.producer
    from otop.inventory import selectors

    services.record_intake(
        producer=producer,
        items=[services.IntakeItem(variant=variant, quantity=5, producer_price=Decimal("250.00"))],
        location=selectors.location("shop"),
        actor=manager,
    )
    services.record_sale_lines(lines=[(variant.pk, 2, Decimal("350.00"))], reference="pos-1", channel="counter",
                               sold_at=at(3))  # fmt: skip
    settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1))
    assert (settlement.gross_sales, settlement.commission, settlement.net_payable) == (
        Decimal("700.00"),
        Decimal("200.00"),
        Decimal("500.00"),
    )


def test_a_settlement_cannot_be_made_twice_and_is_paid_once(manager):
    variant = VariantFactory()
    producer = variant.product.producer
    services.record_sale_lines(lines=[(variant.pk, 1, Decimal("100.00"))], reference="o1", channel="web", sold_at=at(2))
    settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1))
    services.record_sale_lines(lines=[(variant.pk, 1, Decimal("100.00"))], reference="o2", channel="web", sold_at=at(3))
    with pytest.raises(SettlementExists) as refused:
        services.create_settlement(producer=producer, period_start=date(2026, 10, 1))
    assert settlement.number in refused.value.message and "ไม่สามารถ" in refused.value.message
    assert Settlement.objects.count() == 1
    assert SoldItem.objects.get(reference="o2").settlement is None
    with pytest.raises(NothingToSettle):
        services.create_settlement(producer=ProducerFactory(), period_start=date(2026, 10, 1))

    services.mark_settlement_paid(settlement=settlement, actor=manager, payment_reference="TRF-1")
    with pytest.raises(SettlementAlreadyPaid):
        services.mark_settlement_paid(settlement=settlement, actor=manager, payment_reference="TRF-2")
    settlement.refresh_from_db()
    assert (settlement.status, settlement.payment_reference) == ("paid", "TRF-1")


def test_the_statement_pdf_is_thai_with_the_amount_in_words(manager):
    variant = VariantFactory()
    services.record_sale_lines(lines=[(variant.pk, 2, Decimal("1250.50"))], reference="o1", channel="web",
                               sold_at=at(9))  # fmt: skip
    settlement = services.create_settlement(producer=variant.product.producer, period_start=date(2026, 10, 1))
    assert settlement.net_payable == Decimal("2000.80")
    text = pdf_text(settlement_pdf(settlement))
    assert "2569" in text and "฿2,000.80" in text and settlement.number in text
    assert baht_in_thai_words(settlement.net_payable) == "สองพันบาทแปดสิบสตางค์"


def test_the_bank_transfer_file_pays_into_the_confirmed_account_and_names_who_has_none(client_for, make_user):

    variant, other = VariantFactory(), VariantFactory()
    producer = variant.product.producer
    manager = make_user("manager")
    waiting = producer_services.submit_bank_account(
        actor=manager, producer=producer, bank="baac", account_number="012-3-45678-9", account_name="กลุ่มทอผ้า"
    )
    for v, ref in ((variant, "o1"), (other, "o2")):
        services.record_sale_lines(lines=[(v.pk, 1, Decimal("100.00"))], reference=ref, channel="web", sold_at=at(2))
    settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1))
    services.create_settlement(producer=other.product.producer, period_start=date(2026, 10, 1))
    client = client_for("manager")

    def export():
        response = client.get(reverse("inventory:settlements-export"))
        return {row[0]: row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}

    # Not yet confirmed by staff: nothing to pay into, and the page says so.
    assert export()[settlement.number][2:6] == ["", "", "", ""]
    page = client.get(reverse("inventory:settlements")).content.decode()
    assert producer.name_th in page.split('id="without-account"')[1]
    assert "ยังไม่มีบัญชีธนาคารที่ยืนยันแล้ว" in page

    producer_services.confirm_bank_account(actor=manager, account=waiting)
    assert export()[settlement.number] == [
        settlement.number, producer.name_th, "baac", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร (ธ.ก.ส.)",
        "0123456789", "กลุ่มทอผ้า", "80.00", "",
    ]  # fmt: skip
    page = client.get(reverse("inventory:settlements")).content.decode()
    without = page.split('id="without-account"')[1].split("</div>")[0]
    assert producer.name_th not in without and other.product.producer.name_th in without
    text = pdf_text(settlement_pdf(settlement))
    assert "••••••6789" in text and "0123456789" not in text


def test_a_producer_reads_only_its_own_statements(client_for, make_user):
    variant, other = VariantFactory(), VariantFactory()
    user = make_user("producer")
    variant.product.producer.user = user
    variant.product.producer.save()
    for v, ref in ((variant, "a"), (other, "b")):
        services.record_sale_lines(lines=[(v.pk, 1, Decimal("100.00"))], reference=ref, channel="web", sold_at=at(2))
    mine = services.create_settlement(producer=variant.product.producer, period_start=date(2026, 10, 1))
    theirs = services.create_settlement(producer=other.product.producer, period_start=date(2026, 10, 1))
    from django.test import Client

    client = Client()
    client.force_login(user)
    listing = client.get(reverse("inventory:my-statements")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    pdf = client.get(reverse("inventory:my-statement-pdf", args=[mine.number]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("inventory:my-statement-pdf", args=[theirs.number])).status_code == 404
    assert client.get(reverse("inventory:my-stock")).status_code == 200
    # A producer account not linked to a producer sees nothing.
    assert client_for("producer").get(reverse("inventory:my-statements")).status_code == 403


prices = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("9999.99"), places=2)
percents = st.sampled_from([Decimal("0.00"), Decimal("12.50"), Decimal("20.00"), Decimal("33.33"), Decimal("100.00")])
documents = st.lists(
    st.tuples(
        st.sampled_from(["sale", "sale", "return"]),
        st.integers(min_value=0, max_value=2),  # which of three items
        st.integers(min_value=1, max_value=5),
        prices,
        st.integers(min_value=1, max_value=31),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=documents, percent=percents)
def test_settlements_reconcile_with_the_sales_they_come_from(documents, percent):
    with transaction.atomic():
        producer = ProducerFactory(commission_percent=percent)
        variants = [VariantFactory(product=ProductFactory(producer=producer)) for _ in range(3)]
        for number, (kind, which, quantity, price, day) in enumerate(documents):
            record = services.record_sale_lines if kind == "sale" else services.record_return_lines
            stamp = {"sold_at": at(day)} if kind == "sale" else {"returned_at": at(day)}
            record(lines=[(variants[which].pk, quantity, price)], reference=f"doc-{number}", channel="web", **stamp)
        settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1))
        lines = list(settlement.lines.all())
        items = list(SoldItem.objects.filter(producer=producer))

        sales = sum((i.unit_price * i.quantity for i in items if i.kind == "sale"), Decimal("0"))
        refunds = sum((i.unit_price * i.quantity for i in items if i.kind == "return"), Decimal("0"))
        assert all(i.settlement_id == settlement.pk for i in items)
        assert settlement.gross_sales == sales == sum(line.gross_sales for line in lines)
        assert settlement.returns == refunds == sum(line.returns for line in lines)
        assert settlement.units_sold == sum(i.quantity for i in items if i.kind == "sale")
        assert settlement.net_payable == settlement.gross_sales - settlement.returns - settlement.commission
        assert settlement.commission == sum(line.commission for line in lines)
        for line in lines:
            assert line.commission == ((line.gross_sales - line.returns) * percent / 100).quantize(
                Decimal("0.01"), rounding="ROUND_HALF_UP"
            )
            assert line.net_payable == line.gross_sales - line.returns - line.commission
        for value in (settlement.gross_sales, settlement.commission, settlement.net_payable):
            assert value == value.quantize(Decimal("0.01"))
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("name", "code"),
    [("ธ.ก.ส.", "baac"), ("ธนาคารกรุงไทย", "ktb"), ("KBank", "kbank"), ("ออมสิน สาขาชุมแพ", "gsb"), ("สหกรณ์", None)],
)
def test_old_payout_accounts_are_carried_over_when_their_bank_is_recognised(name, code):
    import importlib

    migration = importlib.import_module("otop.inventory.migrations.0004_payouts_go_to_the_confirmed_bank_account")
    assert migration._bank_code(name) == code
