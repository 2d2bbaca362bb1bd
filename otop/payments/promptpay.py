"""PromptPay (Thai QR Payment, EMVCo merchant-presented): build, parse and draw the payload.

The one PromptPay module: the web shop, the POS and room bookings all use it.
Payload: 00 format, 01 static (11) or dynamic with amount (12), then either 29 merchant account
(00 AID A000000677010111 + 01 mobile as 0066+9 digits / 02 tax ID / 03 e-wallet) or 30 bill payment
(00 AID A000000677010112 + 01 biller ID: tax ID and a 2-digit suffix, 02 Ref1, 03 Ref2 if any),
53 currency 764, 54 amount with two decimals, 58 country TH, 63 CRC-16/CCITT-FALSE.
A bill payment names the order (Ref1), so the bank's confirmation can be matched to it.
"""

from __future__ import annotations

import binascii
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from otop.core.money import InvalidAmount, parse_amount

AID = "A000000677010111"
BILL_PAYMENT_AID = "A000000677010112"
CURRENCY_THB = "764"


class InvalidPromptPay(ValueError):
    """A PromptPay ID, amount or payload is not valid."""


@dataclass(frozen=True)
class PromptPayTarget:
    kind: str  # "mobile", "tax_id" or "ewallet"
    value: str  # as it travels in the payload (mobile as 0066XXXXXXXXX)


@dataclass(frozen=True)
class BillPayment:
    biller_id: str  # 15 digits: the tax ID and a 2-digit suffix
    ref1: str
    ref2: str = ""


@dataclass(frozen=True)
class ParsedPayload:
    target: PromptPayTarget | None  # an AnyID payload (tag 29)
    amount: Decimal | None
    is_dynamic: bool
    country: str
    currency: str
    bill: BillPayment | None = None  # a bill payment (tag 30)


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidPromptPay(f"field {tag} is too long")
    return f"{tag}{len(value):02d}{value}"


def crc16(data: str) -> str:
    return f"{binascii.crc_hqx(data.encode('ascii'), 0xFFFF):04X}"


def target_for(promptpay_id: str) -> PromptPayTarget:
    """Read a PromptPay ID: a Thai mobile number, a 13-digit tax/national ID or a 15-digit e-wallet ID."""
    digits = re.sub(r"[\s\-]", "", promptpay_id or "")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    if not digits.isdigit():
        raise InvalidPromptPay("a PromptPay ID has only digits")
    if len(digits) == 10 and digits.startswith("0"):
        return PromptPayTarget("mobile", "0066" + digits[1:])
    if len(digits) == 13:
        return PromptPayTarget("tax_id", digits)
    if len(digits) == 15:
        return PromptPayTarget("ewallet", digits)
    raise InvalidPromptPay("a PromptPay ID is a 10-digit mobile number, a 13-digit ID or a 15-digit e-wallet ID")


_SUBTAG = {"mobile": "01", "tax_id": "02", "ewallet": "03"}


def _amount_text(amount: Decimal | str) -> str:
    try:
        value = parse_amount(amount if not isinstance(amount, Decimal) else str(amount))
    except InvalidAmount as error:
        raise InvalidPromptPay(str(error)) from None
    if value <= 0:
        raise InvalidPromptPay("the amount must be more than zero")
    return f"{value:.2f}"


def build_payload(promptpay_id: str, amount: Decimal | str | None = None) -> str:
    """Return the Thai QR Payment payload; with an amount it is dynamic (01=12) for exactly that sum."""
    target = target_for(promptpay_id)
    amount_text = _amount_text(amount) if amount is not None else None
    merchant = _field("00", AID) + _field(_SUBTAG[target.kind], target.value)
    return _with_crc(merchant_tag="29", merchant=merchant, amount_text=amount_text)


_REF = re.compile(r"[A-Z0-9]{1,20}")


def biller_id_for(biller_id: str) -> str:
    """Read a biller ID: the 13-digit tax ID and the 2-digit suffix the bank gave (15 digits)."""
    digits = re.sub(r"[\s\-]", "", biller_id or "")
    if not (digits.isdigit() and len(digits) == 15):
        raise InvalidPromptPay("a biller ID is the 13-digit tax ID and a 2-digit suffix")
    return digits


