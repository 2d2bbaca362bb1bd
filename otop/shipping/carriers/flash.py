"""Flash Express Open API: form-encoded POSTs signed with SHA-256, money in satang, weights in grams.

Signature (Flash's "signature algorithm"): drop `sign` and every parameter whose value is empty or
only whitespace, sort the rest by name (ASCII), join as `k=v&k=v`, append `&key=<API key>`, SHA-256,
upper-case hex. The answer's `code` says whether it worked (1 = success), whatever the HTTP status.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings

from otop.core.money import to_satang
from otop.shipping.carriers.base import BOOKING_TIMEOUT_SECONDS, QUOTE_TIMEOUT_SECONDS, CarrierEvent, post
from otop.shipping.errors import CarrierRefused, CarrierUnavailable

# Characters Flash counts as blank (a value made only of these is not signed).
BLANK = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "

# Flash's parcel states (the `state` of routes and the status webhook) in our words.
STATES = {
    1: "in_transit",  # picked up
    2: "in_transit",
    3: "out_for_delivery",
    4: "failed",  # held (stranded)
    5: "delivered",
    6: "failed",  # problem parcel
    7: "returned",
    8: "failed",  # closed abnormally
    9: "cancelled",
}


def signature(params: dict[str, str], key: str) -> str:
    signed = sorted(
        (name, str(value)) for name, value in params.items() if name != "sign" and str(value).strip(BLANK) != ""
    )
    text = "&".join(f"{name}={value}" for name, value in signed) + f"&key={key}"
    return hashlib.sha256(text.encode()).hexdigest().upper()


def is_signed(params: dict[str, str], key: str) -> bool:
    return hmac.compare_digest(params.get("sign", ""), signature(params, key))


def is_configured() -> bool:
    return bool(settings.FLASH_API_BASE_URL and settings.FLASH_MCH_ID and settings.FLASH_API_KEY)


def _call(path: str, params: dict[str, str], *, timeout: float) -> dict:
    if not is_configured():
        raise CarrierUnavailable("Flash Express is not configured")
    params = {"mchId": settings.FLASH_MCH_ID, "nonceStr": secrets.token_hex(8), **params}
    params["sign"] = signature(params, settings.FLASH_API_KEY)
    answer = post(settings.FLASH_API_BASE_URL.rstrip("/") + path, form=params, timeout=timeout)
    if not isinstance(answer, dict) or answer.get("code") != 1:
        message = str(answer.get("message", "") if isinstance(answer, dict) else "")[:150]
        code = answer.get("code") if isinstance(answer, dict) else None
        if isinstance(code, int) and code >= 1000:  # Flash's business errors (1002 signature, 1006 not found…)
            raise CarrierRefused(f"Flash answered {code} {message}", carrier_code=code)
        raise CarrierUnavailable(f"Flash answered {message}")
    return answer.get("data") or {}


def satang(amount: Decimal) -> str:
    return str(int(to_satang(amount) * 100))


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    province: str
    district: str
    postcode: str
    detail: str = ""


def estimate_fee(*, sender: Address, recipient: Address, weight_grams: int, express_category: int = 1) -> Decimal:
    """The fee Flash quotes for a parcel, in baht (it answers in satang)."""
    data = _call(
        "/open/v1/orders/estimate_rate",
        {
            "srcProvinceName": sender.province,
            "srcCityName": sender.district,
            "srcPostalCode": sender.postcode,
            "dstProvinceName": recipient.province,
            "dstCityName": recipient.district,
            "dstPostalCode": recipient.postcode,
            "weight": str(weight_grams),
            "expressCategory": str(express_category),
        },
        timeout=QUOTE_TIMEOUT_SECONDS,
    )
    try:
        return Decimal(int(data["estimatePrice"])) / 100
    except (KeyError, TypeError, ValueError) as error:
        raise CarrierUnavailable("Flash sent no price") from error


def create_order(
    *,
    out_trade_no: str,
    sender: Address,
    recipient: Address,
    weight_grams: int,
    cod_amount: Decimal | None = None,
    express_category: int = 1,
    article_category: int = 99,
) -> str:
    """Book a parcel; returns Flash's tracking number (`pno`)."""
    params = {
        "outTradeNo": out_trade_no,
        "srcName": sender.name,
        "srcPhone": sender.phone,
        "srcProvinceName": sender.province,
        "srcCityName": sender.district,
        "srcPostalCode": sender.postcode,
        "srcDetailAddress": sender.detail,
        "dstName": recipient.name,
        "dstPhone": recipient.phone,
        "dstProvinceName": recipient.province,
        "dstCityName": recipient.district,
        "dstPostalCode": recipient.postcode,
        "dstDetailAddress": recipient.detail,
        "articleCategory": str(article_category),
        "expressCategory": str(express_category),
        "weight": str(weight_grams),
        "insured": "0",
        "codEnabled": "1" if cod_amount else "0",
    }
    if cod_amount:
        params["codAmount"] = satang(cod_amount)
    data = _call("/open/v3/orders", params, timeout=BOOKING_TIMEOUT_SECONDS)
    pno = str(data.get("pno", ""))
    if not pno:
        raise CarrierUnavailable("Flash sent no tracking number")
    return pno


