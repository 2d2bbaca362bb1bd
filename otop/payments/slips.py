"""Transfer slips: the mini-QR every Thai bank prints on a slip, read and checked before the bank is asked.

The mini-QR is TLV like PromptPay: tag 00 holds 00 the API id `000001`, 01 the sending bank's code and
02 the transaction reference (transRef); 51 is the country `TH`; 91 the CRC-16/CCITT-FALSE of everything
before its value (the same CRC as PromptPay). Tags are read in any order. A slip that reads is then
looked up with the bank's slip verification API (`BankClient.slip`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from otop.payments.promptpay import InvalidPromptPay, _read_fields, crc16

SLIP_API_ID = "000001"


class SlipUnreadable(ValueError):
    """The image holds no QR code, or the QR is not a slip's mini-QR (reason: "unreadable" or "not_a_slip")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SlipRef:
    sending_bank: str
    trans_ref: str


def parse_slip_payload(text: str) -> SlipRef:
    """Read a slip's mini-QR text: its structure and CRC; SlipUnreadable("not_a_slip") otherwise."""
    text = (text or "").strip()
    if len(text) < 12 or not text[-8:-4] == "9104" or crc16(text[:-4]) != text[-4:].upper():
        raise SlipUnreadable("not_a_slip")
    try:
        fields = _read_fields(text[:-8])
        inner = _read_fields(fields.get("00", ""))
    except InvalidPromptPay:
        raise SlipUnreadable("not_a_slip") from None
    bank, ref = inner.get("01", ""), inner.get("02", "")
    if (
        inner.get("00") != SLIP_API_ID
        or fields.get("51") != "TH"
        or not re.fullmatch(r"\d{3}", bank)
        or not re.fullmatch(r"[A-Za-z0-9]{6,40}", ref)
    ):
        raise SlipUnreadable("not_a_slip")
    return SlipRef(sending_bank=bank, trans_ref=ref)


def build_slip_payload(*, sending_bank: str, trans_ref: str) -> str:
    """The mini-QR text a bank prints for a transfer (tests and the fake bank draw slips with it)."""

    def field(tag: str, value: str) -> str:
        return f"{tag}{len(value):02d}{value}"

    body = field("00", field("00", SLIP_API_ID) + field("01", sending_bank) + field("02", trans_ref)) + field(
        "51", "TH"
    )
    body += "9104"
    return body + crc16(body)


MAX_IMAGE_PIXELS = 25_000_000


def read_slip_image(data: bytes) -> SlipRef:
    """Decode the mini-QR in a slip image (zxing-cpp) and read it; SlipUnreadable with the reason."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise SlipUnreadable("unreadable")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise SlipUnreadable("unreadable") from None
    texts = [result.text for result in zxingcpp.read_barcodes(image.convert("L")) if result.text]
    if not texts:
        raise SlipUnreadable("unreadable")
    for text in texts:
        try:
            return parse_slip_payload(text)
        except SlipUnreadable:
            continue
    raise SlipUnreadable("not_a_slip")
