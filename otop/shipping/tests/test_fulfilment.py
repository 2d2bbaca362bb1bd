from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp

from otop.orders.models import Order
from otop.shipping import services
from otop.shipping.carriers import flash
from otop.shipping.errors import BookingNotAllowed, PackingMismatch
from otop.shipping.labels import render_labels_pdf
from otop.shipping.models import Shipment


def _decode_pdf(content: bytes) -> tuple[list[str], list[str]]:
    """The Code 128 values and the text of each page."""
    pdf = pypdfium2.PdfDocument(io.BytesIO(content))
    codes, texts = [], []
    for page in pdf:
        image = page.render(scale=300 / 72).to_pil()
        codes += [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.Code128]
        texts.append(page.get_textpage().get_text_range())
    return codes, texts


def test_wrong_scans_refuse_packing_and_change_nothing_and_right_scans_pack(paid_parcel):
    order = paid_parcel()
    with pytest.raises(PackingMismatch) as refused:
        services.finish_packing(order=order, scanned=["SILK-1", "RICE-1", "SILK-1"], actor=None)
    assert refused.value.differences == {"SILK-1": (1, 2), "RICE-1": (2, 1)}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.shipment.packed_at is None
    services.finish_packing(order=order, scanned=["RICE-1", "SILK-1", "RICE-1"], actor=None)
    order.refresh_from_db()
    assert order.status == Order.Status.PACKED and order.shipment.packed_at is not None


def test_booking_before_packing_or_with_a_wrong_number_is_refused_and_changes_nothing(paid_parcel):
    order = paid_parcel("thailandpost:ems")
    with pytest.raises(BookingNotAllowed):
        services.book_shipment(shipment=order.shipment, actor=None, tracking_number="EF582568151TH")
    services.finish_packing(order=order, scanned=["SILK-1", "RICE-1", "RICE-1"], actor=None)
    with pytest.raises(BookingNotAllowed):
        services.book_shipment(shipment=order.shipment, actor=None, tracking_number="12345")
    shipment = Shipment.objects.get()
    assert (shipment.status, shipment.tracking_number) == (Shipment.Status.AWAITING_BOOKING, "")
    assert Order.objects.get().status == Order.Status.PACKED
    booked = services.book_shipment(shipment=shipment, actor=None, tracking_number="ef582568151th")
    assert (booked.status, booked.tracking_number) == (Shipment.Status.BOOKED, "EF582568151TH")
    assert Order.objects.get().status == Order.Status.SHIPPED


def test_flash_booking_returns_its_tracking_number_and_the_label_barcode_decodes_back(paid_parcel, fake_flash):
    order = paid_parcel("flash:standard")
    services.finish_packing(order=order, scanned=["SILK-1", "RICE-1", "RICE-1"], actor=None)
    shipment = services.book_shipment(shipment=order.shipment, actor=None)
    path, params = fake_flash.requests[-1]
    assert path == "/open/v3/orders"
    assert (params["outTradeNo"], params["weight"], params["dstPostalCode"]) == (order.number, "2460", "40000")
    assert shipment.tracking_number == "TH014000000001"
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert order.events.last().note.endswith("TH014000000001")

    codes, texts = _decode_pdf(render_labels_pdf([Shipment.objects.get()]))
    assert codes == ["TH014000000001"]
    assert "40000" in texts[0] and order.number in texts[0] and "0812223333" in texts[0]


def test_a_cod_label_shows_the_amount_to_collect(paid_parcel):
    order = paid_parcel("thailandpost:registered")
    Shipment.objects.filter(order=order).update(tracking_number="RB123456785TH", cod_amount="1461.00")
    _codes, texts = _decode_pdf(render_labels_pdf([Shipment.objects.get()]))
    assert "1,461.00" in texts[0]


def test_a_batch_of_labels_is_one_pdf_with_a_page_each(paid_parcel):
    shipments = []
    for index in range(3):
        order = paid_parcel("thailandpost:ems")
        Shipment.objects.filter(order=order).update(tracking_number=f"EF00000000{index}TH")
        shipments.append(Shipment.objects.get(order=order))
    codes, texts = _decode_pdf(render_labels_pdf(shipments))
    assert codes == ["EF000000000TH", "EF000000001TH", "EF000000002TH"]
    assert len(texts) == 3


def test_flash_cancel_and_routes_speak_its_signed_api(fake_flash):
    fake_flash.routes["TH014000000009"] = [
        {"routedAt": 1796450000, "routeAction": "RECEIVED", "message": "รับพัสดุแล้ว", "state": 1},
        {"routedAt": 1796460000, "routeAction": "DELIVERY_CONFIRM", "message": "ส่งสำเร็จ", "state": 5},
    ]
    events = flash.routes("TH014000000009")
    assert [(e.status, e.carrier_code) for e in events] == [
        ("in_transit", "RECEIVED"),
        ("delivered", "DELIVERY_CONFIRM"),
    ]
    flash.cancel_order("TH014000000009")
    path, params = fake_flash.requests[-1]
    assert path == "/open/v1/orders/TH014000000009/cancel"
    assert params["sign"] == flash.signature(params, fake_flash.key)
