"""Reads for the back-office home: the manager's day in figures, and the links to every page, grouped.

Each panel is shown only to someone who may open the page it links to, and each costs one query (the
owning app's selector); `otop/backoffice/tests/test_dashboard.py` counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from otop.accounts.models import User
from otop.accounts.selectors import Area, areas_for
from otop.core.thaidates import buddhist_year
from otop.inventory import selectors as inventory
from otop.orders import selectors as orders
from otop.orders.models import Order
from otop.reports import selectors as reports
from otop.selection import selectors as selection
from otop.selection.models import Application
from otop.workspace import selectors as workspace


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | Decimal
    url: str
    money: bool = False


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    url: str
    figures: list[Figure]
    total: Decimal | None = None
    note: str = ""


def _with_query(url_name: str, **query) -> str:
    return f"{reverse(url_name)}?{urlencode(query)}" if query else reverse(url_name)


def _sales(today: date) -> Panel:
    month = {"year": buddhist_year(today.year), "first_month": today.month, "last_month": today.month}
    rows = reports.sales_on(today)
    figures = [
        Figure(row.label, row.net, _with_query("reports:dashboard", **month, channel=row.channel), money=True)
        for row in rows
    ]
    return Panel(
        key="sales",
        title=_("Today's sales by channel"),
        url=_with_query("reports:dashboard", **month),
        figures=figures,
        total=sum((row.net for row in rows), Decimal("0.00")),
        note=_("Net of discounts and returns, VAT included; tills and orders reach these figures within a minute."),
    )


def _orders(today: date) -> Panel:
    waiting = orders.orders_waiting()
    labels = {
        Order.Status.PENDING_PAYMENT: _("Waiting for payment"),
        Order.Status.PAID: _("Paid, to pack"),
        Order.Status.PACKED: _("Packed, to ship or hand over"),
    }
    return Panel(
        key="orders",
        title=_("Orders waiting"),
        url=reverse("orders:list"),
        figures=[
            Figure(labels[status], waiting[status], _with_query("orders:list", status=status)) for status in labels
        ],
        note=_("Orders from the website, LINE, Facebook and the API."),
    )


def _low_stock(today: date) -> Panel:
    url = reverse("inventory:low-stock")
    return Panel(
        key="low-stock",
        title=_("Low stock"),
        url=url,
        figures=[Figure(_("Items at or below their minimum"), inventory.low_stock_count(), url)],
    )


def _applications(today: date) -> Panel:
    waiting = selection.applications_before_committee()
    labels = {
        Application.Status.SUBMITTED: _("Submitted, not yet on a meeting"),
        Application.Status.UNDER_REVIEW: _("On a meeting's agenda"),
    }
    return Panel(
        key="applications",
        title=_("Applications waiting for the committee"),
        url=reverse("selection:backoffice-applications"),
        figures=[
            Figure(labels[status], waiting[status], _with_query("selection:backoffice-applications", status=status))
            for status in labels
        ],
    )


def _room(today: date) -> Panel:
    day = workspace.bookings_on(today)
    url = _with_query("workspace:staff-calendar", day=today.isoformat())
    return Panel(
        key="room",
        title=_("Meeting room today"),
        url=url,
        figures=[
            Figure(_("Bookings"), day.total, url),
            Figure(_("Checked in"), day.checked_in, url),
            Figure(pgettext("booking payment", "To be paid"), day.unpaid, url),
        ],
    )


# (key, permission needed to open the panel's page, builder) in the order the home shows them.
PANELS: list[tuple[str, str, Callable[[date], Panel]]] = [
    ("sales", "reports.view_sales_reports", _sales),
    ("orders", "orders.view_order", _orders),
    ("low-stock", "inventory.view_lowstockthreshold", _low_stock),
    ("applications", "selection.manage_meetings", _applications),
    ("room", "workspace.manage_bookings", _room),
]


def manager_day(user: User, *, today: date | None = None) -> list[Panel]:
    """The figures of the day this user may see (one query per panel)."""
    today = today or timezone.localdate()
    return [build(today) for _key, permission, build in PANELS if user.has_perm(permission)]


@dataclass
class LinkGroup:
    title: str
    links: list[Area] = field(default_factory=list)


# URL namespace → group of the home's links, in the order shown; anything else goes under "Other".
LINK_GROUPS = [
    (gettext_lazy("Selling and orders"), ("pos", "orders", "shipping", "chat_inbox")),
    (gettext_lazy("Stock"), ("inventory",)),
    (gettext_lazy("Products, producers and selection"), ("catalog", "producers", "selection")),
    (gettext_lazy("Money, tax and reports"), ("payments", "tax", "reports")),
    (gettext_lazy("Meeting room"), ("workspace",)),
    (gettext_lazy("The center, people and personal data"), ("backoffice", "privacy")),
]


def grouped_links(user: User) -> list[LinkGroup]:
    """Every page this user may open from the back office (the home itself left out), grouped by kind of work."""
    groups = [LinkGroup(str(title)) for title, _namespaces in LINK_GROUPS]
    other = LinkGroup(_("Other"))
    group_of = {namespace: groups[index] for index, (_title, names) in enumerate(LINK_GROUPS) for namespace in names}
    for area in areas_for(user):
        if area.name == "backoffice:dashboard":
            continue
        group_of.get(area.name.split(":", 1)[0], other).links.append(area)
    if user.is_staff:
        groups[-1].links.append(Area(label=_("Data administration"), url=reverse("admin:index"), name="admin:index"))
    return [group for group in [*groups, other] if group.links]
