import pytest
from django.urls import reverse

from otop.inventory import selectors, services
from otop.inventory.errors import CountBelowHeld, StocktakeClosed, UnknownBarcode
from otop.inventory.ledger import ledger_mismatches
from otop.inventory.models import LowStockThreshold, StockLevel, StockMove
from otop.inventory.tests.factories import ProducerFactory, VariantFactory
from otop.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_a_count_sheet_is_filled_by_scanning_and_approval_posts_the_differences(manager):
    shop = selectors.location("shop")
    counted_more, counted_less, not_seen = (VariantFactory(barcode=f"885000000000{n}") for n in range(3))
    for variant, quantity in ((counted_more, 2), (counted_less, 5), (not_seen, 1)):
        services.receive_stock(variant=variant, location=shop, quantity=quantity, actor=manager)
    sheet = services.start_stocktake(location=shop, actor=manager)
    assert {line.variant_id: line.expected for line in sheet.lines.all()} == {
        counted_more.pk: 2,
        counted_less.pk: 5,
        not_seen.pk: 1,
    }
    for _ in range(3):
        services.count_scan(stocktake=sheet, code=counted_more.barcode)
    line = services.count_scan(stocktake=sheet, code=counted_less.sku)
    assert (line.counted, line.variance) == (1, -4)
    with pytest.raises(UnknownBarcode):
        services.count_scan(stocktake=sheet, code="0000000000000")

    moves = services.approve_stocktake(stocktake=sheet, actor=manager)
    assert sorted((m.variant_id, m.quantity, m.to_location_id is not None) for m in moves) == sorted(
        [(counted_more.pk, 1, True), (counted_less.pk, 4, False), (not_seen.pk, 1, False)]
    )
    assert {m.reference for m in moves} == {f"stocktake:{sheet.pk}"}
    assert [
        selectors.on_hand(variant_id=v.pk, location_code="shop") for v in (counted_more, counted_less, not_seen)
    ] == [
        3,
        1,
        0,
    ]
    assert ledger_mismatches() == []
    with pytest.raises(StocktakeClosed):
        services.count_scan(stocktake=sheet, code=counted_more.barcode)


def test_a_count_below_what_orders_hold_is_refused_and_changes_nothing(manager):
    shop = selectors.location("shop")
    variant = VariantFactory()
    services.receive_stock(variant=variant, location=shop, quantity=3, actor=manager)
    services.reserve_stock(items=[(variant.pk, 2)], reference="order:h", expires_at=None)
    sheet = services.start_stocktake(location=shop, actor=manager)
    services.count_scan(stocktake=sheet, code=variant.sku)
    with pytest.raises(CountBelowHeld):
        services.approve_stocktake(stocktake=sheet, actor=manager)
    assert StockLevel.objects.get(variant=variant, location=shop).on_hand == 3
    assert not StockMove.objects.filter(reason="stocktake").exists()


def test_scanning_on_the_page_adds_one_and_only_a_manager_approves(client_for, manager):
    shop = selectors.location("shop")
    variant = VariantFactory(barcode="8850000000104")
    services.receive_stock(variant=variant, location=shop, quantity=2, actor=manager)
    staff = client_for("staff")
    response = staff.post(reverse("inventory:stocktakes"), {"location": "shop"})
    sheet_url = response["Location"]
    pk = int(sheet_url.rstrip("/").split("/")[-1])
    fragment = staff.post(
        reverse("inventory:stocktake-scan", args=[pk]), {"code": variant.barcode}, HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert 'id="sheet"' in html and "<html" not in html
    assert staff.post(reverse("inventory:stocktake-approve", args=[pk])).status_code == 403
    assert selectors.on_hand(variant_id=variant.pk, location_code="shop") == 2
    client_for("manager").post(reverse("inventory:stocktake-approve", args=[pk]))
    assert selectors.on_hand(variant_id=variant.pk, location_code="shop") == 1


def test_the_producer_is_told_once_per_crossing(manager, django_capture_on_commit_callbacks):
    producer = ProducerFactory(email="group@example.com")
    variant = VariantFactory(product__producer=producer)
    shop = selectors.location("shop")
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_stock(variant=variant, location=shop, quantity=5, actor=manager)
        services.set_threshold(variant=variant, minimum=2)
    for number in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            services.sell_now(items=[(variant.pk, 1)], location=shop, actor=manager, reference=f"pos:{number}")
    messages = OutboundMessage.objects.filter(event="low_stock")
    assert messages.count() == 1
    assert messages.get().recipient == "group@example.com" and variant.sku in messages.get().subject
    assert [t.variant for t in selectors.low_stock_items()] == [variant]
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_stock(variant=variant, location=shop, quantity=5, actor=manager)
    assert LowStockThreshold.objects.get().alerted_at is None
    assert list(selectors.low_stock_items()) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.sell_now(items=[(variant.pk, 5)], location=shop, actor=manager, reference="pos:big")
    assert messages.count() == 2
