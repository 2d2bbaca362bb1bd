from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from otop.core.models import AuditEvent
from otop.inventory import selectors, services
from otop.inventory.errors import CostPriceRequired, OutOfStock, SameLocation, WrongProducer
from otop.inventory.ledger import ledger_mismatches
from otop.inventory.models import Intake, IntakeLine, SoldItem, StockLevel, StockMove
from otop.inventory.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_an_intake_a_web_order_and_a_counter_sale_draw_on_one_stock(manager):
    variant = VariantFactory()
    producer = variant.product.producer
    backstore, shop = selectors.location("backstore"), selectors.location("shop")
    intake = services.record_intake(
        producer=producer, items=[services.IntakeItem(variant=variant, quantity=5)], location=backstore, actor=manager
    )
    assert intake.number == f"IN-{intake.pk:06d}"
    move = StockMove.objects.get(reference=f"intake:{intake.number}")
    assert (move.reason, move.quantity, move.to_location) == ("consignment_intake", 5, backstore)

    services.transfer_stock(variant=variant, from_location=backstore, to_location=shop, quantity=2, actor=manager)
    reservation = services.reserve_stock(items=[(variant.pk, 3)], reference="order:W1", expires_at=None)
    services.commit_reservation(reservation=reservation)
    services.sell_now(items=[(variant.pk, 2)], location=shop, actor=manager, reference="pos:T1")

    assert selectors.available_quantities(variant_ids=[variant.pk]) == {variant.pk: 0}
    with pytest.raises(OutOfStock):
        services.sell_now(items=[(variant.pk, 1)], location=shop, actor=manager, reference="pos:T2")
    assert StockMove.objects.filter(variant=variant, reason="sale").count() >= 2
    assert ledger_mismatches() == []


def test_an_intake_refuses_items_of_another_producer_and_changes_nothing(manager):
    mine, theirs = VariantFactory(), VariantFactory()
    with pytest.raises(WrongProducer) as refused:
        services.record_intake(
            producer=mine.product.producer,
            items=[services.IntakeItem(variant=mine, quantity=1), services.IntakeItem(variant=theirs, quantity=1)],
            location=selectors.location("shop"),
            actor=manager,
        )
    assert refused.value.fields == {"items": [theirs.sku]}
    assert (Intake.objects.count(), StockMove.objects.count()) == (0, 0)


def test_an_outright_purchase_needs_cost_prices_and_is_not_paid_out(manager):
    variant = VariantFactory()
    producer = variant.product.producer
    shop = selectors.location("shop")
    with pytest.raises(CostPriceRequired):
        services.record_intake(
            producer=producer,
            items=[services.IntakeItem(variant=variant, quantity=2)],
            location=shop,
            actor=manager,
            kind=Intake.Kind.PURCHASE,
        )
    assert not Intake.objects.exists()
    intake = services.record_intake(
        producer=producer,
        items=[services.IntakeItem(variant=variant, quantity=2, cost_price=Decimal("200.00"))],
        location=shop,
        actor=manager,
        kind=Intake.Kind.PURCHASE,
    )
    assert StockMove.objects.get(reference=intake.reference).reason == "purchase"
    (item,) = services.record_sale_lines(
        lines=[(variant.pk, 1, Decimal("350.00"))], reference="pos:P1", channel="counter"
    )
    assert item.consigned is False


def test_commission_comes_from_the_product_then_the_producer_then_the_center(manager):
    from otop.inventory.models import CommissionRate

    variant = VariantFactory()
    assert services.commission_percent_for(variant) == Decimal("20.00")
    variant.product.producer.commission_percent = Decimal("15.00")
    variant.product.producer.save()
    assert services.commission_percent_for(variant) == Decimal("15.00")
    CommissionRate.objects.create(product=variant.product, percent=Decimal("12.50"))
    assert services.commission_percent_for(variant) == Decimal("12.50")
    services.record_intake(
        producer=variant.product.producer,
        items=[services.IntakeItem(variant=variant, quantity=1, commission_percent=Decimal("10.00"))],
        location=selectors.location("shop"),
        actor=manager,
    )
    assert services.commission_percent_for(variant) == Decimal("10.00")


def test_the_delivery_receipt_is_a_thai_pdf_with_a_buddhist_era_date(manager):
    variant = VariantFactory()
    intake = services.record_intake(
        producer=variant.product.producer,
        items=[services.IntakeItem(variant=variant, quantity=4, producer_price=Decimal("280.00"))],
        location=selectors.location("backstore"),
        actor=manager,
    )
    from otop.inventory.documents import intake_receipt_pdf

    text = pdf_text(intake_receipt_pdf(intake))
    year = intake.received_at.year + 543
    assert intake.number in text and str(year) in text and variant.sku in text
    assert "฿280.00" in text
    assert IntakeLine.objects.get().producer_price == Decimal("280.00")