def build_bill_payload(biller_id: str, amount: Decimal | str, ref1: str, ref2: str = "") -> str:
    """Return a PromptPay bill payment payload (tag 30) for exactly `amount`, naming Ref1 (and Ref2)."""
    biller = biller_id_for(biller_id)
    for name, ref in (("Ref1", ref1), ("Ref2", ref2)):
        if (ref or name == "Ref1") and not _REF.fullmatch(ref or ""):
            raise InvalidPromptPay(f"{name} is 1 to 20 capital letters or digits")
    merchant = _field("00", BILL_PAYMENT_AID) + _field("01", biller) + _field("02", ref1)
    if ref2:
        merchant += _field("03", ref2)
    return _with_crc(merchant_tag="30", merchant=merchant, amount_text=_amount_text(amount))


def _with_crc(*, merchant_tag: str, merchant: str, amount_text: str | None) -> str:
    body = (
        _field("00", "01")
        + _field("01", "12" if amount_text else "11")
        + _field(merchant_tag, merchant)
        + _field("58", "TH")
        + _field("53", CURRENCY_THB)
        + (_field("54", amount_text) if amount_text else "")
        + "6304"
    )
    return body + crc16(body)


def _read_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        if position + 4 > len(text):
            raise InvalidPromptPay("truncated payload")
        tag, length = text[position : position + 2], text[position + 2 : position + 4]
        if not length.isdigit():
            raise InvalidPromptPay("malformed length")
        end = position + 4 + int(length)
        if end > len(text):
            raise InvalidPromptPay("truncated payload")
        if tag in fields:
            raise InvalidPromptPay(f"tag {tag} appears twice")
        fields[tag] = text[position + 4 : end]
        position = end
    return fields


def parse_payload(payload: str) -> ParsedPayload:
    """Read a PromptPay payload in any tag order, checking its CRC; refuse anything malformed."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise InvalidPromptPay("the payload must end with the CRC field 63")
    if crc16(payload[:-4]) != payload[-4:].upper():
        raise InvalidPromptPay("CRC mismatch")
    fields = _read_fields(payload[:-8])
    if fields.get("00") != "01":
        raise InvalidPromptPay("unknown payload format")
    if ("29" in fields) == ("30" in fields):
        raise InvalidPromptPay("the payload must have one merchant account: AnyID (29) or bill payment (30)")
    target, bill = None, None
    if "29" in fields:
        merchant = _read_fields(fields["29"])
        if merchant.get("00") != AID:
            raise InvalidPromptPay("not a PromptPay merchant account")
        kinds = {v: k for k, v in _SUBTAG.items()}
        found = [(kinds[tag], value) for tag, value in merchant.items() if tag in kinds]
        if len(found) != 1:
            raise InvalidPromptPay("the payload must name exactly one PromptPay ID")
        target = PromptPayTarget(*found[0])
    else:
        merchant = _read_fields(fields["30"])
        if merchant.get("00") != BILL_PAYMENT_AID:
            raise InvalidPromptPay("not a PromptPay bill payment")
        if not _REF.fullmatch(merchant.get("02", "")) or not _REF.fullmatch(merchant.get("03", "X")):
            raise InvalidPromptPay("a bill payment names Ref1 (and maybe Ref2): capital letters or digits")
        bill = BillPayment(
            biller_id=biller_id_for(merchant.get("01", "")), ref1=merchant["02"], ref2=merchant.get("03", "")
        )
    amount = None
    if "54" in fields:
        if not re.fullmatch(r"\d+(\.\d{1,2})?", fields["54"]):
            raise InvalidPromptPay("the amount must have at most two decimals")
        amount = Decimal(fields["54"]).quantize(Decimal("0.01"))
    return ParsedPayload(
        target=target,
        amount=amount,
        is_dynamic=fields.get("01") == "12",
        country=fields.get("58", ""),
        currency=fields.get("53", ""),
        bill=bill,
    )


def qr_svg(payload: str, *, scale: int = 6) -> str:
    """Draw the payload as an SVG QR code (error correction M)."""
    import segno

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return buffer.getvalue().decode()


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
