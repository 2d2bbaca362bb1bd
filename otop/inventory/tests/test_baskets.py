"""Gift baskets in stock: availability, sales from assembled stock or components, assembly, settlements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otop.catalog.models import BasketComponent
from otop.inventory import selectors, services
from otop.inventory.errors import NotABasket, OutOfStock
from otop.inventory.ledger import ledger_mismatches
from otop.inventory.models import ReservationLine, SoldItem, StockLevel, StockMove, StockShortfall
from otop.inventory.services.sales import split_price
from otop.inventory.tests.factories import ProducerFactory, ProductFactory, VariantFactory


def make_basket(components, *, price=Decimal("500.00")):
    """A basket variant made of [(component variant, quantity per basket)]."""
    basket = VariantFactory(product=ProductFactory(is_basket=True), price=price)
    for variant, quantity in components:
        BasketComponent.objects.create(basket=basket.product, variant=variant, quantity=quantity)
    return basket


def level(variant, code="shop"):
    found = StockLevel.objects.filter(variant=variant, location__code=code).first()
    return (found.on_hand, found.reserved) if found else (0, 0)


@pytest.fixture
def shop():
    return selectors.location("shop")


@pytest.fixture
def kit(shop):
    """A basket of 2 × sausage and 1 × silk: 1 assembled, components for 3 more (7 sausages, 5 silks)."""
    sausage = VariantFactory(price=Decimal("100.00"))
    silk = VariantFactory(price=Decimal("300.00"))
    basket = make_basket([(sausage, 2), (silk, 1)])
    services.receive_stock(variant=sausage, location=shop, quantity=7, actor=None)
    services.receive_stock(variant=silk, location=shop, quantity=5, actor=None)
    services.receive_stock(variant=basket, location=shop, quantity=1, actor=None)
    return basket, sausage, silk


@pytest.mark.django_db
def test_a_basket_is_available_as_assembled_stock_plus_what_its_components_make(kit):
    basket, sausage, silk = kit
    assert selectors.available_quantities(variant_ids=[basket.pk, sausage.pk, silk.pk]) == {
        basket.pk: 1 + 3,
        sausage.pk: 7,
        silk.pk: 5,
    }
    assert selectors.available_quantities(variant_ids=[basket.pk], location_codes=["backstore"]) == {basket.pk: 0}
    assert selectors.basket_recipes(variant_ids=[basket.pk, sausage.pk]) == {basket.pk: [(sausage.pk, 2), (silk.pk, 1)]}


@pytest.mark.django_db
def test_a_counter_sale_takes_assembled_baskets_first_then_components(kit, shop):
    basket, sausage, silk = kit
    result = services.sell_now(items=[(basket.pk, 3)], location=shop, actor=None, reference="pos:1")
    assert sorted((m.variant_id, m.quantity) for m in result.moves) == sorted(
        [(basket.pk, 1), (sausage.pk, 4), (silk.pk, 2)]
    )
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (3, 0), (3, 0))
    assert selectors.available_quantities(variant_ids=[basket.pk])[basket.pk] == 1
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_a_short_basket_is_refused_by_name_and_nothing_is_taken(kit, shop):
    basket, sausage, silk = kit
    with pytest.raises(OutOfStock) as refused:
        services.sell_now(items=[(basket.pk, 5)], location=shop, actor=None, reference="pos:1")
    assert [(s.sku, s.requested, s.available) for s in refused.value.shortages] == [(basket.sku, 5, 4)]
    assert (level(basket), level(sausage), level(silk)) == ((1, 0), (7, 0), (5, 0))
    assert StockMove.objects.filter(reason="sale").count() == 0


@pytest.mark.django_db
def test_items_bought_on_their_own_come_before_the_baskets_that_contain_them(kit, shop):
    basket, sausage, silk = kit
    with pytest.raises(OutOfStock) as refused:
        services.sell_now(items=[(sausage.pk, 4), (basket.pk, 3)], location=shop, actor=None, reference="pos:1")
    # 3 sausages are left after the 4: one basket from components, plus the assembled one.
    assert [(s.sku, s.requested, s.available) for s in refused.value.shortages] == [(basket.sku, 3, 2)]
    assert level(sausage) == (7, 0)
    services.sell_now(items=[(sausage.pk, 4), (basket.pk, 2)], location=shop, actor=None, reference="pos:2")
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (1, 0), (4, 0))
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_an_offline_sale_of_a_short_basket_records_the_missing_baskets(kit, shop):
    basket, sausage, silk = kit
    result = services.sell_now(
        items=[(basket.pk, 6)], location=shop, actor=None, reference="pos:off", allow_shortfall=True
    )
    assert [(s.variant_id, s.requested, s.available) for s in result.shortfalls] == [(basket.pk, 6, 4)]
    assert list(StockShortfall.objects.values_list("variant_id", "quantity")) == [(basket.pk, 2)]
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (1, 0), (2, 0))
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_a_web_order_holds_the_basket_and_its_components_then_sells_or_releases_them(kit):
    basket, sausage, silk = kit
    reservation = services.reserve_stock(items=[(basket.pk, 2)], reference="order:1", expires_at=None)
    assert sorted(ReservationLine.objects.values_list("variant_id", "quantity")) == sorted(
        [(basket.pk, 1), (sausage.pk, 2), (silk.pk, 1)]
    )
    assert (level(basket), level(sausage), level(silk)) == ((1, 1), (7, 2), (5, 1))
    assert selectors.available_quantities(variant_ids=[basket.pk])[basket.pk] == 2
    assert ledger_mismatches() == []
    moves = services.commit_reservation(reservation=reservation)
    assert sorted((m.variant_id, m.quantity) for m in moves) == sorted([(basket.pk, 1), (sausage.pk, 2), (silk.pk, 1)])
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (5, 0), (4, 0))

    second = services.reserve_stock(items=[(basket.pk, 2)], reference="order:2", expires_at=None)
    services.release_reservation(reservation=second)
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (5, 0), (4, 0))
    with pytest.raises(OutOfStock) as refused:
        services.reserve_stock(items=[(basket.pk, 3)], reference="order:3", expires_at=None)
    assert [(s.sku, s.requested, s.available) for s in refused.value.shortages] == [(basket.sku, 3, 2)]
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_baskets_are_assembled_and_taken_apart_through_the_ledger(kit, shop):
    basket, sausage, silk = kit
    moves = services.assemble_baskets(variant=basket, location=shop, quantity=2, actor=None)
    assert sorted((m.variant_id, m.from_location_id, m.to_location_id, m.quantity) for m in moves) == sorted(
        [(sausage.pk, shop.pk, None, 4), (silk.pk, shop.pk, None, 2), (basket.pk, None, shop.pk, 2)]
    )
    assert {m.reason for m in moves} == {StockMove.Reason.BASKET_ASSEMBLY}
    assert len({m.reference for m in moves}) == 1
    assert (level(basket), level(sausage), level(silk)) == ((3, 0), (3, 0), (3, 0))
    # Assembling changes where the baskets are, not how many can be sold.
    assert selectors.available_quantities(variant_ids=[basket.pk])[basket.pk] == 4

    with pytest.raises(OutOfStock) as refused:
        services.assemble_baskets(variant=basket, location=shop, quantity=2, actor=None)
    assert [(s.sku, s.requested, s.available) for s in refused.value.shortages] == [(sausage.sku, 4, 3)]
    assert (level(basket), level(sausage), level(silk)) == ((3, 0), (3, 0), (3, 0))

    services.take_apart_baskets(variant=basket, location=shop, quantity=3, actor=None)
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (9, 0), (6, 0))
    with pytest.raises(OutOfStock) as refused:
        services.take_apart_baskets(variant=basket, location=shop, quantity=1, actor=None)
    assert [(s.sku, s.requested, s.available) for s in refused.value.shortages] == [(basket.sku, 1, 0)]
    with pytest.raises(NotABasket):
        services.assemble_baskets(variant=sausage, location=shop, quantity=1, actor=None)
    assert StockMove.objects.filter(reason="basket_assembly").count() == 6
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_a_sold_basket_is_recorded_per_component_for_each_producer(kit):
    basket, sausage, silk = kit  # shelf prices 2 × 100 and 1 × 300: 499.99 splits 200.00 / 299.99
    items = services.record_sale_lines(lines=[(basket.pk, 2, Decimal("499.99"))], reference="order:9", channel="web")
    assert [(i.line_no, i.variant_id, i.producer_id, i.quantity, i.unit_price, i.amount) for i in items] == [
        (1, sausage.pk, sausage.product.producer_id, 4, Decimal("100.00"), Decimal("400.00")),
        (2, silk.pk, silk.product.producer_id, 2, Decimal("299.99"), Decimal("599.98")),
    ]
    assert sum(i.amount for i in items) == Decimal("999.98")
    returned = services.record_return_lines(lines=[(basket.pk, 1, Decimal("499.99"))], reference="r:9", channel="web")
    assert [i.amount for i in returned] == [Decimal("200.00"), Decimal("299.99")]


def test_split_price_examples():
    assert split_price(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)]) == [
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]
    assert split_price(Decimal("0.03"), [Decimal(1)] * 5) == [
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.01"),
    ]
    assert split_price(Decimal("10.00"), [Decimal(0), Decimal(0)]) == [Decimal("5.00"), Decimal("5.00")]


amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2)


@given(price=amounts, weights=st.lists(amounts, min_size=1, max_size=8))
def test_split_price_adds_up_exactly_and_stays_within_a_satang_of_the_proportion(price, weights):
    parts = split_price(price, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal("0.00")) == price
    assert all(part >= 0 and part == part.quantize(Decimal("0.01")) for part in parts)
    total = sum(weights, Decimal(0))
    if total > 0:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - price * weight / total) < Decimal("0.01")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    price=amounts,
    baskets=st.integers(min_value=1, max_value=5),
    components=st.lists(
        st.tuples(amounts, st.integers(min_value=1, max_value=4)), min_size=1, max_size=5, unique_by=lambda c: c
    ),
)
def test_a_recorded_basket_adds_up_to_its_price_whatever_the_shelf_prices(price, baskets, components):
    with transaction.atomic():
        producer = ProducerFactory()
        parts = [(VariantFactory(product=ProductFactory(producer=producer), price=p), q) for p, q in components]
        basket = make_basket(parts)
        items = services.record_sale_lines(lines=[(basket.pk, baskets, price)], reference="b", channel="counter")
        assert [(i.variant_id, i.quantity) for i in items] == [(v.pk, q * baskets) for v, q in parts]
        assert sum(i.amount for i in items) == price * baskets
        assert all(i.amount >= 0 for i in items)
        assert SoldItem.objects.filter(reference="b").count() == len(parts)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rival", ["basket", "component"])
def test_buyers_of_the_last_basket_at_the_same_time_sell_it_once(rival):
    """Components for exactly one basket; six buyers at once, on the web and at the counter.

    With rival="component", half the buyers want one of the basket's components instead.
    """
    from otop.inventory.tests.test_race import run_concurrently

    shop = selectors.location("shop")
    sausage, silk = VariantFactory(), VariantFactory()
    basket = make_basket([(sausage, 2), (silk, 1)])
    services.receive_stock(variant=sausage, location=shop, quantity=2, actor=None)
    services.receive_stock(variant=silk, location=shop, quantity=1, actor=None)

    def buy(number):
        item = silk if rival == "component" and number % 2 else basket
        if number % 3:
            reservation = services.reserve_stock(items=[(item.pk, 1)], reference=f"order:{number}", expires_at=None)
            services.commit_reservation(reservation=reservation)
        else:
            services.sell_now(items=[(item.pk, 1)], location=shop, actor=None, reference=f"pos:{number}")

    outcomes = run_concurrently(buy, 6)
    assert [o for o in outcomes if o != "sold" and o[0] == "error"] == []
    assert outcomes.count("sold") == 1
    assert len([o for o in outcomes if o != "sold" and o[0] == "refused"]) == 5
    sold = sorted(StockMove.objects.filter(reason="sale").values_list("variant_id", "quantity"))
    if rival == "basket" or (sausage.pk, 2) in sold:  # the basket went, made from its components
        assert sold == sorted([(sausage.pk, 2), (silk.pk, 1)])
        assert (level(sausage), level(silk)) == ((0, 0), (0, 0))
    else:  # the silk went on its own; the sausages stay
        assert sold == [(silk.pk, 1)]
        assert (level(sausage), level(silk)) == ((2, 0), (0, 0))
    assert not StockLevel.objects.filter(on_hand__lt=0).exists()
    assert selectors.available_quantities(variant_ids=[basket.pk, silk.pk]) == {basket.pk: 0, silk.pk: 0}
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_staff_assemble_and_take_apart_baskets_on_their_page(kit, client_for):
    basket, sausage, silk = kit
    staff = client_for("staff")
    page = staff.get("/inventory/baskets/")
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r["variant"] == basket)
    assert [(c.pk, q) for c, q in row["components"]] == [(sausage.pk, 2), (silk.pk, 1)]
    shop_cell = next(c for c in row["per_location"] if c["location"].code == "shop")
    assert (shop_cell["assembled"], shop_cell["can_make"]) == (1, 3)
    assert basket.sku in page.content.decode()

    form = {"basket-code": basket.sku, "basket-location": "shop", "basket-quantity": "2", "basket-note": ""}
    answer = staff.post("/inventory/baskets/assemble/", form)
    assert (answer.status_code, answer["Location"]) == (302, "/inventory/baskets/")
    assert (level(basket), level(sausage), level(silk)) == ((3, 0), (3, 0), (3, 0))
    assert StockMove.objects.filter(reason="basket_assembly").values_list("actor__username", flat=True).distinct().get()

    refused = staff.post("/inventory/baskets/assemble/", form)
    assert refused.status_code == 400
    assert sausage.sku in refused.content.decode()
    assert (level(basket), level(sausage), level(silk)) == ((3, 0), (3, 0), (3, 0))

    answer = staff.post("/inventory/baskets/take-apart/", {**form, "basket-quantity": "3"})
    assert answer.status_code == 302
    assert (level(basket), level(sausage), level(silk)) == ((0, 0), (9, 0), (6, 0))
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_refused_basket_writes_change_nothing(kit, client_for):
    basket, sausage, silk = kit
    form = {"basket-code": basket.sku, "basket-location": "shop", "basket-quantity": "1"}
    assert client_for("cashier").post("/inventory/baskets/assemble/", form).status_code == 403
    assert client_for("producer").post("/inventory/baskets/take-apart/", form).status_code == 403
    assert (
        client_for("staff").post("/inventory/baskets/assemble/", {**form, "basket-code": sausage.sku}).status_code
        == 400
    )
    assert client_for("staff").get("/inventory/baskets/assemble/").status_code == 405
    assert (level(basket), level(sausage), level(silk)) == ((1, 0), (7, 0), (5, 0))
    assert StockMove.objects.filter(reason="basket_assembly").count() == 0
