"""Thailand Post Track API: the static token (from the developer site) buys a short-lived token, then
`POST /post/api/v1/track` takes up to 100 barcodes. Thai answers write dates as `DD/MM/YYYY HH:MM:SS+07:00`
with Buddhist-era years."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from django.conf import settings

from otop.shipping.carriers.base import BOOKING_TIMEOUT_SECONDS, CarrierEvent, post
from otop.shipping.errors import CarrierUnavailable

BATCH = 100
# A domestic barcode: two letters, eight digits and a check digit, then TH (EF582568151TH).
BARCODE = re.compile(r"^[A-Z]{2}[0-9]{9}TH$")

DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2}):(\d{2}))?$")


def status_of(code: int) -> str:
    """Thailand Post's status codes in our words (101–103 accepted, 2xx moving, 301/302 last mile)."""
    if 101 <= code <= 103:
        return "booked"
    if 201 <= code <= 299:
        return "in_transit"
    if code in (301, 302):
        return "out_for_delivery"
    if code == 401:
        return "failed"
    if code == 501:
        return "delivered"
    return "in_transit"


def parse_date(text: str) -> datetime:
    """Read `19/07/2562 18:11:26+07:00` (Buddhist era) or a Gregorian year; Bangkok time when no offset."""
    match = DATE.match(text.strip())
    if not match:
        raise ValueError(f"not a Thailand Post date: {text!r}")
    day, month, year, hour, minute, second = (int(part) for part in match.groups()[:6])
    if year > 2400:  # พ.ศ.
        year -= 543
    sign, offset_hours, offset_minutes = match.groups()[6:]
    offset = timedelta(hours=int(offset_hours or 7), minutes=int(offset_minutes or 0))
    if sign == "-":
        offset = -offset
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))


def is_configured() -> bool:
    return bool(settings.THAILANDPOST_TRACK_API_BASE_URL and settings.THAILANDPOST_TRACK_TOKEN)


def _token() -> str:
    answer = post(
        settings.THAILANDPOST_TRACK_API_BASE_URL + "/post/api/v1/authenticate/token",
        json_body={},
        headers={"Authorization": f"Token {settings.THAILANDPOST_TRACK_TOKEN}"},
        timeout=BOOKING_TIMEOUT_SECONDS,
    )
    token = answer.get("token") if isinstance(answer, dict) else None
    if not token:
        raise CarrierUnavailable("Thailand Post gave no token")
    return str(token)


def track(barcodes: list[str]) -> dict[str, list[CarrierEvent]]:
    """Every scan of each barcode, in batches of 100; one token for the whole poll."""
    if not is_configured():
        raise CarrierUnavailable("Thailand Post tracking is not configured")
    token = _token()
    found: dict[str, list[CarrierEvent]] = {}
    for start in range(0, len(barcodes), BATCH):
        answer = post(
            settings.THAILANDPOST_TRACK_API_BASE_URL + "/post/api/v1/track",
            json_body={"status": "all", "language": "TH", "barcode": barcodes[start : start + BATCH]},
            headers={"Authorization": f"Token {token}"},
            timeout=BOOKING_TIMEOUT_SECONDS,
        )
        if not isinstance(answer, dict) or not answer.get("status"):
            raise CarrierUnavailable("Thailand Post refused the tracking request")
        items = (answer.get("response") or {}).get("items") or {}
        for barcode, scans in items.items():
            events = []
            for scan in scans or []:
                try:
                    code = int(scan["status"])
                    events.append(
                        CarrierEvent(
                            at=parse_date(str(scan["status_date"])),
                            status=status_of(code),
                            carrier_code=str(code),
                            description=str(scan.get("status_description", ""))[:300],
                            location=" ".join(
                                part
                                for part in (str(scan.get("location") or ""), str(scan.get("postcode") or ""))
                                if part
                            )[:200],
                        )
                    )
                except (KeyError, TypeError, ValueError):
                    continue
            found[str(barcode)] = events
    return found
