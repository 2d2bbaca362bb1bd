"""What a person's text in a chat asks for, the same on every platform: a command (cart, orders, staff,
categories, stop, help), a producer's link code, or a search; and whether an unanswered text reads as a
question for staff. Thai is matched as typed (never split on spaces); English case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata

COMMANDS: dict[str, frozenset[str]] = {
    "cart": frozenset({"ตะกร้า", "ดูตะกร้า", "ตะกร้าสินค้า", "cart", "my cart", "basket"}),
    "orders": frozenset({"สถานะคำสั่งซื้อ", "คำสั่งซื้อ", "ติดตามคำสั่งซื้อ", "คำสั่งซื้อของฉัน", "orders", "my orders", "order status"}),
    "staff": frozenset({"ติดต่อเจ้าหน้าที่", "คุยกับเจ้าหน้าที่", "เจ้าหน้าที่", "แอดมิน", "staff", "talk to staff", "admin", "human"}),
    "categories": frozenset({"หมวดหมู่", "หมวดสินค้า", "เลือกซื้อ", "categories", "category", "shop"}),
    # Withdraws consent to marketing messages in this chat (orders and replies still come).
    "stop": frozenset({"หยุด", "หยุดส่ง", "เลิกรับข่าวสาร", "ยกเลิกรับข่าวสาร", "stop", "unsubscribe"}),
    "help": frozenset({"ช่วยเหลือ", "เมนู", "สวัสดี", "สวัสดีครับ", "สวัสดีค่ะ", "help", "menu", "hello", "hi"}),
}

# The six digits of a link code from the producer portal, as people type them: 123456, 123 456, 123-456,
# in Arabic or Thai numerals (๑๒๓๔๕๖).
LINK_CODE = re.compile(r"^\s*(\d{3})[\s-]?(\d{3})\s*$")

# A question the search cannot answer goes to staff rather than only getting "nothing found".
QUESTION = re.compile(r"[?？]|(ไหม|มั้ย|หรือเปล่า|ได้ไหม|ยังไง|อย่างไร|เท่าไร|เท่าไหร่|กี่วัน|ครับ|ค่ะ|คะ|นะคะ|จ้า)\s*$")


def command_in(text: str) -> str:
    """The command a whole message names ("" when it names none)."""
    folded = " ".join(text.casefold().split())
    for command, words in COMMANDS.items():
        if folded in words:
            return command
    return ""


def link_code_in(text: str) -> str:
    """The six-digit link code a message is ("" when it is not one)."""
    match = LINK_CODE.match(text)
    if not match:
        return ""
    return "".join(str(unicodedata.digit(character)) for character in match.group(1) + match.group(2))


def is_question(text: str) -> bool:
    return bool(QUESTION.search(text.strip()))
