"""Issuing tax documents: VAT arithmetic, buyers, numbers per series and period, credit notes, cancelling."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otop.catalog.tests.factories import ProductFactory
from otop.core.money import to_satang
from otop.tax import services, vat
from otop.tax.errors import DocumentCancelled, InvalidTaxDocument, NoVatRate
from otop.tax.models import DocumentKind, DocumentSeries, TaxDocument, VatExemptProduct, VatRate

D = Decimal
COMPANY = services.Buyer(name="บริษัท ตะกร้าของขวัญ จำกัด", address="ขอนแก่น 40000", tax_id="0105551234567")
NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def line(name="ผ้าไหม", quantity=1, unit_price="100.00", **extra):
    price = D(unit_price)
    return services.SoldLine(name=name, quantity=quantity, unit_price=price, total=price * quantity, **extra)


def test_vat_is_computed_once_from_the_inclusive_total_and_the_parts_add_up():
    # Per line, each ฿1.00 would carry ฿0.07 of VAT (฿0.21 in all); once from the ฿3.00 total it is ฿0.20.
    parts = vat.split([vat.Line(D("1.00"))] * 3, rate=D("0.07"))
    assert parts.vat == to_satang(D("3.00") * 7 / 107) == D("0.20")
    assert parts.net + parts.vat == parts.total == D("3.00")
    assert vat.vat_of_inclusive(D("107.00"), D("0.07")) == D("7.00")


def test_exempt_goods_stay_apart_and_a_discount_is_shared_so_the_parts_add_up():
    parts = vat.split([vat.Line(D("214.00")), vat.Line(D("100.00"), vat_exempt=True)], rate=D("0.07"),
                      discount=D("10.00"))  # fmt: skip
    assert parts.total == D("304.00")
    assert parts.taxable_gross + parts.exempt == parts.total
    assert parts.net + parts.vat == parts.taxable_gross
    assert parts.exempt == D("96.82") and parts.taxable_gross == D("207.18")
    assert parts.vat == to_satang(D("207.18") * 7 / 107)
    with pytest.raises(ValueError):
        vat.split([vat.Line(D("5.00"))], rate=D("0.07"), discount=D("6.00"))


@pytest.mark.django_db
def test_the_rate_is_data_with_validity_dates():
    assert services.vat_rate_on(date(2026, 12, 5)) == D("0.0700")
    VatRate.objects.filter(valid_until__isnull=True).update(valid_until=date(2027, 1, 1))
    VatRate.objects.create(rate=D("0.0800"), valid_from=date(2027, 1, 1))
    assert services.vat_rate_on(date(2026, 12, 31)) == D("0.0700")
    assert services.vat_rate_on(date(2027, 1, 1)) == D("0.0800")
    with pytest.raises(NoVatRate):
        services.vat_rate_on(date(1990, 1, 1))


@pytest.mark.django_db
def test_a_full_tax_invoice_carries_the_seller_the_validated_buyer_and_vat_shown_apart():
    document = services.issue_document(
        kind=DocumentKind.FULL, source_type="orders.order", source_id=7, lines=[line(quantity=2)],
        buyer=services.Buyer(name=" บริษัท ตะกร้าของขวัญ จำกัด ", address="ขอนแก่น", tax_id="0-1055-51234-56-7",
                             branch="1"),
        now=NOW,
    )  # fmt: skip
    assert document.code == "TI-2569-000001"
    assert document.title_th == "ใบกำกับภาษี"
    assert (document.buyer_name, document.buyer_tax_id, document.buyer_branch) == (
        "บริษัท ตะกร้าของขวัญ จำกัด", "0105551234567", "00001",
    )  # fmt: skip
    assert (document.total, document.net, document.vat, document.exempt_total) == (
        D("200.00"), D("186.92"), D("13.08"), D("0.00"),
    )  # fmt: skip
    assert [(x.name, x.quantity, x.total) for x in document.lines.all()] == [("ผ้าไหม", 2, D("200.00"))]
    again = services.issue_document(kind=DocumentKind.FULL, source_type="orders.order", source_id=7,
                                    lines=[line()], buyer=COMPANY, now=NOW)  # fmt: skip
    assert again.pk == document.pk
    assert DocumentSeries.objects.get().next_number == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("buyer", "field"),
    [
        (services.Buyer(name="", address="ขอนแก่น"), "buyer_name"),
        (services.Buyer(name="บริษัท", address=" "), "buyer_address"),
        (services.Buyer(name="บริษัท", address="ขอนแก่น", tax_id="0105551234568"), "buyer_tax_id"),
        (services.Buyer(name="บริษัท", address="ขอนแก่น", tax_id="010555123456"), "buyer_tax_id"),
        (services.Buyer(name="บริษัท", address="ขอนแก่น", tax_id="0105551234567", branch="สาขา"), "buyer_branch"),
        (services.Buyer(name="คุณสมศรี", address="ขอนแก่น", branch="00001"), "buyer_tax_id"),
    ],
)
def test_a_bad_buyer_is_refused_and_takes_no_number(buyer, field):
    with pytest.raises(InvalidTaxDocument) as refused:
        services.issue_document(kind=DocumentKind.FULL, source_type="orders.order", source_id=1, lines=[line()],
                                buyer=buyer, now=NOW)  # fmt: skip
    assert field in refused.value.fields
    assert not TaxDocument.objects.exists()
    assert not DocumentSeries.objects.filter(next_number__gt=1).exists()


@pytest.mark.django_db
def test_exempt_products_are_looked_up_and_shown_apart():
    rice = ProductFactory()
    VatExemptProduct.objects.create(product=rice)
    document = services.issue_document(
        kind=DocumentKind.ABBREVIATED, source_type="orders.order", source_id=3, register_code="web",
        lines=[line(), line(name="ข้าวเปลือก", unit_price="50.00", product_id=rice.pk)], now=NOW,
    )  # fmt: skip
    assert document.code == "WEB-AB-2569-000001"
    assert (document.total, document.exempt_total, document.vat) == (D("150.00"), D("50.00"), D("6.54"))
    assert [x.vat_exempt for x in document.lines.all()] == [False, True]


@pytest.mark.django_db
def test_series_are_per_kind_per_register_for_abbreviated_and_restart_each_year_or_month(settings):
    def issue(kind, source_id, register="", when=NOW):
        buyer = COMPANY if kind == DocumentKind.FULL else None
        return services.issue_document(kind=kind, source_type="t", source_id=source_id, lines=[line()],
                                       buyer=buyer, register_code=register, now=when).code  # fmt: skip

    assert issue(DocumentKind.ABBREVIATED, 1, "T1") == "T1-AB-2569-000001"
    assert issue(DocumentKind.ABBREVIATED, 2, "T2") == "T2-AB-2569-000001"
    assert issue(DocumentKind.ABBREVIATED, 3, "T1") == "T1-AB-2569-000002"
    assert issue(DocumentKind.FULL, 1, "T1") == "TI-2569-000001"
    assert issue(DocumentKind.FULL, 2, when=datetime(2027, 1, 1, 0, 0, tzinfo=UTC)) == "TI-2570-000001"
    settings.TAX_NUMBERING_PERIOD = "month"
    assert issue(DocumentKind.FULL, 3) == "TI-256912-000001"
    assert issue(DocumentKind.FULL, 4) == "TI-256912-000002"


@pytest.mark.django_db
def test_a_rolled_back_issue_leaves_no_hole():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_document(kind=DocumentKind.FULL, source_type="t", source_id=1, lines=[line()],
                                buyer=COMPANY, now=NOW)  # fmt: skip
        raise RuntimeError("the sale failed after its invoice")
    document = services.issue_document(kind=DocumentKind.FULL, source_type="t", source_id=1, lines=[line()],
                                       buyer=COMPANY, now=NOW)  # fmt: skip
    assert document.number == 1


@pytest.mark.django_db
def test_partial_refunds_issue_credit_notes_that_refer_to_the_invoice_and_never_exceed_it():
    invoice = services.issue_document(kind=DocumentKind.FULL, source_type="orders.order", source_id=9,
                                      lines=[line(quantity=3)], buyer=COMPANY, now=NOW)  # fmt: skip
    note = services.issue_credit_note(invoice=invoice, lines=[line()], reason="สินค้าชำรุด 1 ชิ้น", now=NOW)
    assert note.code == "CN-2569-000001" and note.title_th == "ใบลดหนี้"
    assert note.refers_to == invoice and note.source_code == invoice.code
    assert (note.original_value, note.corrected_value, note.difference) == (D("300.00"), D("200.00"), D("100.00"))
    assert (note.total, note.vat) == (D("100.00"), D("6.54"))
    assert note.buyer_tax_id == invoice.buyer_tax_id
    second = services.issue_credit_note(invoice=invoice, lines=[line()], reason="คืนอีกชิ้น", now=NOW)
    assert (second.original_value, second.corrected_value) == (D("200.00"), D("100.00"))
    with pytest.raises(InvalidTaxDocument):
        services.issue_credit_note(invoice=invoice, lines=[line(quantity=2)], reason="เกิน", now=NOW)
    with pytest.raises(InvalidTaxDocument):
        services.issue_credit_note(invoice=invoice, lines=[line()], reason=" ", now=NOW)
    assert TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).count() == 2


@pytest.mark.django_db
def test_a_void_cancels_the_document_which_is_kept_and_its_number_is_not_reused():
    first = services.issue_document(kind=DocumentKind.FULL, source_type="pos.sale", source_id=1, lines=[line()],
                                    buyer=COMPANY, now=NOW)  # fmt: skip
    (cancelled,) = services.cancel_documents_of(source_type="pos.sale", source_id=1, reason="ยกเลิกการขาย",
                                                actor=None)  # fmt: skip
    assert cancelled.pk == first.pk and cancelled.is_cancelled and cancelled.cancel_reason == "ยกเลิกการขาย"
    with pytest.raises(DocumentCancelled):
        services.cancel_document(document=first, reason="again", actor=None)
    with pytest.raises(DocumentCancelled):
        services.issue_credit_note(invoice=first, lines=[line()], reason="x")
    reissued = services.issue_document(kind=DocumentKind.FULL, source_type="pos.sale", source_id=1, lines=[line()],
                                       buyer=COMPANY, now=NOW)  # fmt: skip
    assert reissued.number == 2
    assert TaxDocument.objects.count() == 2
