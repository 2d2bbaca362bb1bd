"""What a chat message asks for, the same on every platform."""

from __future__ import annotations

import pytest

from otop.channels.intents import command_in, is_question, link_code_in


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("ตะกร้า", "cart"),
        ("  ดูตะกร้า ", "cart"),
        ("My  Cart", "cart"),
        ("สถานะคำสั่งซื้อ", "orders"),
        ("ORDER STATUS", "orders"),
        ("ติดต่อเจ้าหน้าที่", "staff"),
        ("หมวดหมู่", "categories"),
        ("สวัสดีค่ะ", "help"),
        ("ตะกร้าไม้ไผ่", ""),  # a product (a bamboo basket), searched for, not the cart
        ("ผ้าไหม", ""),
        ("", ""),
    ],
)
def test_a_whole_message_names_a_command_or_none(text, command):
    assert command_in(text) == command


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("123-456", "123456"),
        ("12345", ""),
        ("1234567", ""),
        ("๑๒๓ ๔๕๖", "123456"),
        ("12a456", ""),
    ],
)
def test_a_link_code_is_six_digits_as_people_type_them(text, code):
    assert link_code_in(text) == code


@pytest.mark.parametrize(
    ("text", "question"),
    [("ส่งต่างจังหวัดได้ไหม", True), ("ราคาเท่าไหร่คะ", True), ("open on Sunday?", True), ("ผ้าไหมมัดหมี่", False)],
)
def test_a_question_is_told_from_a_search(text, question):
    assert is_question(text) is question
