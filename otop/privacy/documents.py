"""A person's data as a readable PDF (WeasyPrint, Sarabun, Buddhist-era dates in Thai), built from the same
JSON-ready copy as the download, so the two never differ in what they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from otop.core.selectors import center_profile
from otop.core.thaidates import format_datetime
from otop.orders.models import Order
from otop.privacy.models import ConsentRecord, DataRequest
from otop.tax.documents import render_pdf

# Section titles, by the key the exporters use.
SECTIONS = {
    "account": gettext_lazy("Account"),
    "contact": gettext_lazy("Contact you proved"),
    "consents": gettext_lazy("Your consent decisions"),
    "requests": gettext_lazy("Your requests about your data"),
    "orders": gettext_lazy("Orders"),
    "bookings": gettext_lazy("Room bookings"),
    "chats": gettext_lazy("Chats in LINE and Messenger"),
}
LABELS = {
    "username": gettext_lazy("user name"), "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"), "email": gettext_lazy("e-mail"), "phone": gettext_lazy("phone"),
    "joined": gettext_lazy("joined"), "last_login": gettext_lazy("last signed in"),
    "kind": pgettext_lazy("personal data", "type"), "value": pgettext_lazy("personal data", "value"),
    "purpose": gettext_lazy("purpose"), "given": gettext_lazy("given"),
    "notice_version": gettext_lazy("notice version"), "channel": gettext_lazy("channel"),
    "at": pgettext_lazy("personal data", "when"), "reference": gettext_lazy("reference"),
    "status": pgettext_lazy("personal data", "status"), "asked": gettext_lazy("asked"),
    "outcome": gettext_lazy("what was done"), "number": gettext_lazy("order number"),
    "placed_at": gettext_lazy("placed at"), "name": gettext_lazy("name"),
    "delivery": pgettext_lazy("personal data", "delivery"),
    "address": gettext_lazy("address"), "postcode": gettext_lazy("postcode"), "total": gettext_lazy("total"),
    "lines": gettext_lazy("items"), "space": gettext_lazy("room"), "starts_at": gettext_lazy("from"),
    "ends_at": gettext_lazy("to"), "amount": gettext_lazy("amount"), "platform": gettext_lazy("platform"),
    "user_id": gettext_lazy("user ID in the chat"), "display_name": gettext_lazy("display name"),
    "language": gettext_lazy("language"), "following": gettext_lazy("following"),
    "messages": gettext_lazy("messages"),
}  # fmt: skip
# Stored codes shown with their words: (section, key) → choices.
CHOICES = {
    ("consents", "purpose"): ConsentRecord.Purpose,
    ("consents", "channel"): ConsentRecord.Channel,
    ("requests", "kind"): DataRequest.Kind,
    ("requests", "status"): DataRequest.Status,
    ("orders", "status"): Order.Status,
    ("orders", "channel"): Order.Channel,
}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class Section:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # one record shown as label: value
    records: list[list[tuple[str, str]]] = field(default_factory=list)  # several records


def _readable(value: Any, *, section: str, key: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and ISO_DATETIME.match(value):
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    choices = CHOICES.get((section, key))
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if isinstance(value, list):
        return "\n".join(_line(item, section=section) for item in value if item not in ("", None))
    if isinstance(value, dict):
        return _line(value, section=section)
    return str(value)


def _line(item: Any, *, section: str) -> str:
    """A nested record (an order's item, a chat message) on one line."""
    if not isinstance(item, dict):
        return str(item)
    return " · ".join(
        _readable(value, section=section, key=key) for key, value in item.items() if value not in ("", None)
    )


def _facts(record: dict[str, Any], *, section: str) -> list[tuple[str, str]]:
    return [(str(LABELS.get(key, key)), _readable(value, section=section, key=key)) for key, value in record.items()]


def _sections(data: dict[str, Any]) -> list[Section]:
    sections = []
    for key, value in data.items():
        if key == "exported_at":
            continue
        if isinstance(value, dict) and all(isinstance(inner, list) for inner in value.values()) and value:
            # An app's part: {"orders": [...]} — each list is a section of its own.
            for inner_key, rows in value.items():
                sections.append(_list_section(inner_key, rows))
        elif isinstance(value, dict):
            sections.append(Section(title=str(SECTIONS.get(key, key)), facts=_facts(value, section=key)))
        elif isinstance(value, list):
            sections.append(_list_section(key, value))
    return sections


def _list_section(key: str, rows: list[Any]) -> Section:
    return Section(
        title=str(SECTIONS.get(key, key)),
        records=[_facts(row, section=key) if isinstance(row, dict) else [("", str(row))] for row in rows],
    )


def data_pdf(data: dict[str, Any], *, language: str = "th") -> bytes:
    """The copy of a person's data as a PDF in Thai (Buddhist-era dates) or English."""
    with translation.override("en" if language == "en" else "th"):
        sections = _sections(data)
        exported_at = _readable(data.get("exported_at"), section="", key="exported_at")
    return render_pdf(
        "privacy/pdf/data.html",
        {"sections": sections, "exported_at": exported_at, "center": center_profile()},
        language=language,
    )
