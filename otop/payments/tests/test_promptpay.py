from decimal import Decimal

import pytest

from otop.payments.promptpay import InvalidPromptPay, build_payload, parse_payload, qr_png

STATIC = "00020101021129370016A000000677010111011300668012345675802TH530376463046197"
DYNAMIC = "00020101021229370016A000000677010111011300668012345675802TH53037645406456.256304483D"


def test_published_vector_without_amount():
    assert build_payload("0801234567") == STATIC


def test_published_vector_with_amount():
    assert build_payload("0801234567", Decimal("456.25")) == DYNAMIC


def test_tax_id_target():
    payload = build_payload("0994000000006", Decimal("100"))
    parsed = parse_payload(payload)
    assert parsed.target.kind == "tax_id" and parsed.target.value == "0994000000006"
    assert parsed.amount == Decimal("100.00")


@pytest.mark.parametrize("amount", ["456.255", "0", "-5", "abc"])
def test_bad_amounts_are_errors_not_roundings(amount):
    with pytest.raises(InvalidPromptPay):
        build_payload("0801234567", amount)


@pytest.mark.parametrize("promptpay_id", ["12345", "08012345ab", ""])
def test_bad_ids_are_refused(promptpay_id):
    with pytest.raises(InvalidPromptPay):
        build_payload(promptpay_id)


def test_parser_reads_the_vectors_and_does_not_assume_tag_order():
    parsed = parse_payload(DYNAMIC)
    assert parsed.amount == Decimal("456.25") and parsed.is_dynamic and parsed.target.value == "0066801234567"
    # Same fields, other order: 58 and 53 swapped, 54 first among them; CRC recomputed.
    from otop.payments.promptpay import crc16

    body = "000201010212" + "5406456.25" + "53037645802TH" + "29370016A00000067701011101130066801234567" + "6304"
    reordered = parse_payload(body + crc16(body))
    assert reordered.amount == Decimal("456.25") and reordered.country == "TH"


def test_parser_refuses_a_wrong_crc_and_three_decimals():
    with pytest.raises(InvalidPromptPay):
        parse_payload(DYNAMIC[:-1] + "E")
    from otop.payments.promptpay import crc16

    body = "000201010212" + "29370016A00000067701011101130066801234567" + "5802TH5303764" + "5407456.255" + "6304"
    with pytest.raises(InvalidPromptPay):
        parse_payload(body + crc16(body))


def test_qr_image_decodes_back_to_the_payload():
    import io

    import zxingcpp
    from PIL import Image

    payload = build_payload("0801234567", Decimal("1250.50"))
    image = Image.open(io.BytesIO(qr_png(payload)))
    results = zxingcpp.read_barcodes(image)
    assert [result.text for result in results] == [payload]


def _crc_by_hand(text: str) -> str:
    """CRC-16/CCITT-FALSE bit by bit (poly 0x1021, start 0xFFFF): a second, independent implementation."""
    crc = 0xFFFF
    for byte in text.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def test_crc_matches_the_published_check_value():
    # CRC-16/CCITT-FALSE of "123456789" is 29B1 (the catalogue's check value).
    from otop.payments.promptpay import crc16

    assert crc16("123456789") == _crc_by_hand("123456789") == "29B1"


# Assembled by hand, field by field: 30 (53) = 00 16 A000000677010112 + 01 15 099400000000601 + 02 10 2569000123.
BILL_BODY = (
    "000201" + "010212" + "3053" + "0016A000000677010112" + "0115099400000000601" + "02102569000123"
    "5802TH" + "5303764" + "5406350.00" + "6304"
)


def test_bill_payment_vector_built_by_hand():
    from otop.payments.promptpay import build_bill_payload

    assert build_bill_payload("0994000000006-01", Decimal("350"), "2569000123") == BILL_BODY + _crc_by_hand(BILL_BODY)


def test_bill_payment_with_ref2_and_the_parser_in_any_order():
    from otop.payments.promptpay import build_bill_payload, crc16

    payload = build_bill_payload("099400000000601", "1250.50", "2569000123", ref2="WEB")
    assert "3060" in payload and "0303WEB" in payload
    parsed = parse_payload(payload)
    assert parsed.target is None and parsed.amount == Decimal("1250.50") and parsed.is_dynamic
    assert (parsed.bill.biller_id, parsed.bill.ref1, parsed.bill.ref2) == ("099400000000601", "2569000123", "WEB")
    # Same fields, reordered inside and outside tag 30.
    merchant = "02102569000123" + "0016A000000677010112" + "0115099400000000601"
    body = "5406350.00" + "5303764" + "3053" + merchant + "000201" + "5802TH" + "010212" + "6304"
    reordered = parse_payload(body + crc16(body))
    assert reordered.bill.ref1 == "2569000123" and reordered.amount == Decimal("350.00")


@pytest.mark.parametrize(
    "biller_id, ref1, ref2",
    [
        ("09940000000060", "1", ""),
        ("0994000000006ab", "1", ""),
        ("099400000000601", "", ""),
        ("099400000000601", "abc", ""),
        ("099400000000601", "1" * 21, ""),
        ("099400000000601", "1", "ร้าน"),
    ],
)
def test_bill_payment_refuses_bad_billers_and_refs(biller_id, ref1, ref2):
    from otop.payments.promptpay import build_bill_payload

    with pytest.raises(InvalidPromptPay):
        build_bill_payload(biller_id, "10", ref1, ref2=ref2)


def test_parser_refuses_both_accounts_a_repeated_tag_and_a_bill_without_ref1():
    from otop.payments.promptpay import crc16

    anyid = "29370016A00000067701011101130066801234567"
    bill = "3053" + "0016A000000677010112" + "0115099400000000601" + "02102569000123"
    no_ref1 = "3039" + "0016A000000677010112" + "0115099400000000601"
    for middle in (anyid + bill, bill + bill, no_ref1, ""):
        body = "000201010212" + middle + "5802TH5303764" + "6304"
        with pytest.raises(InvalidPromptPay):
            parse_payload(body + crc16(body))
