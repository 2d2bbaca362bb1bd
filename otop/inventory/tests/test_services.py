from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from otop.inventory import selectors, services
from otop.inventory.errors import InvalidQuantity, OutOfStock, ReservationClosed
from otop.inventory.ledger import ledger_mismatches
from otop.inventory.models import Reservation, StockLevel, StockMove, StockShortfall
from otop.inventory.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return selectors.location("shop")


@pytest.fixture
def online():
    return selectors.location("online")


def stock(variant, location, quantity, actor=None):
    services.receive_stock(variant=variant, location=location, quantity=quantity, actor=actor)


def test_receiving_adds_stock_and_a_ledger_row(shop, manager):
    variant = VariantFactory()
    move = services.receive_stock(variant=variant, location=shop, quantity=5, actor=manager, reference="intake:1")
    assert StockLevel.objects.get(variant=variant, location=shop).on_hand == 5
    assert (move.reason, move.quantity, move.actor, move.to_location) == ("purchase", 5, manager, shop)
    assert ledger_mismatches() == []


def test_a_web_reservation_and_a_counter_sale_draw_on_one_stock(shop, online):
    variant = VariantFactory()
    stock(variant, shop, 3)
    reservation = services.reserve_stock(items=[(variant.pk, 2)], reference="order:1", expires_at=None)
    assert selectors.available_quantities(variant_ids=[variant.pk]) == {variant.pk: 1}
    with pytest.raises(OutOfStock) as refused:
        services.sell_now(items=[(variant.pk, 2)], location=shop, actor=None, reference="pos:1")
    assert refused.value.shortages[0].available == 1
    assert refused.value.code == "out_of_stock" and variant.sku in refused.value.message
    services.sell_now(items=[(variant.pk, 1)], location=shop, actor=None, reference="pos:2")
    services.commit_reservation(reservation=reservation)
    level = StockLevel.objects.get(variant=variant, location=shop)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert StockMove.objects.filter(reason="sale").count() == 2
    assert ledger_mismatches() == []


def test_reservation_takes_from_the_online_shelf_first(shop, online):
    variant = VariantFactory()
    stock(variant, shop, 5)
    stock(variant, online, 2)
    reservation = services.reserve_stock(items=[(variant.pk, 3)], reference="order:2", expires_at=None)
    held = {line.location.code: line.quantity for line in reservation.lines.select_related("location")}
    assert held == {"online": 2, "shop": 1}


def test_refused_reservation_names_every_short_item_and_holds_nothing(shop):
    enough, short_a, short_b = VariantFactory(), VariantFactory(), VariantFactory()
    stock(enough, shop, 5)
    stock(short_a, shop, 1)
    with pytest.raises(OutOfStock) as refused:
        services.reserve_stock(
            items=[(enough.pk, 2), (short_a.pk, 2), (short_b.pk, 1)], reference="order:3", expires_at=None
        )
    assert [s.sku for s in refused.value.shortages] == [short_a.sku, short_b.sku]
    assert not Reservation.objects.exists()
    assert set(StockLevel.objects.values_list("reserved", flat=True)) == {0}


@pytest.mark.parametrize("quantity", [0, -1, "2", 1.5, True])
def test_bad_quantities_are_refused(shop, quantity):
    variant = VariantFactory()
    stock(variant, shop, 5)
    with pytest.raises(InvalidQuantity):
        services.sell_now(items=[(variant.pk, quantity)], location=shop, actor=None, reference="pos:x")
    assert StockLevel.objects.get(variant=variant).on_hand == 5
    assert StockMove.objects.count() == 1


def test_release_and_expiry_give_stock_back_once(shop):
    variant = VariantFactory()
    stock(variant, shop, 4)
    now = timezone.now()
    old = services.reserve_stock(items=[(variant.pk, 1)], reference="order:old", expires_at=now - timedelta(minutes=1))
    fresh = services.reserve_stock(
        items=[(variant.pk, 2)], reference="order:new", expires_at=now + timedelta(minutes=29)
    )
    assert services.expire_reservations(now=now) == 1
    assert services.expire_reservations(now=now) == 0
    old.refresh_from_db()
    assert (old.status, old.release_reason) == ("released", "expired")
    services.release_reservation(reservation=fresh)
    services.release_reservation(reservation=fresh)
    assert StockLevel.objects.get(variant=variant).reserved == 0
    with pytest.raises(ReservationClosed):
        services.commit_reservation(reservation=fresh)
    assert StockLevel.objects.get(variant=variant).on_hand == 4


def test_committing_twice_sells_once(shop):
    variant = VariantFactory()
    stock(variant, shop, 2)
    reservation = services.reserve_stock(items=[(variant.pk, 2)], reference="order:twice", expires_at=None)
    first = services.commit_reservation(reservation=reservation)
    second = services.commit_reservation(reservation=reservation)
    assert len(first) == len(second) == 1
    assert StockLevel.objects.get(variant=variant).on_hand == 0
    assert StockMove.objects.filter(reason="sale").count() == 1


def test_offline_sale_is_recorded_with_a_shortfall_for_the_manager(shop):
    variant = VariantFactory()
    stock(variant, shop, 1)
    result = services.sell_now(
        items=[(variant.pk, 3)], location=shop, actor=None, reference="pos:offline-1", allow_shortfall=True
    )
    assert [m.quantity for m in result.moves] == [1]
    assert [(s.requested, s.available) for s in result.shortfalls] == [(3, 1)]
    assert StockShortfall.objects.get().quantity == 2
    assert StockLevel.objects.get(variant=variant).on_hand == 0
    assert ledger_mismatches() == []


def test_return_to_stock_goes_through_the_ledger(shop):
    variant = VariantFactory()
    stock(variant, shop, 1)
    services.sell_now(items=[(variant.pk, 1)], location=shop, actor=None, reference="pos:3")
    services.return_to_stock(items=[(variant.pk, 1)], location=shop, actor=None, reference="refund:3")
    assert StockLevel.objects.get(variant=variant).on_hand == 1
    assert ledger_mismatches() == []


def test_check_command_finds_a_level_changed_behind_the_ledger(shop):
    variant = VariantFactory()
    stock(variant, shop, 3)
    call_command("check_stock_ledger")
    StockLevel.objects.filter(variant=variant).update(on_hand=7)
    with pytest.raises(Exception, match="1 stock levels disagree"):
        call_command("check_stock_ledger")


def test_out_of_stock_message_is_thai_by_default(shop):
    variant = VariantFactory(product__name_th="ผ้าขาวม้าลายตาราง")
    with pytest.raises(OutOfStock) as refused:
        services.sell_now(items=[(variant.pk, 1)], location=shop, actor=None, reference="pos:th")
    assert refused.value.message == f"สินค้าไม่พอ: ผ้าขาวม้าลายตาราง ({variant.sku}): ต้องการ 1 เหลือ 0"
