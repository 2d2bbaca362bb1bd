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
