from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from otop.notifications.models import OutboundMessage
from otop.orders.models import Order
from otop.orders.selectors import tracking_token
from otop.shipping import services
from otop.shipping.carriers import flash, thailandpost
from otop.shipping.errors import CarrierRefused
from otop.shipping.models import CarrierPush, Shipment, TrackingEvent

BANGKOK = ZoneInfo("Asia/Bangkok")


def _shipped(paid_parcel, option: str, tracking_number: str = "") -> Shipment:
    order = paid_parcel(option)
    services.finish_packing(order=order, scanned=["SILK-1", "RICE-1", "RICE-1"], actor=None)
    return services.book_shipment(shipment=order.shipment, actor=None, tracking_number=tracking_number)


def _webhook(fake, pno: str, state: int, *, at: int = 1764900000, scanned: bool = True) -> dict[str, str]:
    """The signed status push Flash sends about a parcel, after the scan on its side (unless not scanned)."""
    if scanned:
        fake.scan(pno, state, at, "ส่งสำเร็จ")
    params = {
        "mchId": fake.mch_id,
        "nonceStr": f"{at}123",
        "data": json.dumps({"pno": pno, "state": state, "stateText": "ส่งสำเร็จ", "updateAt": at}),
    }
    params["sign"] = flash.signature(params, fake.key)
    return params