def test_transfer_moves_only_free_units_in_one_move(manager):
    variant = VariantFactory()
    shop, online = selectors.location("shop"), selectors.location("online")
    services.receive_stock(variant=variant, location=shop, quantity=3, actor=manager)
    services.reserve_stock(items=[(variant.pk, 2)], reference="order:held", expires_at=None)
    with pytest.raises(OutOfStock):
        services.transfer_stock(variant=variant, from_location=shop, to_location=online, quantity=2, actor=manager)
    with pytest.raises(SameLocation):
        services.transfer_stock(variant=variant, from_location=shop, to_location=shop, quantity=1, actor=manager)
    move = services.transfer_stock(variant=variant, from_location=shop, to_location=online, quantity=1, actor=manager)
    assert (move.from_location, move.to_location, move.reason) == (shop, online, "transfer")
    assert StockLevel.objects.get(variant=variant, location=shop).on_hand == 2
    assert StockLevel.objects.get(variant=variant, location=online).on_hand == 1
    assert ledger_mismatches() == []


def test_damage_takes_stock_out_through_the_ledger(manager):
    variant = VariantFactory()
    shop = selectors.location("shop")
    services.receive_stock(variant=variant, location=shop, quantity=3, actor=manager)
    services.remove_stock(variant=variant, location=shop, quantity=1, actor=manager, reason="damage")
    assert StockLevel.objects.get(variant=variant, location=shop).on_hand == 2
    assert ledger_mismatches() == []


def test_recording_a_sale_twice_keeps_the_first(manager):
    variant = VariantFactory()
    first = services.record_sale_lines(
        lines=[(variant.pk, 2, Decimal("350.00")), (variant.pk, 1, Decimal("300.00"))],
        reference="order:X",
        channel="web",
    )
    again = services.record_sale_lines(lines=[(variant.pk, 9, Decimal("1.00"))], reference="order:X", channel="web")
    assert [i.pk for i in first] == [i.pk for i in again]
    assert [(i.quantity, i.amount) for i in again] == [(2, Decimal("700.00")), (1, Decimal("300.00"))]
    assert SoldItem.objects.count() == 2


def test_staff_record_an_intake_from_the_page(client_for, make_user):
    variant = VariantFactory()
    client = client_for("staff")
    page = client.get(reverse("inventory:intake-new") + f"?producer={variant.product.producer_id}")
    assert variant.sku in page.content.decode()
    response = client.post(
        reverse("inventory:intake-new"),
        {
            "producer": variant.product.producer_id,
            "kind": "consignment",
            "location": "backstore",
            f"v{variant.pk}-quantity": "6",
        },
    )
    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/intakes/{intake.number}/")
    assert selectors.on_hand(variant_id=variant.pk, location_code="backstore") == 6
    pdf = client.get(reverse("inventory:intake-receipt", args=[intake.number]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_delivery_links_to_a_label_sheet_of_its_items(client_for):
    from urllib.parse import parse_qs, urlsplit

    first, second = VariantFactory(), VariantFactory()
    second.product.producer = first.product.producer
    second.product.save(update_fields=["producer"])
    client = client_for("staff")
    client.post(
        reverse("inventory:intake-new"),
        {"producer": first.product.producer_id, "kind": "consignment", "location": "backstore",
         f"v{first.pk}-quantity": "3", f"v{second.pk}-quantity": "2"},
    )  # fmt: skip
    intake = Intake.objects.get()
    page = client.get(reverse("inventory:intake", args=[intake.number]))
    labels_url = page.context["labels_url"]
    assert parse_qs(urlsplit(labels_url).query)["skus"] == [f"{first.sku}\n{second.sku}"]
    form = client.get(labels_url)
    assert form.context["form"]["skus"].value() == f"{first.sku}\n{second.sku}"
    pdf = client.post(labels_url, {"skus": f"{first.sku}\n{second.sku}", "layout": "3x8", "copies": "1"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_manager_gives_a_product_its_own_commission_and_takes_it_away(client_for):
    from otop.inventory.models import CommissionRate

    variant = VariantFactory()
    product = variant.product
    client = client_for("manager")
    url = reverse("inventory:commissions")

    response = client.post(url, {"code": product.sku, "percent": "12.5"})
    assert response.status_code == 302
    assert services.commission_percent_for(variant) == Decimal("12.50")
    page = client.get(url).content.decode()
    assert product.sku in page.split('id="commissions"')[1] and "12.50%" in page
    assert AuditEvent.objects.filter(action="inventory.commission_set", target_id=str(product.pk)).count() == 1

    # Refused: a rate above 100 % and an unknown code say why in Thai and change nothing.
    refused = client.post(url, {"code": variant.sku, "percent": "150"}).content.decode()
    assert "100" in refused and 'class="field-error"' in refused
    refused = client.post(url, {"code": "NO-SUCH-SKU", "percent": "5"}).content.decode()
    assert "ไม่พบสินค้าที่มีบาร์โค้ดหรือรหัส NO-SUCH-SKU" in refused
    assert CommissionRate.objects.get(product=product).percent == Decimal("12.50")

    # By the item's barcode or SKU too; empty goes back to the producer's rate or the center's default.
    client.post(url, {"code": variant.sku, "percent": ""})
    assert not CommissionRate.objects.exists()
    assert services.commission_percent_for(variant) == Decimal("20.00")


def test_only_the_manager_sets_commission(client_for):
    variant = VariantFactory()
    staff = client_for("staff")
    assert staff.get(reverse("inventory:commissions")).status_code == 403
    assert staff.post(reverse("inventory:commissions"), {"code": variant.sku, "percent": "1"}).status_code == 403
    assert services.commission_percent_for(variant) == Decimal("20.00")
