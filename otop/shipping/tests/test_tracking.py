from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from otop.notifications.models import OutboundMessage
from otop.orders.models import Order
from otop.orders.selectors import tracking_token
from otop.shipping import services
from otop.shipping.carriers import flash, thailandpost
from otop.shipping.models import Shipment, TrackingEvent

BANGKOK = ZoneInfo("Asia/Bangkok")


def _shipped(paid_parcel, option: str, tracking_number: str = "") -> Shipment:
    order = paid_parcel(option)
    services.finish_packing(order=order, scanned=["SILK-1", "RICE-1", "RICE-1"], actor=None)
    return services.book_shipment(shipment=order.shipment, actor=None, tracking_number=tracking_number)


def _webhook(fake, pno: str, state: int, *, at: int = 1764900000) -> dict[str, str]:
    params = {
        "mchId": fake.mch_id,
        "nonceStr": "1764900000123",
        "data": json.dumps({"pno": pno, "state": state, "stateText": "ส่งสำเร็จ", "updateAt": at}),
    }
    params["sign"] = flash.signature(params, fake.key)
    return params


def test_a_signed_flash_delivered_webhook_completes_the_order_and_tells_the_buyer_once(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    body = _webhook(fake_flash, shipment.tracking_number, 5)
    response = client.post("/shipping/flash/webhook", body)
    assert response.status_code == 200 and response.json() == {"errorCode": "1", "state": "success"}
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED
    assert Order.objects.get().status == Order.Status.COMPLETED
    told = OutboundMessage.objects.filter(event="shipping/tracking_update")
    assert told.count() == 1 and shipment.tracking_number in told.get().body
    # Flash sends again until it hears success: the replay changes nothing.
    assert client.post("/shipping/flash/webhook", body).status_code == 200
    assert TrackingEvent.objects.count() == 1 and told.count() == 1


def test_a_tampered_or_unsigned_flash_webhook_changes_nothing(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    body = _webhook(fake_flash, shipment.tracking_number, 3)
    body["data"] = body["data"].replace('"state": 3', '"state": 5')
    assert client.post("/shipping/flash/webhook", body).status_code == 403
    unsigned = {**_webhook(fake_flash, shipment.tracking_number, 5), "sign": "0" * 64}
    assert client.post("/shipping/flash/webhook", unsigned).status_code == 403
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.BOOKED and not TrackingEvent.objects.exists()
    assert Order.objects.get().status == Order.Status.SHIPPED


def test_a_failed_delivery_flags_the_parcel_and_a_late_older_scan_does_not_move_it_back(paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    assert services.handle_flash_webhook(_webhook(fake_flash, shipment.tracking_number, 6, at=1764900000))
    assert services.handle_flash_webhook(_webhook(fake_flash, shipment.tracking_number, 2, at=1764800000))
    shipment.refresh_from_db()
    assert (shipment.status, shipment.needs_attention) == (Shipment.Status.FAILED, True)
    assert Order.objects.get().status == Order.Status.SHIPPED
    assert TrackingEvent.objects.count() == 2


def test_thailand_post_dates_in_the_buddhist_era_land_on_the_right_gregorian_days():
    assert thailandpost.parse_date("19/07/2562 18:11:26+07:00") == datetime(2019, 7, 19, 18, 11, 26, tzinfo=BANGKOK)
    # Just after midnight in Bangkok is still the previous day in UTC: the day shown is Bangkok's.
    early = thailandpost.parse_date("01/01/2569 00:30:00+07:00")
    assert early.astimezone(BANGKOK).date() == date(2026, 1, 1)
    assert early.astimezone(ZoneInfo("UTC")).date() == date(2025, 12, 31)


def test_a_thailand_post_poll_puts_the_scans_on_the_timeline_and_completes_a_delivered_order(
    paid_parcel, fake_thailandpost
):
    shipment = _shipped(paid_parcel, "thailandpost:ems", "EF582568151TH")
    fake_thailandpost.scans["EF582568151TH"] = [
        {
            "barcode": "EF582568151TH",
            "status": "103",
            "status_description": "รับฝาก",
            "status_date": "04/12/2569 16:05:00+07:00",
            "location": "ขอนแก่น",
            "postcode": "40000",
        },
        {
            "barcode": "EF582568151TH",
            "status": "201",
            "status_description": "อยู่ระหว่างการขนส่ง",
            "status_date": "05/12/2569 02:10:00+07:00",
            "location": "ศป.ขอนแก่น",
            "postcode": "40010",
        },
        {
            "barcode": "EF582568151TH",
            "status": "501",
            "status_description": "นำจ่ายสำเร็จ",
            "status_date": "05/12/2569 11:40:00+07:00",
            "location": "ขอนแก่น",
            "postcode": "40000",
        },
    ]
    assert services.poll_thailand_post() == 3
    days = [event.at.astimezone(BANGKOK).date() for event in TrackingEvent.objects.order_by("at")]
    assert days == [date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 5)]
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED
    assert Order.objects.get().status == Order.Status.COMPLETED
    token_call, track_call = fake_thailandpost.requests
    assert token_call[2] == "Token static-token" and track_call[2] == "Token issued-token-1"
    assert track_call[1]["barcode"] == ["EF582568151TH"]
    assert services.poll_thailand_post() == 0  # delivered parcels are no longer polled


def test_thailand_post_is_asked_in_batches_of_at_most_100_barcodes(fake_thailandpost):
    barcodes = [f"EF{n:09d}TH" for n in range(150)]
    found = thailandpost.track(barcodes)
    assert len(found) == 150
    sizes = [len(body["barcode"]) for path, body, _auth in fake_thailandpost.requests if path.endswith("/track")]
    assert sizes == [100, 50]


def test_the_tracking_page_shows_the_parcel_timeline(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    services.handle_flash_webhook(_webhook(fake_flash, shipment.tracking_number, 3))
    order = Order.objects.get()
    response = client.get(f"/orders/track/{order.number}/{tracking_token(order.number)}/")
    assert response.status_code == 200
    assert response.context["shipment"] == shipment
    assert [e.status for e in response.context["timeline"]] == [Shipment.Status.OUT_FOR_DELIVERY]
    assert shipment.tracking_number in response.content.decode()
