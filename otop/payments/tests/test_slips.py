"""The slip mini-QR: structure and CRC, in any tag order; images decoded with zxing-cpp."""

from __future__ import annotations

import io

import pytest
import segno

from otop.payments.promptpay import build_payload, crc16
from otop.payments.slips import SlipUnreadable, build_slip_payload, parse_slip_payload, read_slip_image

# Assembled by hand: 00 (41) = 00 06 000001 + 01 03 004 + 02 20 <transRef>; 51 02 TH; 91 04 CRC.
REF = "0041000600000101030040220" + "2569120512345678ABCD"


def _png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def test_a_hand_assembled_slip_reads():
    body = REF[:4] + REF[4:] + "5102TH" + "9104"
    text = body + crc16(body)
    assert build_slip_payload(sending_bank="004", trans_ref="2569120512345678ABCD") == text
    slip = parse_slip_payload(text)
    assert (slip.sending_bank, slip.trans_ref) == ("004", "2569120512345678ABCD")


def test_tags_in_another_order_still_read():
    inner = "02202569120512345678ABCD" + "0103004" + "0006000001"
    body = "5102TH" + f"00{len(inner):02d}" + inner + "9104"
    assert parse_slip_payload(body + crc16(body)).trans_ref == "2569120512345678ABCD"


def _wrong_crc(text: str) -> str:
    return text[:-1] + ("1" if text[-1] == "0" else "0")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        build_payload("0812345678", "100"),  # a PromptPay QR, not a slip
        _wrong_crc(build_slip_payload(sending_bank="004", trans_ref="2569120512345678ABCD")),
    ],
)
def test_what_is_not_a_slip_is_refused(text):
    with pytest.raises(SlipUnreadable) as refused:
        parse_slip_payload(text)
    assert refused.value.reason == "not_a_slip"


def test_images_are_decoded_and_refused_with_their_reason():
    text = build_slip_payload(sending_bank="014", trans_ref="ABC123456789")
    assert read_slip_image(_png(text)).trans_ref == "ABC123456789"
    with pytest.raises(SlipUnreadable) as refused:
        read_slip_image(_png(build_payload("0812345678", "100")))
    assert refused.value.reason == "not_a_slip"
    for junk in (b"", b"not an image", _png("")[:50]):
        with pytest.raises(SlipUnreadable) as refused:
            read_slip_image(junk)
        assert refused.value.reason == "unreadable"