def _push(client, params: dict[str, str]):
    """Post a push to the webhook as Flash does; the queued work runs when the request's commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/shipping/flash/webhook", urlencode(params), content_type="application/x-www-form-urlencoded"
        )


def test_a_signed_flash_delivered_webhook_completes_the_order_and_tells_the_buyer_once(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    body = _webhook(fake_flash, shipment.tracking_number, 5)
    response = _push(client, body)
    assert response.status_code == 200 and response.json() == {"errorCode": "1", "state": "success"}
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED
    assert Order.objects.get().status == Order.Status.COMPLETED
    told = OutboundMessage.objects.filter(event="shipping/tracking_update")
    assert told.count() == 1 and shipment.tracking_number in told.get().body
    # Flash sends again until it hears success: the replay is kept once and not checked again.
    asked = len(fake_flash.requests)
    resent = {**body, "nonceStr": "1764900099123"}
    resent["sign"] = flash.signature(resent, fake_flash.key)
    assert _push(client, body).status_code == 200 and _push(client, resent).status_code == 200
    assert len(fake_flash.requests) == asked
    assert CarrierPush.objects.count() == 1 and CarrierPush.objects.get().new_events == 1
    assert TrackingEvent.objects.count() == 1 and told.count() == 1


def test_a_tampered_or_unsigned_flash_webhook_changes_nothing(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    fake_flash.scan(shipment.tracking_number, 5, 1764900000)  # delivered on Flash's side: a forger knows it
    asked = len(fake_flash.requests)
    body = _webhook(fake_flash, shipment.tracking_number, 3, scanned=False)
    body["data"] = body["data"].replace('"state": 3', '"state": 5')
    unsigned = _webhook(fake_flash, shipment.tracking_number, 5, scanned=False)
    del unsigned["sign"]
    zeros = {**unsigned, "sign": "0" * 64}
    other_merchant = {**_webhook(fake_flash, shipment.tracking_number, 5, scanned=False), "mchId": "BB0002"}
    other_merchant["sign"] = flash.signature(other_merchant, fake_flash.key)
    wrong_key = {key: value for key, value in unsigned.items()}
    wrong_key["sign"] = flash.signature(wrong_key, "another-key")
    for forged in (body, unsigned, zeros, other_merchant, wrong_key):
        response = _push(client, forged)
        assert response.status_code == 403 and response.json()["errorCode"] == "0"
    # A name given twice: which value was signed is unclear, so the body is refused before anything else.
    signed = _webhook(fake_flash, shipment.tracking_number, 5, scanned=False)
    twice = urlencode(list(signed.items()) + [("data", signed["data"])])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/shipping/flash/webhook", twice, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert len(fake_flash.requests) == asked and not CarrierPush.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.BOOKED and not TrackingEvent.objects.exists()
    assert Order.objects.get().status == Order.Status.SHIPPED


def test_a_failed_delivery_flags_the_parcel_and_a_late_older_scan_does_not_move_it_back(
    client, paid_parcel, fake_flash
):
    shipment = _shipped(paid_parcel, "flash:standard")
    assert _push(client, _webhook(fake_flash, shipment.tracking_number, 6, at=1764900000)).status_code == 200
    assert _push(client, _webhook(fake_flash, shipment.tracking_number, 2, at=1764800000)).status_code == 200
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
    _push(client, _webhook(fake_flash, shipment.tracking_number, 3))
    order = Order.objects.get()
    response = client.get(f"/orders/track/{order.number}/{tracking_token(order.number)}/")
    assert response.status_code == 200
    assert response.context["shipment"] == shipment
    assert [e.status for e in response.context["timeline"]] == [Shipment.Status.OUT_FOR_DELIVERY]
    assert shipment.tracking_number in response.content.decode()


def test_a_push_that_flashs_routes_contradict_records_what_flash_says(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    fake_flash.scan(shipment.tracking_number, 1, 1764800000, "รับพัสดุแล้ว")
    fake_flash.scan(shipment.tracking_number, 3, 1764850000, "กำลังนำส่ง")
    # Signed, but claiming a delivery Flash's own routes do not list.
    claim = _webhook(fake_flash, shipment.tracking_number, 5, at=1764900000, scanned=False)
    assert _push(client, claim).json() == {"errorCode": "1", "state": "success"}
    path, params = fake_flash.requests[-1]
    assert path == f"/open/v1/orders/{shipment.tracking_number}/routes"
    assert params["sign"] == flash.signature(params, fake_flash.key)
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.OUT_FOR_DELIVERY
    assert list(shipment.events.values_list("carrier_code", flat=True)) == [
        "RECEIVED",
        "DELIVERY_TICKET_CREATION_SCAN",
    ]
    assert Order.objects.get().status == Order.Status.SHIPPED
    push = CarrierPush.objects.get()
    assert (push.tracking_number, push.new_events, push.error) == (shipment.tracking_number, 2, "")
    assert push.checked_at is not None and "sign" not in push.payload


def test_a_push_about_a_parcel_that_is_not_ours_is_acknowledged_and_asks_nothing(client, paid_parcel, fake_flash):
    _shipped(paid_parcel, "flash:standard")
    asked = len(fake_flash.requests)
    response = _push(client, _webhook(fake_flash, "TH0140NOTOURS1", 5, scanned=False))
    assert response.status_code == 200 and response.json()["errorCode"] == "1"
    assert len(fake_flash.requests) == asked and not CarrierPush.objects.exists()


def test_flash_down_when_a_push_comes_is_caught_up_by_the_periodic_poll(client, paid_parcel, fake_flash):
    shipment = _shipped(paid_parcel, "flash:standard")
    fake_flash.mode = "down"
    assert _push(client, _webhook(fake_flash, shipment.tracking_number, 5)).status_code == 200
    push = CarrierPush.objects.get()
    assert push.checked_at is not None and push.new_events == 0 and push.error
    assert Order.objects.get().status == Order.Status.SHIPPED and not TrackingEvent.objects.exists()
    fake_flash.mode = "ok"
    assert services.poll_open_parcels() == 1
    assert Order.objects.get().status == Order.Status.COMPLETED
    assert services.poll_open_parcels() == 0  # a delivered parcel is no longer asked about
    assert (
        fake_flash.requests[-1][0].endswith("/routes")
        and len([path for path, _params in fake_flash.requests if path.endswith("/routes")]) == 2
    )


def test_the_poll_asks_flash_for_each_open_parcel_and_one_refused_parcel_does_not_stop_the_others(
    paid_parcel, fake_flash
):
    first = _shipped(paid_parcel, "flash:standard")
    second = _shipped(paid_parcel, "flash:standard")
    fake_flash.scan(second.tracking_number, 3, 1764850000)
    fake_flash.parcels.discard(first.tracking_number)  # Flash answers 1006 "order not found" for it
    assert services.poll_open_parcels() == 1
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == Shipment.Status.OUT_FOR_DELIVERY and first.status == Shipment.Status.BOOKED
    asked = sorted(path for path, _params in fake_flash.requests if path.endswith("/routes"))
    assert asked == sorted(f"/open/v1/orders/{s.tracking_number}/routes" for s in (first, second))
    with pytest.raises(CarrierRefused) as refused:
        flash.routes(first.tracking_number)
    assert refused.value.carrier_code == 1006
