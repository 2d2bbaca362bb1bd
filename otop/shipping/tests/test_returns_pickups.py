"""Returned parcels received back into stock, Flash pickup requests with the cut-off, the packing slip PDF."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdfium2
import pytest

from otop.core.models import AuditEvent
from otop.inventory import selectors as stock
from otop.orders import services as orders
from otop.orders.models import Order, OrderEvent
from otop.orders.selectors import tracking_token
from otop.shipping import services
from otop.shipping.carriers.base import CarrierEvent
from otop.shipping.errors import PickupNotAllowed, ReturnNotAllowed
from otop.shipping.labels import render_packing_slip_pdf
from otop.shipping.models import Carrier, PickupRequest, Shipment
from otop.shipping.rates import leaves_on

BANGKOK = ZoneInfo("Asia/Bangkok")
SCANS = ["SILK-1", "RICE-1", "RICE-1"]


def _on_hand(sku: str) -> int:
    variant_id = Order.objects.first().lines.get(sku=sku).variant_id
    return stock.on_hand(variant_id=variant_id, location_code="online")


def _returned(order: Order) -> Shipment:
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    shipment = services.book_shipment(shipment=order.shipment, actor=None)
    services.record_tracking_events(
        shipment=shipment,
        events=[CarrierEvent(at=datetime(2026, 12, 5, 9, 0, tzinfo=BANGKOK), status="returned", carrier_code="s7")],
    )
    shipment.refresh_from_db()
    assert shipment.needs_attention and shipment.status == Shipment.Status.RETURNED
    return shipment


def test_a_paid_parcels_goods_come_back_only_when_staff_receive_it(paid_parcel, fake_flash, django_user_model):
    order = paid_parcel("flash:standard")
    silk, rice = _on_hand("SILK-1"), _on_hand("RICE-1")
    shipment = _returned(order)
    assert (_on_hand("SILK-1"), _on_hand("RICE-1")) == (silk, rice)  # returned, not yet in our hands
    staff = django_user_model.objects.create_user(username="packer", password="x")
    received = services.receive_return(shipment=shipment, actor=staff)
    assert (_on_hand("SILK-1"), _on_hand("RICE-1")) == (silk + 1, rice + 2)
    assert received.return_received_at is not None and not received.needs_attention
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.to_status, event.actor) == (Order.Status.REFUNDED, staff) and shipment.tracking_number in event.note
    audit = AuditEvent.objects.get(action="shipping.return_received")
    assert audit.actor == staff and audit.data == {"units_back": 3}
    with pytest.raises(ReturnNotAllowed):
        services.receive_return(shipment=shipment, actor=staff)
    assert (_on_hand("SILK-1"), _on_hand("RICE-1")) == (silk + 1, rice + 2)


def test_a_refused_cod_parcel_received_back_cancels_the_unpaid_order(shop, fake_flash):
    Carrier.objects.filter(code="flash").update(offers_cod=True, cod_fee=Decimal("20.00"))
    order = orders.place_order(
        items=[("SILK-1", 1), ("RICE-1", 2)],
        customer=orders.CustomerDetails(name="สมชาย", phone="0812223333"),
        delivery_method="parcel",
        address=orders.AddressDetails(line1="9", subdistrict="Nai Mueang", district="เมืองขอนแก่น",
                                      province="Khon Kaen", postcode="40000"),
        delivery_option="flash:standard",
        payment="cod",
    )  # fmt: skip
    silk = _on_hand("SILK-1")
    shipment = _returned(order)
    assert _on_hand("SILK-1") == silk - 1  # left with the courier
    services.receive_return(shipment=shipment, actor=None)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and _on_hand("SILK-1") == silk


def test_a_parcel_on_its_way_cannot_be_received_back_and_nothing_changes(paid_parcel):
    order = paid_parcel("thailandpost:ems")
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    shipment = services.book_shipment(shipment=order.shipment, actor=None, tracking_number="EF582568151TH")
    silk = _on_hand("SILK-1")
    with pytest.raises(ReturnNotAllowed):
        services.receive_return(shipment=shipment, actor=None)
    shipment.refresh_from_db()
    assert shipment.return_received_at is None and _on_hand("SILK-1") == silk
    assert Order.objects.get().status == Order.Status.SHIPPED


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 12, 4, 14, 59, tzinfo=BANGKOK), date(2026, 12, 4)),  # Friday before the 15:00 cut-off
        (datetime(2026, 12, 4, 15, 0, tzinfo=BANGKOK), date(2026, 12, 5)),  # Friday after it: Saturday
        (datetime(2026, 12, 5, 16, 0, tzinfo=BANGKOK), date(2026, 12, 7)),  # Saturday after it: Monday (no Sunday)
        (datetime(2026, 12, 6, 9, 0, tzinfo=BANGKOK), date(2026, 12, 7)),  # Sunday: Monday
    ],
)
def test_after_the_cut_off_a_parcel_leaves_on_the_next_pickup_day(db, at, expected):
    carrier = Carrier(code="x", kind=Carrier.Kind.TABLE, cutoff_time=time(15, 0), pickup_weekdays="012345")
    assert leaves_on(carrier, at) == expected


def test_booking_after_the_cut_off_shows_the_buyer_the_next_day(client, paid_parcel):
    Carrier.objects.filter(code="thailandpost").update(cutoff_time=time(15, 0))
    order = paid_parcel("thailandpost:ems")
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    friday_evening = datetime(2026, 12, 4, 17, 30, tzinfo=BANGKOK)
    shipment = services.book_shipment(
        shipment=order.shipment, actor=None, tracking_number="EF582568151TH", now=friday_evening
    )
    assert shipment.ships_on == date(2026, 12, 5)
    page = client.get(f"/orders/track/{order.number}/{tracking_token(order.number)}/").content.decode()
    assert "ships-on" in page and "2569" in page.split("ships-on")[1][:300]


def test_staff_ask_flash_for_a_pickup_once_a_day_through_its_signed_api(paid_parcel, fake_flash):
    flash = Carrier.objects.get(code="flash")
    with pytest.raises(PickupNotAllowed):
        services.request_pickup(carrier=flash, actor=None)  # nothing booked yet
    order = paid_parcel("flash:standard")
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    services.book_shipment(shipment=order.shipment, actor=None)
    pickup = services.request_pickup(carrier=flash, actor=None)
    path, params = fake_flash.requests[-1]
    assert path == "/open/v1/notify" and params["estimateParcelNumber"] == "1"
    assert pickup.ticket == "3301" and pickup.courier_phone == "0811110000" and pickup.parcels == 1
    with pytest.raises(PickupNotAllowed):
        services.request_pickup(carrier=flash, actor=None)
    assert PickupRequest.objects.count() == 1 and len([p for p, _ in fake_flash.requests if p == path]) == 1
    with pytest.raises(PickupNotAllowed):
        services.request_pickup(carrier=Carrier.objects.get(code="thailandpost"), actor=None)


def test_flash_refusing_the_pickups_signature_keeps_nothing(paid_parcel, fake_flash, settings):
    order = paid_parcel("flash:standard")
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    services.book_shipment(shipment=order.shipment, actor=None)
    settings.FLASH_API_KEY = "not-the-key"
    with pytest.raises(services.CarrierUnavailable):
        services.request_pickup(carrier=Carrier.objects.get(code="flash"), actor=None)
    assert not PickupRequest.objects.exists()


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    # Sarabun's sara am is nikhahit + sara aa in the text map; compare without it and without white space.
    return "".join(text.replace("\u0e4d", "").replace("ำ", "า").split())


def test_the_packing_slip_is_a_thai_pdf_with_the_items_and_the_cod_amount(shop, fake_flash, client_for):
    Carrier.objects.filter(code="flash").update(offers_cod=True, cod_fee=Decimal("20.00"))
    order = orders.place_order(
        items=[("SILK-1", 1), ("RICE-1", 2)],
        customer=orders.CustomerDetails(name="สมชาย ใจดี", phone="0812223333"),
        delivery_method="parcel",
        address=orders.AddressDetails(line1="99 ถนนมิตรภาพ", subdistrict="Nai Mueang", district="เมืองขอนแก่น",
                                      province="Khon Kaen", postcode="40000"),
        delivery_option="flash:standard",
        payment="cod",
    )  # fmt: skip
    pdf = render_packing_slip_pdf(order, order.shipment)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for words in ("ใบรายการสินค้า", order.number, "ผ้าไหม", "ข้าวหอมมะลิ", "สมชายใจดี", "40000", "เก็บเงินปลายทาง"):
        assert "".join(words.replace("ำ", "า").split()) in text, words
    assert f"{order.total:,}" in text
    response = client_for("staff").get(f"/shipping/pack/{order.number}/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for("cashier").get(f"/shipping/pack/{order.number}/slip.pdf").status_code == 403