@dataclass(frozen=True)
class PickupTicket:
    ticket: str
    courier_name: str = ""
    courier_phone: str = ""
    message: str = ""


def notify_courier(*, sender: Address, parcels: int, remark: str = "") -> PickupTicket:
    """Ask Flash to send a courier for the parcels (`/open/v1/notify`); returns its pickup ticket."""
    data = _call(
        "/open/v1/notify",
        {
            "srcName": sender.name,
            "srcPhone": sender.phone,
            "srcProvinceName": sender.province,
            "srcCityName": sender.district,
            "srcPostalCode": sender.postcode,
            "srcDetailAddress": sender.detail,
            "estimateParcelNumber": str(parcels),
            "remark": remark,
        },
        timeout=BOOKING_TIMEOUT_SECONDS,
    )
    ticket = str(data.get("ticketPickupId") or "")
    if not ticket:
        raise CarrierUnavailable("Flash sent no pickup number")
    return PickupTicket(
        ticket=ticket[:60],
        courier_name=str(data.get("staffInfoName") or "")[:100],
        courier_phone=str(data.get("staffInfoPhone") or "")[:20],
        message=" ".join(str(data.get(key) or "") for key in ("timeoutAtText", "ticketMessage")).strip()[:300],
    )


def cancel_order(pno: str) -> None:
    _call(f"/open/v1/orders/{pno}/cancel", {}, timeout=BOOKING_TIMEOUT_SECONDS)


def _instant(value) -> datetime:
    """Flash writes instants as Unix seconds."""
    return datetime.fromtimestamp(int(value), tz=UTC)


def routes(pno: str) -> list[CarrierEvent]:
    """The parcel's scans as Flash lists them (`/open/v1/orders/{pno}/routes`), oldest first."""
    data = _call(f"/open/v1/orders/{pno}/routes", {}, timeout=BOOKING_TIMEOUT_SECONDS)
    events = []
    for route in data.get("routes") or []:
        try:
            events.append(
                CarrierEvent(
                    at=_instant(route["routedAt"]),
                    status=STATES.get(int(route.get("state", 2)), "in_transit"),
                    carrier_code=str(route.get("routeAction", ""))[:40],
                    description=str(route.get("message", ""))[:300],
                )
            )
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            continue
    return sorted(events, key=lambda event: event.at)


@dataclass(frozen=True)
class StatusUpdate:
    pno: str
    event: CarrierEvent
    state: int


def push_key(update: StatusUpdate) -> str:
    """One status push, whatever its nonce: the parcel, the state it claims and when (Flash resends the
    same push until it hears success)."""
    return f"{update.pno}:{update.state}:{int(update.event.at.timestamp())}"[:120]


def read_status_webhook(params: dict[str, str]) -> StatusUpdate | None:
    """The parcel and its new state from a status webhook's (already verified) form; None if unreadable."""
    try:
        data = json.loads(params.get("data", ""))
        pno = str(data.get("pno") or data.get("recentPno") or "")
        state = int(data["state"])
        at = _instant(data.get("updateAt") or data.get("stateChangeAt") or params.get("nonceStr", "0")[:10])
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError):
        return None
    if not pno or state not in STATES:
        return None
    return StatusUpdate(
        pno=pno[:40],
        state=state,
        event=CarrierEvent(
            at=at, status=STATES[state], carrier_code=f"state-{state}", description=str(data.get("stateText", ""))[:300]
        ),
    )
