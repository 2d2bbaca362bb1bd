"""The shapes API input may take, with their real bounds, and the error answer every operation documents.

Every money, quantity and text field of an API schema uses these types, so a value the database cannot
hold (1e20 baht, 0.001 baht, a string longer than its column, a NUL character) is refused at the edge
with a 400 in the error format, and the OpenAPI schema tells clients (and the schemathesis fuzzer in
the tests) the same bounds the server enforces.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, WithJsonSchema

from otop.core.money import MAX_AMOUNT
from otop.core.validators import normalize_thai_phone, thai_phone_is_valid

MAX_MONEY = MAX_AMOUNT
# One line of an order or a sale: more than this is a typing slip or an attack.
MAX_QUANTITY = 999
# Largest id a BigAutoField holds.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000

MONEY_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
# Text fields refuse NUL: PostgreSQL cannot store it and no person types it.
TEXT_PATTERN = r"^[^\x00]*$"
# Required text: at least one character that is not white space.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
# What people type: 0 or +66, then the digits with single spaces, dots or hyphens between them.
PHONE_PATTERN = r"^(?:\+66[ -]?|0)(?:[689](?:[ .-]?[0-9]){8}|[2-7](?:[ .-]?[0-9]){7})$"
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def _money_schema(minimum: Decimal) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "number", "minimum": float(minimum), "maximum": float(MAX_MONEY), "multipleOf": 0.01},
            {"type": "string", "pattern": MONEY_PATTERN if minimum >= 0 else "^-?" + MONEY_PATTERN[1:]},
        ],
        "description": "Baht with at most 2 decimals, as a number or a string",
    }


def _strip_decimal_string(value: Any) -> Any:
    # "1e20" and " 12" are readable as decimals but are not what the schema promises.
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,10}(\.[0-9]{1,2})?", value):
        raise ValueError("not an amount in baht")
    if isinstance(value, bool):
        raise ValueError("not an amount in baht")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_strip_decimal_string),
    Field(ge=0, le=MAX_MONEY, max_digits=12, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema(_money_schema(Decimal(0))),
]
PositiveMoney = Annotated[
    Decimal,
    BeforeValidator(_strip_decimal_string),
    Field(gt=0, le=MAX_MONEY, max_digits=12, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema({**_money_schema(Decimal("0.01")), "not": {"enum": [0, "0", "0.0", "0.00"]}}),
]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def Limit(maximum: int) -> Any:  # noqa: N802 - reads like a type in a signature
    """A page size from 1 to `maximum`."""
    return Annotated[int, Field(ge=1, le=maximum)]


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


def _in_bangkok(value: datetime) -> datetime:
    if timezone.is_naive(value):
        try:
            value = timezone.make_aware(value, zoneinfo.ZoneInfo("Asia/Bangkok"))
        except OverflowError:
            return EARLIEST if value.year < 2000 else LATEST
    return _within_years(value)


def _within_years(value: datetime) -> datetime:
    """Clamp an instant to the years 2000–2999: far-off years overflow when converted to UTC for the
    database, and no business rule accepts them anyway (a booking in year 1 is "in the past")."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return EARLIEST if value.year < 2000 else LATEST
    return min(max(utc, EARLIEST), LATEST)


DATETIME_SCHEMA = {"type": "string", "format": "date-time"}
# A time of day at the center (Asia/Bangkok), without an offset: JSON Schema's "time" format demands one.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
            "description": "HH:MM:SS, Bangkok time",
        }
    ),
]
# An instant; without an offset it is read as Bangkok time (what people at the center mean).
BangkokDatetime = Annotated[datetime, AfterValidator(_in_bangkok), WithJsonSchema(DATETIME_SCHEMA)]
# An instant that must carry its offset (devices send UTC, e.g. 2026-11-10T03:15:00Z).
OffsetDatetime = Annotated[AwareDatetime, AfterValidator(_within_years), WithJsonSchema(DATETIME_SCHEMA)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


def Text(max_length: int, *, min_length: int = 0, pattern: str | None = None) -> Any:  # noqa: N802
    """A string of at most `max_length` characters (its column's length), without NUL characters."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, pattern=pattern or TEXT_PATTERN),
        AfterValidator(_no_nul),
    ]


def _phone(value: str) -> str:
    if not thai_phone_is_valid(value):
        raise ValueError("not a Thai phone number")
    return normalize_thai_phone(value)


# A Thai phone number as typed; the handler receives it normalised once (0812345678).
Phone = Annotated[str, Field(min_length=9, max_length=20, pattern=PHONE_PATTERN), AfterValidator(_phone)]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not an e-mail address") from None
    return value


Email = Annotated[str, Field(max_length=254, pattern=f"^$|{EMAIL_PATTERN}"), AfterValidator(_email)]
RequiredEmail = Annotated[str, Field(min_length=3, max_length=254, pattern=EMAIL_PATTERN), AfterValidator(_email)]


class ErrorDetail(Schema):
    code: str = Field(description="Stable for programs: invalid, not_found, conflict, throttled, …")
    message: str = Field(description="For people, in the language asked for (Accept-Language; Thai by default)")
    fields: dict[str, list[str]] = Field(description="Messages per input field, e.g. items.0.qty")


class ErrorOut(Schema):
    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "The request is malformed or a value is out of bounds",
    401: "Sign in (session) or send a bearer token",
    403: "Signed in, but not allowed to do this",
    404: "Not found",
    409: "Well formed, but the center's rules or the current state say no (out of stock, unknown SKU, taken, …)",
    413: "The body is larger than the server accepts",
    415: "The body must be JSON (Content-Type: application/json)",
    423: "Locked after too many failed attempts; try again later",
    429: "Too many requests from this client; see Retry-After",
}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document error answers of an operation: `response={201: OrderOut, **errors(400, 409, 429)}`."""
    return dict.fromkeys(statuses, ErrorOut)


class LimitOffset(LimitOffsetPagination):
    """django-ninja's limit/offset pages, with the offset bounded too (a huge one overflows the database)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
